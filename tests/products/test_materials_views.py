"""Pages of a product's materials: add, edit, delete, download, the section."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products import selectors
from products.models import Interest, Material, Product
from products.services.materials import add_material
from tests.products.access_materials import (
    DOCX_TYPE,
    EXE_BYTES,
    HTML_BYTES,
    MP4_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    upload,
)


def private_files() -> list[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def create_url(product) -> str:
    return reverse("products:material_create", args=[product.pk])


def edit_url(material) -> str:
    return reverse("products:material_edit", args=[material.product_id, material.pk])


def delete_url(material) -> str:
    return reverse("products:material_delete", args=[material.product_id, material.pk])


def download_url(material) -> str:
    return reverse(
        "products:material_download", args=[material.product_id, material.pk]
    )


def login_redirect(path: str) -> str:
    return f"{reverse('accounts:login')}?next={path}"


def section_of(product) -> str:
    return f"{product.get_absolute_url()}#materials"


def material_of(product, visibility="partners", **fields) -> Material:
    values = {
        "kind": Material.Kind.NORMATIVE,
        "title": "Проект соглашения",
        "description": "",
        "visibility": visibility,
        "upload": upload("Соглашение о сотрудничестве.pdf"),
        **fields,
    }
    actor = product.coordinator
    return add_material(product=product, actor=actor, **values)


def form_data(**overrides) -> dict:
    return {
        "kind": "methodological",
        "title": "Методические рекомендации",
        "description": "Для учителей",
        "visibility": "public",
        **overrides,
    }


def snapshot() -> list:
    return list(
        Material.objects.order_by("pk").values(
            "pk", "kind", "title", "description", "visibility", "file", "url"
        )
    )


def file_error_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get("file", [])]


# material_create


def test_anonymous_visitor_is_sent_to_sign_in_to_add_a_material(
    client, published_product
):
    url = create_url(published_product)

    response = client.post(url, form_data(file=upload()))

    assert (response.status_code, response.url) == (302, login_redirect(url))
    assert Material.objects.count() == 0
    assert private_files() == []


def test_outsider_gets_404_for_adding_to_a_draft(login, draft_product, outsider):
    response = login(outsider).get(create_url(draft_product))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "carrier_specialist", "expert"])
def test_who_may_not_edit_gets_403_and_stores_nothing(
    request, login, published_product, persona
):
    client = login(request.getfixturevalue(persona))

    response = client.post(create_url(published_product), form_data(file=upload()))

    assert response.status_code == 403
    assert Material.objects.count() == 0
    assert private_files() == []


def test_coordinator_sees_the_upload_form_with_formats_and_limit(
    login, published_product, carrier_coordinator
):
    response = login(carrier_coordinator).get(create_url(published_product))

    form = response.context["form"]
    assert response.status_code == 200
    assert "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC/XLS/PPT, JPEG, PNG, MP4" in (
        form.fields["file"].help_text
    )
    assert "25" in form.fields["file"].help_text
    assert form.fields["file"].widget.attrs["accept"].startswith(".pdf,.docx,")
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_the_form_states_the_limit_in_force(
    settings, login, published_product, carrier_coordinator
):
    settings.MATERIAL_MAX_UPLOAD_MB = 7

    response = login(carrier_coordinator).get(create_url(published_product))

    assert "7" in response.context["form"].fields["file"].help_text


def test_coordinator_uploads_a_pdf(login, published_product, carrier_coordinator):
    client = login(carrier_coordinator)

    response = client.post(
        create_url(published_product),
        form_data(file=upload("Программа курса.pdf"), visibility="partners"),
    )

    material = Material.objects.get()
    assert (response.status_code, response.url) == (302, section_of(published_product))
    assert (
        material.product,
        material.title,
        material.visibility,
        material.original_name,
        material.content_type,
        material.size,
        material.uploaded_by,
    ) == (
        published_product,
        "Методические рекомендации",
        "partners",
        "Программа курса.pdf",
        "application/pdf",
        len(PDF_BYTES),
        carrier_coordinator,
    )
    assert private_files() == [material.file.name]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Положение.docx", None, DOCX_TYPE),
        ("Схема.png", PNG_BYTES, "image/png"),
        ("Запись вебинара.mp4", MP4_BYTES, "video/mp4"),
    ],
)
def test_coordinator_uploads_documents_images_and_video(
    login, published_product, carrier_coordinator, name, content, content_type
):
    content = docx_bytes() if content is None else content

    response = login(carrier_coordinator).post(
        create_url(published_product),
        form_data(file=upload(name, content, "application/octet-stream")),
    )

    assert response.status_code == 302
    assert Material.objects.values_list("original_name", "content_type").get() == (
        name,
        content_type,
    )


def test_head_adds_a_link(login, published_product, carrier_head):
    response = login(carrier_head).post(
        create_url(published_product),
        form_data(kind="video", url="https://video.example/webinar"),
    )

    assert response.status_code == 302
    assert Material.objects.values_list("kind", "url", "file").get() == (
        "video",
        "https://video.example/webinar",
        "",
    )


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("Программа.pdf", EXE_BYTES, "bad_type"),
        ("Страница.html", HTML_BYTES, "bad_type"),
        ("Программа.docx", PDF_BYTES, "extension_mismatch"),
    ],
)
def test_a_disallowed_file_shows_the_error_and_stores_nothing(
    login, published_product, carrier_coordinator, name, content, code
):
    response = login(carrier_coordinator).post(
        create_url(published_product), form_data(file=upload(name, content))
    )

    assert response.status_code == 400
    assert file_error_codes(response) == [code]
    assert Material.objects.count() == 0
    assert private_files() == []


def test_an_oversized_file_shows_the_error_and_stores_nothing(
    settings, login, published_product, carrier_coordinator
):
    settings.MATERIAL_MAX_UPLOAD_MB = 1
    content = PDF_BYTES + b"0" * int(1.1 * 1024 * 1024)

    response = login(carrier_coordinator).post(
        create_url(published_product), form_data(file=upload(content=content))
    )

    assert response.status_code == 400
    assert file_error_codes(response) == ["too_large"]
    assert Material.objects.count() == 0
    assert private_files() == []


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"url": "https://site.example/"}, "file_and_link"),
        ({}, "no_file"),
    ],
)
def test_a_file_and_a_link_or_neither_is_refused(
    login, published_product, carrier_coordinator, extra, code
):
    data = form_data(**extra)
    if code == "file_and_link":
        data["file"] = upload()

    response = login(carrier_coordinator).post(create_url(published_product), data)

    assert response.status_code == 400
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == [
        code
    ]
    assert Material.objects.count() == 0
    assert private_files() == []


def test_missing_fields_show_errors_and_store_nothing(
    login, published_product, carrier_coordinator
):
    response = login(carrier_coordinator).post(
        create_url(published_product),
        form_data(title="", kind="poster", url="not a link", file=upload()),
    )

    errors = response.context["form"].errors.as_data()
    assert response.status_code == 400
    assert {field: [e.code for e in errors[field]] for field in errors} == {
        "title": ["required"],
        "kind": ["invalid_choice"],
        "url": ["invalid"],
    }
    assert Material.objects.count() == 0
    assert private_files() == []


# material_edit


def test_anonymous_visitor_is_sent_to_sign_in_to_edit(client, published_product):
    material = material_of(published_product, visibility="public")
    url = edit_url(material)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, login_redirect(url))


def test_outsider_gets_404_for_editing_a_material_for_partners(
    login, published_product, outsider
):
    material = material_of(published_product)

    response = login(outsider).post(edit_url(material), form_data())

    assert response.status_code == 404
    assert Material.objects.values_list("title", flat=True).get() == (
        "Проект соглашения"
    )


@pytest.mark.parametrize("persona", ["outsider", "carrier_specialist", "expert"])
def test_who_may_see_a_public_material_but_not_edit_gets_403(
    request, login, published_product, persona
):
    material = material_of(published_product, visibility="public")
    before = snapshot()

    response = login(request.getfixturevalue(persona)).post(
        edit_url(material), form_data()
    )

    assert response.status_code == 403
    assert snapshot() == before


def test_material_of_another_product_is_404(
    login, published_product, draft_product, carrier_coordinator
):
    material = material_of(draft_product)
    url = reverse("products:material_edit", args=[published_product.pk, material.pk])

    response = login(carrier_coordinator).get(url)

    assert response.status_code == 404


def test_coordinator_sees_the_material_in_the_edit_form(
    login, published_product, carrier_coordinator
):
    material = material_of(published_product)

    response = login(carrier_coordinator).get(edit_url(material))

    assert response.status_code == 200
    assert response.context["material"] == material
    assert response.context["form"].initial == {
        "kind": "normative",
        "title": "Проект соглашения",
        "description": "",
        "visibility": "partners",
    }
    assert "file" not in response.context["form"].fields


def test_coordinator_edits_a_material(login, published_product, carrier_coordinator):
    material = material_of(published_product)
    stored = material.file.name

    response = login(carrier_coordinator).post(
        edit_url(material),
        form_data(kind="instructions", title="Инструкция", visibility="public"),
    )

    material.refresh_from_db()
    assert (response.status_code, response.url) == (302, section_of(published_product))
    assert (
        material.kind,
        material.title,
        material.description,
        material.visibility,
        material.file.name,
    ) == ("instructions", "Инструкция", "Для учителей", "public", stored)


def test_an_invalid_edit_shows_errors_and_changes_nothing(
    login, published_product, carrier_coordinator
):
    material = material_of(published_product)
    before = snapshot()

    response = login(carrier_coordinator).post(
        edit_url(material), form_data(title="", visibility="everyone")
    )

    errors = response.context["form"].errors.as_data()
    assert response.status_code == 400
    assert {field: [e.code for e in errors[field]] for field in errors} == {
        "title": ["required"],
        "visibility": ["invalid_choice"],
    }
    assert snapshot() == before


# material_delete


def test_delete_needs_a_post(login, published_product, carrier_coordinator):
    material = material_of(published_product)

    response = login(carrier_coordinator).get(delete_url(material))

    assert response.status_code == 405
    assert Material.objects.count() == 1


def test_anonymous_visitor_is_sent_to_sign_in_to_delete(client, published_product):
    material = material_of(published_product, visibility="public")
    url = delete_url(material)

    response = client.post(url)

    assert (response.status_code, response.url) == (302, login_redirect(url))
    assert Material.objects.count() == 1


def test_outsider_gets_404_for_deleting_a_material_for_partners(
    login, published_product, outsider
):
    material = material_of(published_product)

    response = login(outsider).post(delete_url(material))

    assert response.status_code == 404
    assert Material.objects.count() == 1
    assert private_files() == [material.file.name]


@pytest.mark.parametrize("persona", ["carrier_specialist", "expert"])
def test_who_may_not_edit_gets_403_for_deleting(
    request, login, published_product, persona
):
    material = material_of(published_product)

    response = login(request.getfixturevalue(persona)).post(delete_url(material))

    assert response.status_code == 403
    assert Material.objects.count() == 1
    assert private_files() == [material.file.name]


def test_coordinator_deletes_a_material_and_its_file(
    login, published_product, carrier_coordinator, django_capture_on_commit_callbacks
):
    material = material_of(published_product)
    client = login(carrier_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(material))

    assert (response.status_code, response.url) == (302, section_of(published_product))
    assert Material.objects.count() == 0
    assert private_files() == []


# material_download


def test_anyone_downloads_a_public_file_with_its_name_type_and_bytes(
    client, published_product
):
    material = material_of(published_product, visibility="public")

    response = client.get(download_url(material))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("Соглашение о сотрудничестве.pdf")
    )
    assert response["Content-Length"] == str(len(PDF_BYTES))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


@pytest.mark.parametrize("persona", [None, "outsider", "recipient_head"])
def test_a_material_for_partners_is_404_outside_the_circle(
    request, login, published_product, persona
):
    material = material_of(published_product)
    user = request.getfixturevalue(persona) if persona else None

    response = login(user).get(download_url(material))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "carrier_head", "expert", "administrator"]
)
def test_carrier_members_and_moderators_download_a_material_for_partners(
    request, login, published_product, persona
):
    material = material_of(published_product)

    response = login(request.getfixturevalue(persona)).get(download_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    response.close()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Interest.Status.ACCEPTED, 200),
        (Interest.Status.IN_CONTACT, 404),
        (Interest.Status.DECLINED, 404),
    ],
)
def test_only_an_accepted_partner_downloads_a_material_for_partners(
    login,
    published_product,
    recipient,
    recipient_head,
    recipient_specialist,
    status,
    expected,
):
    Interest.objects.create(
        product=published_product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить",
        status=status,
    )
    material = material_of(published_product)

    response = login(recipient_specialist).get(download_url(material))

    assert response.status_code == expected
    response.close()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Interest.Status.ACCEPTED, 200), (Interest.Status.IN_CONTACT, 404)],
)
def test_an_accepted_partner_keeps_an_archived_product_and_its_materials(
    client,
    login,
    published_product,
    recipient,
    recipient_head,
    recipient_specialist,
    outsider,
    status,
    expected,
):
    Interest.objects.create(
        product=published_product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить",
        status=status,
    )
    material = material_of(published_product)
    Product.objects.filter(pk=published_product.pk).update(
        status=Product.Status.ARCHIVED
    )
    page = reverse("products:product_detail", args=[published_product.pk])

    login(recipient_specialist)
    assert client.get(page).status_code == expected
    download = client.get(download_url(material))
    assert download.status_code == expected
    if download.streaming:
        # Read to its end, the file is closed the way the test client
        # expects; closing the response would close the database connection.
        b"".join(download.streaming_content)
    login(outsider)
    assert client.get(page).status_code == 404
    assert client.get(download_url(material)).status_code == 404


def test_a_material_of_a_draft_is_404_to_an_outsider_even_when_public(
    login, draft_product, outsider
):
    material = material_of(draft_product, visibility="public")

    response = login(outsider).get(download_url(material))

    assert response.status_code == 404


def test_a_link_material_redirects_to_the_link(client, published_product):
    material = material_of(
        published_product,
        visibility="public",
        upload=None,
        url="https://video.example/webinar",
    )

    response = client.get(download_url(material))

    assert (response.status_code, response.url) == (
        302,
        "https://video.example/webinar",
    )


def test_a_link_for_partners_does_not_redirect_an_outsider(
    login, published_product, outsider
):
    material = material_of(
        published_product, upload=None, url="https://video.example/closed"
    )

    response = login(outsider).get(download_url(material))

    assert response.status_code == 404


def test_a_file_missing_from_storage_is_404(client, published_product):
    material = material_of(published_product, visibility="public")
    (Path(settings.PRIVATE_MEDIA_ROOT) / material.file.name).unlink()

    response = client.get(download_url(material))

    assert response.status_code == 404


# the materials section of the product page


def test_the_section_shows_an_outsider_public_materials_only(
    login, published_product, outsider
):
    public = material_of(published_product, visibility="public", title="Публикация")
    private = material_of(published_product)

    response = login(outsider).get(published_product.get_absolute_url())

    html = response.content.decode()
    assert response.context["materials"] == [public]
    assert download_url(public) in html
    assert download_url(private) not in html
    assert create_url(published_product) not in html
    assert edit_url(public) not in html
    assert delete_url(public) not in html


def test_the_section_shows_editors_every_material_with_their_buttons(
    login, published_product, carrier_coordinator
):
    public = material_of(published_product, visibility="public", title="Публикация")
    private = material_of(published_product)
    link = material_of(
        published_product,
        kind=Material.Kind.VIDEO,
        upload=None,
        url="https://video.example/webinar",
    )

    response = login(carrier_coordinator).get(published_product.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert create_url(published_product) in html
    for material in (public, private, link):
        assert edit_url(material) in html
        assert delete_url(material) in html
    assert download_url(private) in html
    assert 'href="https://video.example/webinar"' in html
    assert html.count("badge text-bg-warning") == 2


def test_the_section_groups_materials_by_kind_with_format_and_size(
    published_product, carrier_coordinator
):
    material_of(
        published_product,
        kind=Material.Kind.VIDEO,
        title="Б",
        upload=None,
        url="https://v.example/",
    )
    material_of(published_product, kind=Material.Kind.NORMATIVE, title="А")
    material_of(
        published_product,
        kind=Material.Kind.NORMATIVE,
        title="В",
        upload=upload("Схема.png", PNG_BYTES),
    )
    context = selectors.product_page(published_product, carrier_coordinator)

    html = render_to_string("products/includes/materials_section.html", context)

    assert html.count("<h3") == 2
    assert html.index(str(Material.Kind.NORMATIVE.label)) < html.index(
        str(Material.Kind.VIDEO.label)
    )
    assert html.count("PDF, ") == 1
    assert html.count("PNG, ") == 1
    assert f"PDF, {filesizeformat(len(PDF_BYTES))}" in html
    assert f"PNG, {filesizeformat(len(PNG_BYTES))}" in html


def test_rendering_the_section_costs_no_queries(
    published_product, carrier_coordinator, django_assert_num_queries
):
    for number in range(5):
        material_of(published_product, title=f"Материал {number}")
    context = selectors.product_page(published_product, carrier_coordinator)

    with django_assert_num_queries(0):
        render_to_string("products/includes/materials_section.html", context)


def page_queries(client, product) -> int:
    client.get(product.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", [None, "carrier_coordinator", "recipient_head"])
def test_product_page_queries_do_not_grow_with_the_materials(
    request, login, published_product, persona
):
    client = login(request.getfixturevalue(persona) if persona else None)
    material_of(published_product)
    material_of(published_product, visibility="public")
    with_two = page_queries(client, published_product)
    for number in range(5):
        material_of(published_product, title=f"Материал {number}")
        material_of(
            published_product,
            visibility="public",
            upload=None,
            url=f"https://site.example/{number}",
        )

    with_twelve = page_queries(client, published_product)

    assert with_twelve == with_two
