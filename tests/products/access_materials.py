"""Access matrix entries of a product's materials, and sample files.

The world's published product gets a material for partners only: the
outsider must get 404 for it, as for a material that does not exist. The
sample files are shared with ``tests/products/test_materials*.py``.
"""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from products.models import Material
from products.services.materials import add_material

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes() -> bytes:
    """Return the smallest archive that reads as a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def upload(
    name: str = "Программа курса.pdf",
    content: bytes = PDF_BYTES,
    content_type: str = PDF_TYPE,
) -> SimpleUploadedFile:
    """Return an uploaded file as the browser sends it."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def arrange(world) -> None:
    world.extra["partners_material"] = add_material(
        product=world.product,
        actor=world.people["coordinator"],
        kind=Material.Kind.NORMATIVE,
        title="Проект соглашения о сотрудничестве",
        description="",
        visibility=Material.Visibility.PARTNERS,
        upload=upload("Соглашение.pdf"),
    )


def state() -> tuple:
    return (
        list(
            Material.objects.values_list(
                "pk", "kind", "title", "description", "visibility", "file", "url"
            ).order_by("pk")
        ),
    )


def product(w) -> dict:
    return {"pk": w.product.pk}


def material(w) -> dict:
    return {"pk": w.product.pk, "material_pk": w.extra["partners_material"].pk}


EDITORS_ONLY = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=200,
    head=200,
    expert=403,
    administrator=200,
)

ENTRIES = {
    "products:material_create": {
        # The product is public, so an outsider sees it and is refused (403).
        "kwargs": product,
        "expect": statuses(
            anonymous=302,
            outsider=403,
            specialist=403,
            coordinator=200,
            head=200,
            expert=403,
            administrator=200,
        ),
    },
    "products:material_edit": {"kwargs": material, "expect": EDITORS_ONLY},
    "products:material_delete": {
        "kwargs": material,
        "method": "post",
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=403,
            coordinator=302,
            head=302,
            expert=403,
            administrator=302,
        ),
    },
    "products:material_download": {
        # Anonymous visitors may download public materials, so there is no
        # sign-in redirect: a material for partners is simply not there.
        "kwargs": material,
        "expect": statuses(
            anonymous=404,
            outsider=404,
            specialist=200,
            coordinator=200,
            head=200,
            expert=200,
            administrator=200,
        ),
    },
}
