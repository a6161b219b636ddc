"""The demo world of ``manage.py seed_demo``.

Each part is a module with an idempotent ``seed_*`` function; apps added
later append theirs to ``seed``.
"""

from innoteka.demo.partnerships import seed_partnerships
from innoteka.demo.people import DEMO_LOGINS, DEMO_PASSWORD, seed_people
from innoteka.demo.products import seed_products
from innoteka.demo.scale import seed_scale
from innoteka.demo.scale_partnerships import seed_scale_partnerships
from innoteka.demo.scale_products import PER_SCALE, seed_scale_products
from products import catalogue


def seed(*, scale: int = 0) -> list[str]:
    """Create (or complete) the demo world; return lines to print."""
    organisations = seed_people()
    products = seed_products(organisations)
    partnerships = seed_partnerships(organisations)
    lines = [
        f"Демонстрационные организации: {len(organisations)}.",
        f"Инновационные продукты: {products}.",
        f"Партнёрства: {partnerships}.",
    ]
    if scale > 0:
        created_orgs, created_users = seed_scale(scale)
        created_products = seed_scale_products(scale)
        created_partnerships = seed_scale_partnerships(scale)
        lines.append(
            f"Сгенерировано организаций: {created_orgs}, пользователей: "
            f"{created_users}, продуктов: {created_products} "
            f"(по {PER_SCALE} на единицу масштаба), партнёрств: "
            f"{created_partnerships}."
        )
    # Bulk inserts send no signals: the catalogue's cached pages are made
    # stale here once.
    catalogue.changed()
    lines.append(f"Демо-входы (пароль для всех: {DEMO_PASSWORD}):")
    lines += [f"  {email} — {who}" for email, who in DEMO_LOGINS]
    return lines
