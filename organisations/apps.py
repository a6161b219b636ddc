from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_administrator_permissions(sender, **kwargs) -> None:
    from organisations.roles import grant_administrator_permissions

    grant_administrator_permissions()


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from organisations import signals  # noqa: F401

        # Each app's permissions are created by its own post_migrate signal,
        # so the grant listens to all of them and adds what is new.
        post_migrate.connect(
            _grant_administrator_permissions,
            dispatch_uid="organisations.grant_administrator_permissions",
        )
