"""Tell the catalogue when something it shows changes.

The catalogue caches its counts, facets and rendered pages per generation
(``products.catalogue``); these receivers move the generation on for every
save and delete that could change them, the admin site's included, and
after every migration, as a deploy may change what a page renders. Writes
through ``QuerySet.update`` send no signal: their services call
``catalogue.changed`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

from organisations.models import EquipmentType, Organisation
from products import catalogue
from products.models import EducationLevel, Product, RequiredEquipment, SubjectArea


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
def product_changed(sender, instance: Product, **kwargs) -> None:
    # A product the catalogue neither showed nor shows now (a draft, one
    # under moderation) does not concern it; publishing, archiving and any
    # change of a published product do.
    if instance.concerns_catalogue and not kwargs.get("raw"):
        catalogue.changed()


@receiver(m2m_changed, sender=Product.subject_areas.through)
@receiver(m2m_changed, sender=Product.education_levels.through)
@receiver(m2m_changed, sender=Product.equipment.through)
def product_classification_changed(sender, instance, action: str, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Product) and not instance.concerns_catalogue:
        return
    catalogue.changed()


@receiver(post_save, sender=RequiredEquipment)
@receiver(post_delete, sender=RequiredEquipment)
def required_equipment_changed(sender, instance: RequiredEquipment, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    # Deleted with its product, the item may no longer find it.
    product = Product.objects.filter(pk=instance.product_id).first()
    if product is None or product.concerns_catalogue:
        catalogue.changed()


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance: Organisation, **kwargs) -> None:
    """A carrier's name, region and district appear on its products' cards
    and in the filters; an organisation without published products does
    not concern the catalogue (nor can one with products be deleted)."""
    if kwargs.get("raw"):
        return
    if instance.products.filter(status=Product.Status.PUBLISHED).exists():
        catalogue.changed()


@receiver(post_save, sender=SubjectArea)
@receiver(post_delete, sender=SubjectArea)
@receiver(post_save, sender=EducationLevel)
@receiver(post_delete, sender=EducationLevel)
@receiver(post_save, sender=EquipmentType)
@receiver(post_delete, sender=EquipmentType)
def shown_data_changed(sender, **kwargs) -> None:
    """The names of areas, levels and equipment appear on the catalogue's
    cards and filters."""
    if not kwargs.get("raw"):
        catalogue.changed()


@receiver(post_migrate)
def schema_migrated(sender, **kwargs) -> None:
    """A deploy migrates: its data migrations, templates and translations may
    all change what the catalogue renders."""
    if sender.name == "products":
        catalogue.changed()
