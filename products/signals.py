"""Tell the catalogue when something it shows changes.

The catalogue caches its counts, facets and rendered pages per generation
(``products.catalogue``); these receivers move the generation on for every
save and delete that could change them, the admin site's included. Writes
through ``QuerySet.update`` send no signal: their services call
``catalogue.changed`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from organisations.models import EquipmentType, Organisation
from products import catalogue
from products.models import EducationLevel, Product, RequiredEquipment, SubjectArea


@receiver(post_save, sender=Product)
@receiver(post_delete, sender=Product)
def product_changed(sender, instance: Product, **kwargs) -> None:
    # A product that has never been published is not in the catalogue and
    # its drafts do not concern it; once published, any change may.
    if instance.published_at is not None and not kwargs.get("raw"):
        catalogue.changed()


@receiver(m2m_changed, sender=Product.subject_areas.through)
@receiver(m2m_changed, sender=Product.education_levels.through)
def product_classification_changed(sender, instance, action: str, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Product) and instance.published_at is None:
        return
    catalogue.changed()


@receiver(post_save, sender=RequiredEquipment)
@receiver(post_delete, sender=RequiredEquipment)
@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
@receiver(post_save, sender=SubjectArea)
@receiver(post_delete, sender=SubjectArea)
@receiver(post_save, sender=EducationLevel)
@receiver(post_delete, sender=EducationLevel)
@receiver(post_save, sender=EquipmentType)
@receiver(post_delete, sender=EquipmentType)
def shown_data_changed(sender, **kwargs) -> None:
    """Names of carriers, their regions and districts, and the names of
    areas, levels and equipment appear on the catalogue's cards and facets."""
    if not kwargs.get("raw"):
        catalogue.changed()
