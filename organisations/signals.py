"""Keep the role groups of organisations in step with memberships.

These run for every save, the admin site's included, so that the permission
groups never disagree with the memberships they mirror.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisations.models import Membership, Organisation
from organisations.roles import create_role_groups, sync_member_groups


@receiver(post_save, sender=Organisation)
def organisation_created(sender, instance: Organisation, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        create_role_groups(instance)


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance: Membership, **kwargs) -> None:
    if not kwargs.get("raw"):
        sync_member_groups(instance.user, instance.organisation, instance.role)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    sync_member_groups(instance.user, instance.organisation, None)
