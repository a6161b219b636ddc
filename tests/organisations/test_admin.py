"""The organisations section of the admin site."""

import pytest
from django.contrib.messages import get_messages

from organisations.models import Membership, Organisation, Role, RoleGroup
from organisations.roles import group_name
from tests.factories import OrganisationFactory, UserFactory
from tests.organisations.helpers import fresh, group_names, snapshot

MODELS = ["organisation", "membership", "invitation", "joinrequest", "rolegroup"]


@pytest.fixture
def admin_client_(login, administrator):
    return login(administrator)


@pytest.fixture
def objects(carrier, carrier_head, invitation, join_request):
    """One object of each model of the app, by admin model name."""
    return {
        "organisation": carrier,
        "membership": Membership.objects.get(user=carrier_head),
        "invitation": invitation,
        "joinrequest": join_request,
        "rolegroup": RoleGroup.objects.get(organisation=carrier, role=Role.HEAD),
    }


@pytest.mark.parametrize("model", MODELS)
def test_administrator_opens_the_changelist(admin_client_, objects, model):
    response = admin_client_.get(f"/admin/organisations/{model}/")

    assert response.status_code == 200
    assert sorted(obj.pk for obj in response.context["cl"].result_list) == sorted(
        type(objects[model]).objects.values_list("pk", flat=True)
    )


@pytest.mark.parametrize("model", MODELS)
def test_administrator_opens_the_change_page(admin_client_, objects, model):
    obj = objects[model]

    response = admin_client_.get(f"/admin/organisations/{model}/{obj.pk}/change/")

    assert response.status_code == 200
    assert response.context["original"] == obj


def test_administrator_opens_the_history_of_an_organisation(
    admin_client_, carrier, administrator
):
    carrier.phone = "+7 812 000-00-00"
    carrier.save()

    response = admin_client_.get(
        f"/admin/organisations/organisation/{carrier.pk}/history/"
    )

    assert response.status_code == 200
    assert response.context["object"] == carrier
    assert [record.phone for record in response.context["page_obj"]] == [
        "+7 812 000-00-00",
        "",
    ]


def test_verify_action_verifies_the_selected_organisations(
    admin_client_, administrator, db
):
    first = OrganisationFactory(is_verified=False)
    second = OrganisationFactory(is_verified=False)
    untouched = OrganisationFactory(is_verified=False)

    response = admin_client_.post(
        "/admin/organisations/organisation/",
        {"action": "verify", "_selected_action": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    assert dict(Organisation.objects.values_list("pk", "verified_by")) == {
        first.pk: administrator.pk,
        second.pk: administrator.pk,
        untouched.pk: None,
    }
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_verify_action_leaves_an_already_verified_organisation_as_it_was(
    admin_client_, carrier
):
    before = snapshot()

    admin_client_.post(
        "/admin/organisations/organisation/",
        {"action": "verify", "_selected_action": [carrier.pk]},
    )

    assert snapshot() == before


def test_administrator_gives_a_membership_to_another_user_in_the_admin(
    admin_client_, carrier, carrier_head
):
    membership = Membership.objects.get(user=carrier_head)
    successor = UserFactory(email="new.head@school619.example")

    response = admin_client_.post(
        f"/admin/organisations/membership/{membership.pk}/change/",
        {"user": successor.pk, "organisation": carrier.pk, "role": "head"},
    )

    assert response.status_code == 302
    assert group_names(successor) == [group_name(carrier, Role.HEAD)]
    assert group_names(carrier_head) == []
    assert (
        fresh(carrier_head).has_perm("organisations.change_organisation", carrier)
        is False
    )


def test_invitations_cannot_be_added_in_the_admin(admin_client_, db):
    response = admin_client_.get("/admin/organisations/invitation/add/")

    assert response.status_code == 403


def test_role_groups_are_read_only_in_the_admin(admin_client_, objects):
    role_group = objects["rolegroup"]
    before = snapshot()

    response = admin_client_.post(
        f"/admin/organisations/rolegroup/{role_group.pk}/change/",
        {"organisation": role_group.organisation_id, "role": "specialist"},
    )

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["carrier_head", "expert"])
@pytest.mark.parametrize("model", MODELS)
def test_non_staff_user_is_sent_to_the_admin_login(
    request, login, objects, persona, model
):
    client = login(request.getfixturevalue(persona))
    url = f"/admin/organisations/{model}/"

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"/admin/login/?next={url}")


def test_non_staff_user_cannot_run_the_verify_action(login, carrier_head, db):
    organisation = OrganisationFactory(is_verified=False)
    client = login(carrier_head)
    before = snapshot()

    response = client.post(
        "/admin/organisations/organisation/",
        {"action": "verify", "_selected_action": [organisation.pk]},
    )

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    assert snapshot() == before
