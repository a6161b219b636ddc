"""Services of a product's materials and the checks of uploaded files."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from products import uploads
from products.models import Material
from products.services.materials import add_material, delete_material, update_material
from tests.products.access_materials import (
    DOCX_TYPE,
    EXE_BYTES,
    HTML_BYTES,
    MP4_BYTES,
    PDF_BYTES,
    PDF_TYPE,
    PNG_BYTES,
    docx_bytes,
    upload,
)


def private_files() -> list[str]:
    """Files in the private storage, relative to its root."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def add(product, actor, **overrides) -> Material:
    fields = {
        "kind": Material.Kind.METHODOLOGICAL,
        "title": "Методические рекомендации",
        "description": "Для учителей основной школы",
        "visibility": Material.Visibility.PUBLIC,
        "upload": upload(),
        **overrides,
    }
    return add_material(product=product, actor=actor, **fields)


def error_codes(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [e.code for e in errors]
            for field, errors in error.error_dict.items()
        }
    return {"__all__": [e.code for e in error.error_list]}


# add_material


def test_coordinator_adds_a_file_with_its_name_type_and_size(
    published_product, carrier_coordinator
):
    material = add(
        published_product,
        carrier_coordinator,
        title="  Программа курса  ",
        upload=upload("Программа курса.pdf"),
    )

    material.refresh_from_db()
    assert (
        material.product,
        material.kind,
        material.title,
        material.description,
        material.visibility,
        material.original_name,
        material.content_type,
        material.size,
        material.url,
        material.uploaded_by,
    ) == (
        published_product,
        "methodological",
        "Программа курса",
        "Для учителей основной школы",
        "public",
        "Программа курса.pdf",
        "application/pdf",
        len(PDF_BYTES),
        "",
        carrier_coordinator,
    )
    assert private_files() == [material.file.name]
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / material.file.name).read_bytes() == (
        PDF_BYTES
    )


def test_stored_file_gets_a_random_name_under_the_materials_folder(
    published_product, carrier_coordinator
):
    material = add(published_product, carrier_coordinator)

    folder, name = material.file.name.rsplit("/", 1)
    assert folder.startswith("products/materials/")
    assert len(name) == len("0123456789abcdef0123456789abcdef.pdf")
    assert name.endswith(".pdf")
    assert "Программа" not in material.file.name


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Положение.docx", None, DOCX_TYPE),
        ("Схема.png", PNG_BYTES, "image/png"),
        ("Вебинар.mp4", MP4_BYTES, "video/mp4"),
    ],
)
def test_documents_images_and_video_are_accepted_with_their_content_type(
    published_product, carrier_coordinator, name, content, content_type
):
    content = docx_bytes() if content is None else content

    material = add(
        published_product, carrier_coordinator, upload=upload(name, content, "x/y")
    )

    assert (material.original_name, material.content_type, material.size) == (
        name,
        content_type,
        len(content),
    )
    assert private_files() == [material.file.name]


def test_coordinator_adds_a_link(published_product, carrier_coordinator):
    material = add(
        published_product,
        carrier_coordinator,
        kind=Material.Kind.VIDEO,
        upload=None,
        url=" https://video.example/webinar ",
    )

    material.refresh_from_db()
    assert (material.url, material.file.name, material.size, material.content_type) == (
        "https://video.example/webinar",
        "",
        0,
        "",
    )
    assert private_files() == []


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_head_and_administrator_may_add_materials(request, published_product, persona):
    actor = request.getfixturevalue(persona)

    material = add(published_product, actor)

    assert Material.objects.get().uploaded_by == actor
    assert private_files() == [material.file.name]


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "outsider", "expert", "recipient_head"]
)
def test_who_may_not_edit_the_product_adds_nothing(request, published_product, persona):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        add(published_product, actor)

    assert Material.objects.count() == 0
    assert private_files() == []


def test_a_file_and_a_link_together_are_refused(published_product, carrier_coordinator):
    with pytest.raises(ValidationError) as refused:
        add(published_product, carrier_coordinator, url="https://site.example/")

    assert error_codes(refused.value) == {"__all__": ["file_and_link"]}
    assert Material.objects.count() == 0
    assert private_files() == []


def test_neither_a_file_nor_a_link_is_refused(published_product, carrier_coordinator):
    with pytest.raises(ValidationError) as refused:
        add(published_product, carrier_coordinator, upload=None, url="  ")

    assert error_codes(refused.value) == {"__all__": ["no_file"]}
    assert Material.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("Программа.pdf", EXE_BYTES, "bad_type"),
        ("Страница.html", HTML_BYTES, "bad_type"),
        ("Программа.docx", PDF_BYTES, "extension_mismatch"),
        ("Пустой.pdf", b"", "empty"),
    ],
)
def test_a_disallowed_file_is_refused_and_nothing_is_stored(
    published_product, carrier_coordinator, name, content, code
):
    with pytest.raises(ValidationError) as refused:
        add(published_product, carrier_coordinator, upload=upload(name, content))

    assert error_codes(refused.value) == {"file": [code]}
    assert Material.objects.count() == 0
    assert private_files() == []


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    brands = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return (8 + len(brands)).to_bytes(4, "big") + b"ftyp" + brands + b"\x00" * 32


@pytest.mark.parametrize(
    ("content", "is_video"),
    [
        (ftyp(b"mp42", b"mp42", b"isom"), True),
        (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), True),
        (ftyp(b"XAVC", b"XAVC", b"mp42", b"iso2"), True),
        (ftyp(b"qt  ", b"qt  "), False),
        (ftyp(b"heic", b"mif1", b"heic"), False),
        (ftyp(b"mif1", b"mif1", b"miaf", b"iso8"), False),
        (ftyp(b"avif", b"avif", b"mif1", b"miaf", b"mp42"), False),
        (ftyp(b"M4A ", b"M4A ", b"mp42", b"isom"), False),
        (ftyp(b"crx ", b"crx ", b"isom"), False),
    ],
    ids=[
        "mp4",
        "camera",
        "compatible",
        "quicktime",
        "heic",
        "heif",
        "avif",
        "m4a",
        "raw",
    ],
)
def test_only_an_mp4_video_passes_as_one(content, is_video):
    if is_video:
        assert uploads.validate_material(upload("Вебинар.mp4", content)) == uploads.MP4
    else:
        with pytest.raises(ValidationError) as refused:
            uploads.validate_material(upload("Вебинар.mp4", content))
        assert refused.value.code == "bad_type"


def test_a_file_over_the_limit_is_refused(
    settings, published_product, carrier_coordinator
):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    content = PDF_BYTES + b"0" * (1024 * 1024 + 100 * 1024)

    with pytest.raises(ValidationError) as refused:
        add(published_product, carrier_coordinator, upload=upload(content=content))

    assert error_codes(refused.value) == {"file": ["too_large"]}
    assert Material.objects.count() == 0
    assert private_files() == []


def test_an_unknown_kind_is_refused_before_the_file_is_stored(
    published_product, carrier_coordinator
):
    with pytest.raises(ValidationError) as refused:
        add(published_product, carrier_coordinator, kind="poster", title="")

    assert error_codes(refused.value) == {
        "kind": ["invalid_choice"],
        "title": ["blank"],
    }
    assert private_files() == []


def test_the_file_is_removed_when_the_row_cannot_be_saved(
    monkeypatch, published_product, carrier_coordinator
):
    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Material, "save", fail)

    with pytest.raises(IntegrityError):
        add(published_product, carrier_coordinator)

    assert Material.objects.count() == 0
    assert private_files() == []


# update_material


def test_coordinator_changes_the_description_of_a_material(
    published_product, carrier_coordinator
):
    material = add(published_product, carrier_coordinator)
    stored = material.file.name

    update_material(
        material=material,
        actor=carrier_coordinator,
        kind=Material.Kind.INSTRUCTIONS,
        title=" Инструкция для партнёров ",
        description="",
        visibility=Material.Visibility.PARTNERS,
    )

    material.refresh_from_db()
    assert (
        material.kind,
        material.title,
        material.description,
        material.visibility,
        material.file.name,
    ) == ("instructions", "Инструкция для партнёров", "", "partners", stored)
    assert material.history.count() == 2


def test_specialist_may_not_change_a_material(
    published_product, carrier_coordinator, carrier_specialist
):
    material = add(published_product, carrier_coordinator)

    with pytest.raises(PermissionDenied):
        update_material(
            material=material,
            actor=carrier_specialist,
            kind=Material.Kind.VIDEO,
            title="Другое",
            description="",
            visibility=Material.Visibility.PARTNERS,
        )

    assert Material.objects.values_list("kind", "title", "visibility").get() == (
        "methodological",
        "Методические рекомендации",
        "public",
    )


def test_a_blank_title_is_refused_and_nothing_changes(
    published_product, carrier_coordinator
):
    material = add(published_product, carrier_coordinator)

    with pytest.raises(ValidationError) as refused:
        update_material(
            material=Material.objects.get(),
            actor=carrier_coordinator,
            kind=Material.Kind.VIDEO,
            title="   ",
            description="",
            visibility=Material.Visibility.PUBLIC,
        )

    assert error_codes(refused.value) == {"title": ["blank"]}
    material.refresh_from_db()
    assert (material.kind, material.title) == (
        "methodological",
        "Методические рекомендации",
    )


# delete_material


def test_deleting_a_material_removes_its_file_after_the_commit(
    published_product, carrier_coordinator, django_capture_on_commit_callbacks
):
    material = add(published_product, carrier_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        delete_material(material=material, actor=carrier_coordinator)
        files_before_commit = private_files()

    assert Material.objects.count() == 0
    assert files_before_commit == [material.file.name]
    assert private_files() == []


def test_deleting_a_link_touches_no_storage(
    published_product, carrier_coordinator, django_capture_on_commit_callbacks
):
    material = add(
        published_product, carrier_coordinator, upload=None, url="https://a.example"
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delete_material(material=material, actor=carrier_coordinator)

    assert Material.objects.count() == 0
    assert callbacks == []


@pytest.mark.parametrize("persona", ["carrier_specialist", "expert", "outsider"])
def test_who_may_not_edit_the_product_deletes_nothing(
    request, published_product, carrier_coordinator, persona
):
    material = add(published_product, carrier_coordinator)

    with pytest.raises(PermissionDenied):
        delete_material(material=material, actor=request.getfixturevalue(persona))

    assert Material.objects.count() == 1
    assert private_files() == [material.file.name]


# products.uploads


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_opendocument_text_is_told_by_its_mimetype_entry():
    content = zip_of(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}
    )

    assert uploads.validate_material(upload("План.odt", content)) == uploads.ODT


def test_an_archive_with_a_huge_mimetype_entry_is_refused():
    content = zip_of({"mimetype": b"x" * (20 * 1024 * 1024)})

    with pytest.raises(ValidationError) as refused:
        uploads.validate_material(upload("Бомба.odt", content))

    assert len(content) < 100 * 1024
    assert refused.value.code == "bad_type"


def test_a_damaged_archive_is_not_a_document():
    content = docx_bytes()[:60]

    with pytest.raises(ValidationError) as refused:
        uploads.validate_material(upload("Обрезан.docx", content))

    assert refused.value.code == "bad_type"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("Старый.doc", "application/msword"),
        ("Таблица.XLS", "application/vnd.ms-excel"),
        ("Слайды.ppt", "application/vnd.ms-powerpoint"),
    ],
)
def test_old_office_files_are_served_by_their_extension(name, content_type):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64

    file_format = uploads.validate_material(upload(name, content))

    assert uploads.content_type_for(file_format, name) == content_type


def test_the_file_input_accepts_the_extensions_of_the_material_formats():
    assert uploads.accepted_extensions(uploads.MATERIAL_FORMATS) == (
        ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,.jpg,.jpeg,.png,.mp4,.m4v"
    )
    assert uploads.format_names(uploads.COVER_FORMATS) == "JPEG, PNG"


def test_a_pdf_upload_reads_as_pdf():
    assert uploads.detect_format(upload(content=PDF_BYTES)) == uploads.PDF
    assert uploads.PDF.content_type == PDF_TYPE
