"""Materials of a product: the document package and methodological support.

A material is a file kept in private storage or a link. Files are checked
by their content before anything is written, and a refused material leaves
neither a row nor a file behind.
"""

import logging
import os
import uuid
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from products import permissions
from products.models import Material, Product
from products.storage import private_storage
from products.uploads import content_type_for, validate_material

logger = logging.getLogger(__name__)


def material_storage() -> Storage:
    """Return the storage of material files, looked up at call time.

    ``Material.file.storage`` was fixed when the models were imported; the
    lookup follows the ``STORAGES`` setting as it is now, so that files go
    where the settings in force say (a temporary directory in tests).
    """
    return private_storage()


@transaction.atomic
def add_material(
    *,
    product: Product,
    actor: User,
    kind: str,
    title: str,
    description: str,
    visibility: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> Material:
    """Attach a file or a link to ``product``.

    Exactly one of ``upload`` and ``url`` is given. The file is accepted by
    its content (see ``products.uploads``) and stored under a random name;
    its original name, detected content type and size are recorded. Raises
    ``PermissionDenied`` unless ``actor`` edits the product and
    ``ValidationError`` (keyed by field where there is one) for a refused
    material; in both cases no row and no file are left.
    """
    if not permissions.can_edit_product(actor, product):
        raise PermissionDenied
    url = url.strip()
    if upload is not None and url:
        raise ValidationError(
            _("Attach a file or give a link, not both."), code="file_and_link"
        )
    if upload is None and not url:
        raise ValidationError(_("Attach a file or give a link."), code="no_file")

    material = Material(
        product=product,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        visibility=visibility,
        url=url,
        uploaded_by=actor,
    )
    if upload is not None:
        _describe_upload(material, upload)
    material.full_clean()

    if upload is None:
        material.save()
    else:
        _save_with_file(material, upload)
    logger.info(
        "Material %s added to product %s by user %s", material.pk, product.pk, actor.pk
    )
    return material


def _describe_upload(material: Material, upload: UploadedFile) -> None:
    try:
        file_format = validate_material(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from None
    extension = os.path.splitext(upload.name)[1].lower()
    material.original_name = upload.name[:255]
    material.content_type = content_type_for(file_format, upload.name)
    material.size = upload.size
    # A random name: the original one may be long, Cyrillic or revealing,
    # and it is kept in ``original_name`` for the download.
    material.file.name = material.file.field.generate_filename(
        material, f"{uuid.uuid4().hex}{extension}"
    )


def _save_with_file(material: Material, upload: UploadedFile) -> None:
    storage = material_storage()
    material.file.name = storage.save(
        material.file.name, upload, max_length=material.file.field.max_length
    )
    try:
        material.save()
    except BaseException:
        storage.delete(material.file.name)
        raise


@transaction.atomic
def update_material(
    *,
    material: Material,
    actor: User,
    kind: str,
    title: str,
    description: str,
    visibility: str,
) -> Material:
    """Change what a material is called, its kind and who sees it.

    The file or the link itself stays. Raises ``PermissionDenied`` unless
    ``actor`` edits the product and ``ValidationError`` for values the
    model refuses; nothing changes in either case.
    """
    if not permissions.can_edit_product(actor, material.product):
        raise PermissionDenied
    material.kind = kind
    material.title = title.strip()
    material.description = description.strip()
    material.visibility = visibility
    material.full_clean()
    material.save(update_fields=["kind", "title", "description", "visibility"])
    logger.info("Material %s changed by user %s", material.pk, actor.pk)
    return material


@transaction.atomic
def delete_material(*, material: Material, actor: User) -> None:
    """Delete a material; its file leaves the storage after the commit.

    A rolled-back deletion keeps the file. Raises ``PermissionDenied``
    unless ``actor`` edits the product.
    """
    if not permissions.can_edit_product(actor, material.product):
        raise PermissionDenied
    name = material.file.name
    pk = material.pk
    material.delete()
    if name:
        transaction.on_commit(partial(_delete_file, name), robust=True)
    logger.info("Material %s deleted by user %s", pk, actor.pk)


def _delete_file(name: str) -> None:
    material_storage().delete(name)
