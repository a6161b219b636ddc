from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "products"
    verbose_name = _("Innovation products")

    def ready(self) -> None:
        from products import signals  # noqa: F401
