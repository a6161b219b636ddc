"""Daily care of agreements: warn of coming expiry, mark expired ones.

Run once a day (cron or a systemd timer; see docs/deployment.md):

    python manage.py check_agreements
"""

from datetime import date

from django.core.management.base import BaseCommand

from partnerships.services import expire_agreements, warn_expiring_agreements


class Command(BaseCommand):
    help = (
        "Tell both sides of signed agreements that expire within 30 days, and "
        "mark agreements whose term has passed as expired."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Act as if today were this date (YYYY-MM-DD).",
        )

    def handle(self, *args, today=None, **options) -> None:
        warned = warn_expiring_agreements(today=today)
        expired = expire_agreements(today=today)
        self.stdout.write(
            f"Предупреждений об окончании срока: {warned}; "
            f"соглашений с истёкшим сроком: {expired}."
        )
