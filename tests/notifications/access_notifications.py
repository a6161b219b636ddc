"""Access matrix entries of notifications: only the recipient opens one."""

from notifications.kinds import Kind
from notifications.models import Notification


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    """The carrier's specialist has an unread notification with a link."""
    world.extra["notification"] = Notification.objects.create(
        recipient=world.people["specialist"],
        kind=Kind.STAGE_MOVED,
        title="Партнёрство перешло к этапу «Пакет документов»",
        link="/products/",
    )


def state() -> tuple:
    return (list(Notification.objects.values_list("pk", "read_at").order_by("pk")),)


ENTRIES = {
    "notifications:notification_open": {
        "kwargs": lambda w: {"pk": w.extra["notification"].pk},
        "method": "post",
        # The administrator too: a notification is its recipient's alone.
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=302,
            coordinator=404,
            head=404,
            expert=404,
            administrator=404,
        ),
    },
}
