from django.core.management.base import BaseCommand, CommandParser

from innoteka import demo


class Command(BaseCommand):
    help = (
        "Create the demo world: School 619 and a dozen partner schools, "
        "users for every role, an expert and an administrator. Safe to run "
        "again. --scale N adds N times as many generated organisations and "
        "users for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Also generate N times the base set of organisations with users.",
        )

    def handle(self, *args, scale: int, **options) -> None:
        summary = demo.seed(scale=scale)
        for line in summary:
            self.stdout.write(line)
