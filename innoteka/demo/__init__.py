"""The demo world of ``manage.py seed_demo``.

Each part is a module with an idempotent ``seed_*`` function; apps added
later append theirs to ``seed``.
"""

from innoteka.demo.people import DEMO_LOGINS, DEMO_PASSWORD, seed_people
from innoteka.demo.scale import seed_scale


def seed(*, scale: int = 0) -> list[str]:
    """Create (or complete) the demo world; return lines to print."""
    organisations = seed_people()
    lines = [f"Демонстрационные организации: {len(organisations)}."]
    if scale > 0:
        created_orgs, created_users = seed_scale(scale)
        lines.append(
            f"Сгенерировано организаций: {created_orgs}, пользователей: "
            f"{created_users}."
        )
    lines.append(f"Демо-входы (пароль для всех: {DEMO_PASSWORD}):")
    lines += [f"  {email} — {who}" for email, who in DEMO_LOGINS]
    return lines
