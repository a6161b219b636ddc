from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self) -> None:
        from partnerships import conditions  # noqa: F401  (provides its own)
        from partnerships.services import accept_interest
        from products.services import interests

        interests.register_acceptance_handler(accept_interest)
