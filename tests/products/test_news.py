"""News of the «Региональная инновационная площадка» section: services,
pages, feeds and the home-page selector.
"""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from products.models import NewsItem
from products.selectors_news import latest_news
from products.services import news as services
from tests.factories import OrganisationFactory, ProductFactory, member
from tests.products.access_events import NewsItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def news_fields(**changes) -> dict:
    fields = {
        "title": "Школа № 619 провела форум «Цифровая школа»",
        "summary": "Более двухсот педагогов из двенадцати районов.",
        "body": "## Итоги\n\nФорум собрал **двести** участников.",
    }
    fields.update(changes)
    return fields


def form_data(**changes) -> dict:
    data = {**news_fields(), "product": "", "is_published": "on"}
    data.update(changes)
    return data


def news_snapshot() -> list[tuple]:
    return list(
        NewsItem.objects.order_by("pk").values_list(
            "pk", "title", "organisation_id", "product_id", "is_published"
        )
    )


@pytest.fixture
def unverified_school(db):
    return OrganisationFactory(short_name="ГБОУ СОШ № 1 (новая)", is_verified=False)


@pytest.fixture
def unverified_head(unverified_school):
    return member(unverified_school, Role.HEAD, email="head@new-school.example")


# publish_news


def test_administrator_publishes_platform_news(administrator):
    item = services.publish_news(actor=administrator, **news_fields())

    stored = NewsItem.objects.get()
    assert stored == item
    assert stored.organisation is None
    assert stored.author == administrator
    assert stored.is_published is True
    assert stored.title == "Школа № 619 провела форум «Цифровая школа»"
    assert stored.history.count() == 1


@pytest.mark.parametrize("persona", ["carrier_head", "carrier_coordinator"])
def test_leader_of_a_verified_organisation_publishes_its_news(
    request, carrier, published_product, persona
):
    actor = request.getfixturevalue(persona)

    item = services.publish_news(
        actor=actor, organisation=carrier, product=published_product, **news_fields()
    )

    assert item.organisation == carrier
    assert item.product == published_product
    assert item.author == actor
    assert NewsItem.objects.count() == 1


def test_leader_saves_a_draft(carrier, carrier_head):
    item = services.publish_news(
        actor=carrier_head, organisation=carrier, is_published=False, **news_fields()
    )

    assert item.is_published is False


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "expert", "outsider"]
)
def test_only_an_administrator_publishes_platform_news(request, persona):
    with pytest.raises(PermissionDenied):
        services.publish_news(actor=request.getfixturevalue(persona), **news_fields())

    assert NewsItem.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "outsider", "recipient_head", "administrator"]
)
def test_who_does_not_lead_the_organisation_may_not_publish_its_news(
    request, carrier, persona
):
    actor = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.publish_news(actor=actor, organisation=carrier, **news_fields())

    assert NewsItem.objects.count() == 0


def test_unverified_organisation_may_not_publish_news(
    unverified_school, unverified_head
):
    with pytest.raises(ValidationError) as refusal:
        services.publish_news(
            actor=unverified_head, organisation=unverified_school, **news_fields()
        )

    assert refusal.value.code == "organisation_not_verified"
    assert NewsItem.objects.count() == 0


def test_news_may_not_be_about_another_organisations_product(
    carrier, carrier_head, recipient
):
    foreign = ProductFactory(carrier=recipient)

    with pytest.raises(ValidationError) as refusal:
        services.publish_news(
            actor=carrier_head, organisation=carrier, product=foreign, **news_fields()
        )

    assert refusal.value.error_dict["product"][0].code == "foreign_product"
    assert NewsItem.objects.count() == 0


def test_news_without_a_title_is_refused(carrier, carrier_head):
    with pytest.raises(ValidationError) as refusal:
        services.publish_news(
            actor=carrier_head, organisation=carrier, **news_fields(title="")
        )

    assert refusal.value.error_dict["title"][0].code == "blank"
    assert NewsItem.objects.count() == 0


def test_publish_news_takes_no_field_it_does_not_know(carrier, carrier_head):
    with pytest.raises(TypeError):
        services.publish_news(
            actor=carrier_head, organisation=carrier, author_id=1, **news_fields()
        )

    assert NewsItem.objects.count() == 0


# update_news


def test_leader_changes_news_of_the_organisation(carrier, carrier_coordinator):
    item = NewsItemFactory(organisation=carrier)

    services.update_news(item=item, actor=carrier_coordinator, title="Исправлено")

    item.refresh_from_db()
    assert item.title == "Исправлено"
    assert item.history.count() == 2


def test_draft_gets_the_moment_it_is_published_as_its_date(carrier, carrier_head):
    week_ago = timezone.now() - timedelta(days=7)
    item = NewsItemFactory(
        organisation=carrier, is_published=False, published_at=week_ago
    )

    services.update_news(item=item, actor=carrier_head, is_published=True)

    item.refresh_from_db()
    assert item.is_published is True
    assert item.published_at > timezone.now() - timedelta(minutes=1)


def test_published_news_keeps_its_date_when_changed(carrier, carrier_head):
    week_ago = timezone.now() - timedelta(days=7)
    item = NewsItemFactory(organisation=carrier, published_at=week_ago)

    services.update_news(item=item, actor=carrier_head, summary="Новое")

    item.refresh_from_db()
    assert item.published_at == week_ago


def test_administrator_changes_any_news(carrier, administrator):
    item = NewsItemFactory(organisation=carrier)

    services.update_news(item=item, actor=administrator, is_published=False)

    item.refresh_from_db()
    assert item.is_published is False


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_lead_the_organisation_may_not_change_its_news(
    request, carrier, persona
):
    item = NewsItemFactory(organisation=carrier)
    before = news_snapshot()

    with pytest.raises(PermissionDenied):
        services.update_news(
            item=item, actor=request.getfixturevalue(persona), title="Чужое"
        )

    assert news_snapshot() == before


def test_platform_news_is_changed_by_administrators_only(carrier_head):
    item = NewsItemFactory()
    before = news_snapshot()

    with pytest.raises(PermissionDenied):
        services.update_news(item=item, actor=carrier_head, title="Чужое")

    assert news_snapshot() == before


def test_changed_news_may_not_be_about_another_organisations_product(
    carrier, carrier_head, recipient
):
    item = NewsItemFactory(organisation=carrier)
    before = news_snapshot()

    with pytest.raises(ValidationError) as refusal:
        services.update_news(
            item=item, actor=carrier_head, product=ProductFactory(carrier=recipient)
        )

    assert refusal.value.error_dict["product"][0].code == "foreign_product"
    assert news_snapshot() == before


def test_news_of_an_organisation_that_lost_verification_stays_as_it_was(
    carrier, carrier_head
):
    item = NewsItemFactory(organisation=carrier)
    carrier.is_verified = False
    carrier.save()
    before = news_snapshot()

    with pytest.raises(ValidationError) as refusal:
        services.update_news(item=item, actor=carrier_head, title="Новое")

    assert refusal.value.code == "organisation_not_verified"
    assert news_snapshot() == before


# delete_news


@pytest.mark.parametrize("persona", ["carrier_head", "administrator"])
def test_leader_or_administrator_deletes_news(request, carrier, persona):
    item = NewsItemFactory(organisation=carrier)

    services.delete_news(item=item, actor=request.getfixturevalue(persona))

    assert NewsItem.objects.count() == 0
    assert NewsItem.history.filter(history_type="-").count() == 1


def test_unverified_organisation_may_still_delete_its_news(
    unverified_school, unverified_head
):
    item = NewsItemFactory(organisation=unverified_school)

    services.delete_news(item=item, actor=unverified_head)

    assert NewsItem.objects.count() == 0


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_lead_the_organisation_may_not_delete_its_news(
    request, carrier, persona
):
    item = NewsItemFactory(organisation=carrier)

    with pytest.raises(PermissionDenied):
        services.delete_news(item=item, actor=request.getfixturevalue(persona))

    assert NewsItem.objects.count() == 1


def test_platform_news_is_deleted_by_administrators_only(carrier_head):
    item = NewsItemFactory()

    with pytest.raises(PermissionDenied):
        services.delete_news(item=item, actor=carrier_head)

    assert NewsItem.objects.count() == 1


# latest_news and its partial


def test_latest_news_are_the_newest_published_ones(carrier, django_assert_num_queries):
    now = timezone.now()
    for days, title in [(3, "Третья"), (1, "Первая"), (2, "Вторая"), (4, "Старая")]:
        NewsItemFactory(
            organisation=carrier, title=title, published_at=now - timedelta(days)
        )
    NewsItemFactory(title="Черновик", is_published=False, published_at=now)

    with django_assert_num_queries(1):
        items = latest_news()
        names = [item.organisation.short_name for item in items if item.organisation]

    assert [item.title for item in items] == ["Первая", "Вторая", "Третья"]
    assert names == ["ГБОУ СОШ № 619"] * 3


def test_latest_news_partial_links_each_item_and_the_section(carrier):
    items = [NewsItemFactory(organisation=carrier, title="Форум в Калининском")]

    html = render_to_string(
        "products/includes/latest_news.html", {"latest_news": items}
    )

    assert "Форум в Калининском" in html
    assert f'href="{items[0].get_absolute_url()}"' in html
    assert f'href="{reverse("products:news_list")}"' in html


def test_latest_news_partial_is_empty_without_news(db):
    html = render_to_string("products/includes/latest_news.html", {"latest_news": []})

    assert html.strip() == ""


# news_list


def list_url() -> str:
    return reverse("products:news_list")


def test_guest_sees_published_news_newest_first(client, carrier):
    now = timezone.now()
    NewsItemFactory(title="Вчера", published_at=now - timedelta(days=1))
    NewsItemFactory(title="Сегодня", organisation=carrier, published_at=now)
    NewsItemFactory(title="Черновик", organisation=carrier, is_published=False)

    response = client.get(list_url())

    assert response.status_code == 200
    assert [item.title for item in response.context["page"]] == ["Сегодня", "Вчера"]
    assert response.context["drafts"] == []
    assert response.context["can_create"] is False
    assert "Черновик" not in response.content.decode()


def test_news_list_is_paginated_by_ten(client, db):
    NewsItemFactory.create_batch(11)

    first = client.get(list_url())
    second = client.get(list_url(), {"page": 2})

    assert len(first.context["page"]) == 10
    assert len(second.context["page"]) == 1


def test_leader_sees_the_drafts_of_the_organisation(login, carrier, carrier_head):
    draft = NewsItemFactory(organisation=carrier, is_published=False)
    NewsItemFactory(is_published=False)
    NewsItemFactory(organisation=OrganisationFactory(), is_published=False)

    response = login(carrier_head).get(list_url())

    assert response.context["drafts"] == [draft]
    assert response.context["can_create"] is True


def test_administrator_sees_the_drafts_of_platform_news(login, administrator, carrier):
    draft = NewsItemFactory(is_published=False)
    NewsItemFactory(organisation=carrier, is_published=False)

    response = login(administrator).get(list_url())

    assert response.context["drafts"] == [draft]
    assert response.context["can_create"] is True


def test_specialist_may_not_write_news(login, carrier_specialist):
    response = login(carrier_specialist).get(list_url())

    assert response.context["can_create"] is False
    assert reverse("products:news_create") not in response.content.decode()


# Measured on SQLite: the count and the page of news with their organisation.
ANONYMOUS_LIST_QUERIES = 2
# session, user, the count and the page, drafts, "may write news" (the
# organisations led), "is expert" and the unread notifications (the layout)
SIGNED_IN_LIST_QUERIES = 8


@pytest.mark.parametrize("items", [2, 10])
def test_news_list_queries_do_not_grow_with_the_news(
    client, db, django_assert_num_queries, items
):
    for _ in range(items):
        NewsItemFactory(organisation=OrganisationFactory(), product=ProductFactory())

    with django_assert_num_queries(ANONYMOUS_LIST_QUERIES):
        response = client.get(list_url())

    assert len(response.context["page"]) == items


@pytest.mark.parametrize("items", [2, 10])
def test_news_list_queries_for_a_leader(
    login, carrier, carrier_head, django_assert_num_queries, items
):
    for _ in range(items):
        NewsItemFactory(organisation=carrier)
        NewsItemFactory(organisation=carrier, is_published=False)
    client = login(carrier_head)
    client.get(list_url())

    with django_assert_num_queries(SIGNED_IN_LIST_QUERIES):
        response = client.get(list_url())

    assert len(response.context["page"]) == items
    assert len(response.context["drafts"]) == items


# news_detail


def detail_url(item) -> str:
    return reverse("products:news_detail", args=[item.pk])


def test_guest_reads_published_news_rendered_from_markdown(client, carrier):
    item = NewsItemFactory(
        organisation=carrier,
        body="Форум собрал **двести** участников.<script>alert(1)</script>",
    )

    response = client.get(detail_url(item))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>двести</strong>" in page
    assert "<script>alert(1)" not in page
    assert response.context["can_edit"] is False


def test_news_links_its_product_only_while_it_is_published(
    client, carrier, published_product, draft_product
):
    shown = NewsItemFactory(organisation=carrier, product=published_product)
    hidden = NewsItemFactory(organisation=carrier, product=draft_product)

    shown_page = client.get(detail_url(shown))
    hidden_page = client.get(detail_url(hidden))

    assert shown_page.context["show_product"] is True
    assert published_product.get_absolute_url() in shown_page.content.decode()
    assert hidden_page.context["show_product"] is False
    assert draft_product.get_absolute_url() not in hidden_page.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 404),
        ("outsider", 404),
        ("carrier_specialist", 404),
        ("expert", 404),
        ("carrier_coordinator", 200),
        ("carrier_head", 200),
        ("administrator", 200),
    ],
)
def test_draft_news_is_read_by_its_organisation_leaders_and_administrators(
    request, login, carrier, persona, status
):
    item = NewsItemFactory(organisation=carrier, is_published=False)
    user = request.getfixturevalue(persona) if persona else None

    response = login(user).get(detail_url(item))

    assert response.status_code == status


# news_create


def create_url() -> str:
    return reverse("products:news_create")


def test_anonymous_is_sent_to_sign_in_to_write_news(client, carrier):
    response = client.post(create_url(), form_data(organisation=carrier.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert NewsItem.objects.count() == 0


@pytest.mark.parametrize("persona", ["carrier_specialist", "expert", "unverified_head"])
def test_who_leads_no_verified_organisation_gets_403_for_writing_news(
    request, login, carrier, persona
):
    client = login(request.getfixturevalue(persona))

    response = client.post(create_url(), form_data(organisation=carrier.pk))

    assert response.status_code == 403
    assert NewsItem.objects.count() == 0


def test_head_opens_the_news_form_with_own_organisations(
    login, carrier, carrier_head, published_product, draft_product
):
    response = login(carrier_head).get(create_url())

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["organisation"].queryset) == [carrier]
    assert form.fields["organisation"].required is True
    assert list(form.fields["product"].queryset) == [published_product]


def test_head_publishes_news_of_the_organisation(
    login, carrier, carrier_head, published_product
):
    response = login(carrier_head).post(
        create_url(),
        form_data(organisation=carrier.pk, product=published_product.pk),
    )

    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(item)
    assert item.organisation == carrier
    assert item.product == published_product
    assert item.author == carrier_head
    assert item.is_published is True


def test_head_saves_a_draft_of_news(login, carrier, carrier_head):
    data = form_data(organisation=carrier.pk)
    del data["is_published"]

    login(carrier_head).post(create_url(), data)

    assert NewsItem.objects.get().is_published is False


def test_administrator_publishes_platform_news_from_the_form(login, administrator):
    response = login(administrator).post(create_url(), form_data(organisation=""))

    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert item.organisation is None
    assert item.author == administrator


def test_head_may_not_write_in_the_name_of_another_organisation(
    login, carrier_head, recipient
):
    response = login(carrier_head).post(
        create_url(), form_data(organisation=recipient.pk)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["organisation"][0].code == "invalid_choice"
    assert NewsItem.objects.count() == 0


def test_head_must_choose_the_organisation(login, carrier_head):
    response = login(carrier_head).post(create_url(), form_data(organisation=""))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["organisation"][0].code == "required"
    assert NewsItem.objects.count() == 0


def test_news_form_shows_missing_fields(login, carrier, carrier_head):
    response = login(carrier_head).post(
        create_url(), form_data(organisation=carrier.pk, title="", body="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["title"][0].code == "required"
    assert errors["body"][0].code == "required"
    assert NewsItem.objects.count() == 0


# news_edit


def edit_url(item) -> str:
    return reverse("products:news_edit", args=[item.pk])


def test_anonymous_is_sent_to_sign_in_to_edit_news(client, carrier):
    item = NewsItemFactory(organisation=carrier)

    response = client.get(edit_url(item))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_outsider_gets_404_for_editing_a_draft(login, carrier, outsider):
    item = NewsItemFactory(organisation=carrier, is_published=False)
    before = news_snapshot()

    response = login(outsider).post(edit_url(item), form_data())

    assert response.status_code == 404
    assert news_snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_who_does_not_lead_the_organisation_gets_403_for_editing_its_news(
    request, login, carrier, persona
):
    item = NewsItemFactory(organisation=carrier)
    before = news_snapshot()

    response = login(request.getfixturevalue(persona)).post(edit_url(item), form_data())

    assert response.status_code == 403
    assert news_snapshot() == before


def test_coordinator_edits_news(login, carrier, carrier_coordinator, published_product):
    item = NewsItemFactory(organisation=carrier)

    response = login(carrier_coordinator).post(
        edit_url(item), form_data(title="Исправлено", product=published_product.pk)
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(item)
    item.refresh_from_db()
    assert item.title == "Исправлено"
    assert item.product == published_product
    assert item.organisation == carrier


def test_edit_form_keeps_news_with_missing_fields(login, carrier, carrier_head):
    item = NewsItemFactory(organisation=carrier)
    before = news_snapshot()

    response = login(carrier_head).post(edit_url(item), form_data(summary=""))

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert errors["summary"][0].code == "required"
    assert news_snapshot() == before


def test_edit_form_offers_only_the_organisations_published_products(
    login, carrier, carrier_head, published_product, draft_product, recipient
):
    ProductFactory(carrier=recipient)
    item = NewsItemFactory(organisation=carrier)

    response = login(carrier_head).get(edit_url(item))

    assert list(response.context["form"].fields["product"].queryset) == [
        published_product
    ]


# news_delete


def delete_url(item) -> str:
    return reverse("products:news_delete", args=[item.pk])


def test_news_is_not_deleted_by_a_get(login, carrier, carrier_head):
    item = NewsItemFactory(organisation=carrier)

    response = login(carrier_head).get(delete_url(item))

    assert response.status_code == 405
    assert NewsItem.objects.count() == 1


def test_anonymous_is_sent_to_sign_in_to_delete_news(client, carrier):
    item = NewsItemFactory(organisation=carrier)

    response = client.post(delete_url(item))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert NewsItem.objects.count() == 1


def test_outsider_gets_404_for_deleting_a_draft(login, carrier, outsider):
    item = NewsItemFactory(organisation=carrier, is_published=False)

    response = login(outsider).post(delete_url(item))

    assert response.status_code == 404
    assert NewsItem.objects.count() == 1


def test_specialist_gets_403_for_deleting_news(login, carrier, carrier_specialist):
    item = NewsItemFactory(organisation=carrier)

    response = login(carrier_specialist).post(delete_url(item))

    assert response.status_code == 403
    assert NewsItem.objects.count() == 1


def test_head_deletes_news(login, carrier, carrier_head):
    item = NewsItemFactory(organisation=carrier)

    response = login(carrier_head).post(delete_url(item))

    assert response.status_code == 302
    assert response["Location"] == list_url()
    assert NewsItem.objects.count() == 0


# news_rss and news_atom


@pytest.fixture
def many_news(carrier):
    now = timezone.now()
    for number in range(22):
        NewsItemFactory(
            organisation=carrier if number % 2 else None,
            title=f"Новость {number}",
            published_at=now - timedelta(hours=number),
        )
    NewsItemFactory(title="Черновик", is_published=False, published_at=now)


def test_rss_feed_has_the_twenty_latest_published_news(client, many_news):
    response = client.get(reverse("products:news_rss"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == "ru"
    items = channel.findall("item")
    assert len(items) == 20
    assert [item.findtext("title") for item in items[:2]] == ["Новость 0", "Новость 1"]
    assert (
        items[0]
        .findtext("link")
        .endswith(
            reverse(
                "products:news_detail",
                args=[NewsItem.objects.get(title="Новость 0").pk],
            )
        )
    )


def test_atom_feed_has_the_twenty_latest_published_news(client, many_news):
    response = client.get(reverse("products:news_atom"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.get(XML_LANG) == "ru"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entries[0].findtext(f"{ATOM}title") == "Новость 0"
    assert "Черновик" not in response.content.decode()


def test_feeds_are_valid_and_empty_without_news(client, db):
    rss = client.get(reverse("products:news_rss"))
    atom = client.get(reverse("products:news_atom"))

    assert ElementTree.fromstring(rss.content).find("channel").findall("item") == []
    assert ElementTree.fromstring(atom.content).findall(f"{ATOM}entry") == []
