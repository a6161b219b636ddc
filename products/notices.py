"""What the products' services tell people: in the bell, and by email as
each person chooses (``notifications.services.notify``).

The wording of each notice lives in ``templates/products/notices/``: a
``<name>_title.txt`` and a ``<name>_body.txt``, rendered in the site's
language whatever the language of the person acting.
"""

from collections.abc import Iterable

from django.template.loader import render_to_string

from accounts.models import User
from notifications.services import notify, site_language


def tell(
    *,
    users: Iterable[User],
    kind: str,
    notice: str,
    context: dict,
    link: str,
    actor: User | None,
) -> None:
    """Notify ``users`` of ``kind`` with the notice ``notice`` about
    ``context``, linking to the path ``link``."""
    with site_language():
        title = render_to_string(f"products/notices/{notice}_title.txt", context)
        body = render_to_string(f"products/notices/{notice}_body.txt", context)
    notify(
        users=users,
        kind=kind,
        title=" ".join(title.split()),
        body=body.strip(),
        link=link,
        actor=actor,
    )
