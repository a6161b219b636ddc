"""Keep the role groups of organisations in step with memberships.

These run for every save, the admin site's included, so that the permission
groups never disagree with the memberships they mirror.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.models import User
from organisations.models import Membership, Organisation
from organisations.roles import create_role_groups, sync_member_groups


@receiver(post_save, sender=Organisation)
def organisation_created(
    sender, instance: Organisation, created: bool, **kwargs
) -> None:
    if created and not kwargs.get("raw"):
        create_role_groups(instance)


@receiver(pre_save, sender=Membership)
def membership_saving(sender, instance: Membership, **kwargs) -> None:
    # Remember who and where the membership was, in case a save (the admin
    # site's, say) gives it to another user or organisation.
    instance._previous_place = None
    if instance.pk is not None and not kwargs.get("raw"):
        instance._previous_place = (
            Membership.objects.filter(pk=instance.pk)
            .values_list("user_id", "organisation_id")
            .first()
        )


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance: Membership, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    previous = getattr(instance, "_previous_place", None)
    if previous and previous != (instance.user_id, instance.organisation_id):
        sync_member_groups(
            User.objects.get(pk=previous[0]),
            Organisation.objects.get(pk=previous[1]),
            None,
        )
    sync_member_groups(instance.user, instance.organisation, instance.role)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    sync_member_groups(instance.user, instance.organisation, None)
