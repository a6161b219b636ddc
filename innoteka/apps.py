from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnotekaConfig(AppConfig):
    name = "innoteka"
    verbose_name = _("Innoteka")
