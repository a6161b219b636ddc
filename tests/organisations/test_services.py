"""Every branch of organisations/services.py."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from organisations import services
from organisations.models import (
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    Role,
    hash_token,
)
from organisations.roles import group_name
from tests.factories import OrganisationFactory, UserFactory
from tests.organisations.factories import InvitationFactory, JoinRequestFactory
from tests.organisations.helpers import fresh, group_names, snapshot

SITE_URL = "https://innoteka.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def membership_of(user, organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=organisation)


# register_organisation


@pytest.fixture
def new_school(db):
    """An organisation filled in on the registration form, not saved yet."""
    return OrganisationFactory.build(
        full_name="Государственное бюджетное общеобразовательное учреждение "
        "лицей № 239 Центрального района Санкт-Петербурга",
        short_name="ГБОУ лицей № 239",
        kind=Organisation.Kind.LYCEUM,
        inn="7830002293",
        ogrn="1027700132195",
        is_verified=True,  # whatever the form says, it starts unverified
    )


def test_register_organisation_makes_the_actor_its_unverified_head(
    new_school, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organisation = services.register_organisation(
            organisation=new_school, actor=applicant
        )

    organisation.refresh_from_db()
    assert organisation.short_name == "ГБОУ лицей № 239"
    assert organisation.is_verified is False
    assert organisation.verified_at is None
    assert organisation.created_by == applicant
    assert list(
        Membership.objects.filter(organisation=organisation).values_list("user", "role")
    ) == [(applicant.pk, "head")]
    assert group_names(applicant) == [group_name(organisation, Role.HEAD)]


def test_register_organisation_emails_active_administrators_after_commit(
    new_school, applicant, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="retired-admin@innoteka.example", is_staff=True, is_active=False)
    UserFactory(email="teacher@school.example")

    with django_capture_on_commit_callbacks() as callbacks:
        organisation = services.register_organisation(
            organisation=new_school, actor=applicant
        )
    sent_before_commit = len(mailoutbox)
    for callback in callbacks:
        callback()

    assert sent_before_commit == 0
    assert [message.to for message in mailoutbox] == [["admin@innoteka.example"]]
    assert (
        f"{SITE_URL}/admin/organisations/organisation/{organisation.pk}/change/"
        in mailoutbox[0].body
    )
    assert "7830002293" in mailoutbox[0].body


def test_register_organisation_refuses_an_unconfirmed_actor(
    new_school, administrator, mailoutbox, django_capture_on_commit_callbacks
):
    unconfirmed = UserFactory(email_confirmed_at=None)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied),
    ):
        services.register_organisation(organisation=new_school, actor=unconfirmed)

    assert snapshot() == before
    assert mailoutbox == []


def test_register_organisation_refuses_an_anonymous_actor(new_school, anonymous):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.register_organisation(organisation=new_school, actor=anonymous)

    assert snapshot() == before


def test_register_organisation_refuses_a_duplicate_inn_and_creates_nothing(
    new_school,
    applicant,
    administrator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    OrganisationFactory(inn="7830002293")
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as raised,
    ):
        services.register_organisation(organisation=new_school, actor=applicant)

    constraint = Organisation._meta.constraints[0]
    assert raised.value.messages == [str(constraint.violation_error_message)]
    assert snapshot() == before
    assert group_names(applicant) == []
    assert mailoutbox == []


def test_register_organisation_refuses_an_invalid_inn(new_school, applicant):
    new_school.inn = "7830002294"
    before = snapshot()

    with pytest.raises(ValidationError) as raised:
        services.register_organisation(organisation=new_school, actor=applicant)

    assert [error.code for error in raised.value.error_dict["inn"]] == ["inn_checksum"]
    assert snapshot() == before


# verify_organisation


def test_verify_organisation_by_an_administrator_records_who_and_when(
    db, administrator
):
    organisation = OrganisationFactory(is_verified=False)
    started = timezone.now()

    result = services.verify_organisation(
        organisation=organisation, actor=administrator
    )

    organisation.refresh_from_db()
    assert result is True
    assert organisation.is_verified is True
    assert organisation.verified_by == administrator
    assert started <= organisation.verified_at <= timezone.now()


def test_verify_organisation_twice_returns_false_and_keeps_the_first_record(
    db, administrator
):
    organisation = OrganisationFactory(is_verified=False)
    services.verify_organisation(organisation=organisation, actor=administrator)
    organisation.refresh_from_db()
    first_verified_at = organisation.verified_at
    other_admin = UserFactory(is_staff=True)

    result = services.verify_organisation(organisation=organisation, actor=other_admin)

    organisation.refresh_from_db()
    assert result is False
    assert organisation.verified_at == first_verified_at
    assert organisation.verified_by == administrator


@pytest.mark.parametrize("persona", ["carrier_head", "expert", "anonymous"])
def test_verify_organisation_refuses_anyone_but_an_administrator(
    request, carrier, persona
):
    carrier.is_verified = False
    carrier.save()
    actor = request.getfixturevalue(persona)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.verify_organisation(organisation=carrier, actor=actor)

    carrier.refresh_from_db()
    assert carrier.is_verified is False
    assert snapshot() == before


# invite_member


def test_invite_member_stores_only_the_hash_of_the_emailed_token(
    carrier, carrier_head, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.INVITATION_VALID_DAYS = 3
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(
            organisation=carrier,
            email="  New.Teacher@School619.Example ",
            role=Role.COORDINATOR,
            actor=carrier_head,
        )

    invitation.refresh_from_db()
    assert invitation.email == "new.teacher@school619.example"
    assert invitation.role == "coordinator"
    assert invitation.invited_by == carrier_head
    assert invitation.is_pending is True
    assert (
        started + timedelta(days=3)
        <= invitation.expires_at
        <= timezone.now() + timedelta(days=3)
    )
    assert [message.to for message in mailoutbox] == [["new.teacher@school619.example"]]
    links = re.findall(
        rf"{re.escape(SITE_URL)}/organisations/invitations/([^/\s]+)/",
        mailoutbox[0].body,
    )
    assert len(links) == 1
    token = links[0]
    assert hash_token(token) == invitation.token_hash
    assert token not in invitation.token_hash
    assert services.find_invitation(token) == invitation


def test_invite_member_builds_the_link_from_the_request(
    rf, settings, carrier, carrier_head, mailoutbox, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["school.innoteka.example"]
    request = rf.get("/", HTTP_HOST="school.innoteka.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_member(
            organisation=carrier,
            email="new.teacher@school619.example",
            role=Role.SPECIALIST,
            actor=carrier_head,
            request=request,
        )

    assert "http://school.innoteka.example/organisations/invitations/" in (
        mailoutbox[0].body
    )


def test_invite_member_refuses_an_existing_member(
    carrier,
    carrier_head,
    carrier_specialist,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.invite_member(
            organisation=carrier,
            email="TEACHER@school619.example",
            role=Role.SPECIALIST,
            actor=carrier_head,
        )

    assert snapshot() == before
    assert mailoutbox == []


def test_invite_member_refuses_a_second_pending_invitation_to_the_same_address(
    carrier, carrier_head, mailoutbox, django_capture_on_commit_callbacks
):
    # A double-submitted form: the second submission sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite_member(
            organisation=carrier,
            email="new.teacher@school619.example",
            role=Role.SPECIALIST,
            actor=carrier_head,
        )
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.invite_member(
            organisation=carrier,
            email="New.Teacher@school619.example",
            role=Role.SPECIALIST,
            actor=carrier_head,
        )

    assert snapshot() == before
    assert list(Invitation.objects.values_list("pk", flat=True)) == [first.pk]
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("ended", ["revoked_at", "expires_at"])
def test_invite_member_may_invite_again_after_the_first_invitation_ended(
    carrier, carrier_head, ended
):
    old = InvitationFactory(organisation=carrier, email="new.teacher@school619.example")
    setattr(old, ended, timezone.now() - timedelta(minutes=1))
    old.save()

    invitation = services.invite_member(
        organisation=carrier,
        email="new.teacher@school619.example",
        role=Role.SPECIALIST,
        actor=carrier_head,
    )

    assert Invitation.objects.count() == 2
    assert invitation.pk != old.pk


def test_invite_member_pending_invitation_elsewhere_does_not_block(
    carrier, recipient, carrier_head
):
    InvitationFactory(organisation=recipient, email="new.teacher@school619.example")

    invitation = services.invite_member(
        organisation=carrier,
        email="new.teacher@school619.example",
        role=Role.SPECIALIST,
        actor=carrier_head,
    )

    assert invitation.organisation == carrier


@pytest.mark.parametrize("role", [Role.HEAD, Role.COORDINATOR, Role.SPECIALIST])
def test_head_may_invite_into_every_role(carrier, carrier_head, role):
    invitation = services.invite_member(
        organisation=carrier,
        email="new.teacher@school619.example",
        role=role,
        actor=carrier_head,
    )

    assert invitation.role == role


def test_coordinator_may_invite_a_specialist(carrier, carrier_coordinator):
    invitation = services.invite_member(
        organisation=carrier,
        email="new.teacher@school619.example",
        role=Role.SPECIALIST,
        actor=carrier_coordinator,
    )

    assert (invitation.role, invitation.invited_by) == (
        "specialist",
        carrier_coordinator,
    )


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("carrier_coordinator", Role.HEAD),
        ("carrier_coordinator", Role.COORDINATOR),
        ("carrier_specialist", Role.SPECIALIST),
        ("outsider", Role.SPECIALIST),
        ("expert", Role.SPECIALIST),
    ],
)
def test_invite_member_refuses_a_role_the_actor_may_not_grant(
    request,
    carrier,
    carrier_head,
    persona,
    role,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    actor = request.getfixturevalue(persona)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied),
    ):
        services.invite_member(
            organisation=carrier,
            email="new.teacher@school619.example",
            role=role,
            actor=actor,
        )

    assert snapshot() == before
    assert mailoutbox == []


def test_invite_member_refuses_an_unknown_role(carrier, carrier_head):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.invite_member(
            organisation=carrier,
            email="new.teacher@school619.example",
            role="director",
            actor=carrier_head,
        )

    assert snapshot() == before


# find_invitation


def test_find_invitation_returns_none_for_an_unknown_token(invitation):
    assert services.find_invitation("not-a-token") is None


def test_find_invitation_finds_an_ended_invitation_too(invitation, invitation_token):
    invitation.revoked_at = timezone.now()
    invitation.save()

    assert services.find_invitation(invitation_token) == invitation


# accept_invitation


def test_accept_invitation_makes_the_user_a_member_in_the_invited_role(
    carrier, invitation, applicant
):
    started = timezone.now()

    membership = services.accept_invitation(invitation=invitation, user=applicant)

    invitation.refresh_from_db()
    assert (membership.user, membership.organisation, membership.role) == (
        applicant,
        carrier,
        "coordinator",
    )
    assert invitation.accepted_by == applicant
    assert started <= invitation.accepted_at <= timezone.now()
    assert group_names(applicant) == [group_name(carrier, Role.COORDINATOR)]
    assert fresh(applicant).has_perm("organisations.change_organisation", carrier)


def test_accept_invitation_compares_addresses_ignoring_case(carrier, invitation):
    user = UserFactory(email="NewTeacher@School619.example")

    membership = services.accept_invitation(invitation=invitation, user=user)

    assert membership.organisation == carrier


def test_accept_invitation_refuses_a_user_with_another_address(
    invitation, carrier_specialist, recipient_specialist
):
    before = snapshot()

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, user=recipient_specialist)

    assert snapshot() == before


@pytest.mark.parametrize(
    "ending",
    [
        {"expires_at": timezone.now() - timedelta(seconds=1)},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "revoked"],
)
def test_accept_invitation_refuses_an_invitation_that_ended(
    invitation, applicant, ending
):
    Invitation.objects.filter(pk=invitation.pk).update(**ending)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, user=applicant)

    assert snapshot() == before
    assert Membership.objects.filter(user=applicant).exists() is False


def test_accept_invitation_refuses_one_already_accepted_by_someone_else(
    invitation, applicant
):
    someone = UserFactory()
    Invitation.objects.filter(pk=invitation.pk).update(
        accepted_at=timezone.now(), accepted_by=someone
    )
    before = snapshot()

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, user=applicant)

    assert snapshot() == before


def test_accept_invitation_twice_by_the_same_user_returns_the_same_membership(
    invitation, applicant
):
    first = services.accept_invitation(invitation=invitation, user=applicant)
    before = snapshot()

    second = services.accept_invitation(invitation=invitation, user=applicant)

    assert second.pk == first.pk
    assert snapshot() == before


def test_accept_invitation_again_after_leaving_is_refused_not_a_crash(
    invitation, applicant
):
    membership = services.accept_invitation(invitation=invitation, user=applicant)
    services.remove_member(membership=membership, actor=applicant)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, user=applicant)

    assert snapshot() == before


def test_accept_invitation_refuses_a_user_who_is_already_a_member(
    carrier, invitation, applicant
):
    Membership.objects.create(
        user=applicant, organisation=carrier, role=Role.SPECIALIST
    )
    before = snapshot()

    with pytest.raises(ValidationError):
        services.accept_invitation(invitation=invitation, user=applicant)

    assert snapshot() == before
    assert membership_of(applicant, carrier).role == "specialist"


def test_accept_invitation_approves_the_users_pending_join_request(
    invitation, join_request, applicant
):
    started = timezone.now()

    services.accept_invitation(invitation=invitation, user=applicant)

    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert started <= join_request.decided_at <= timezone.now()


def test_accept_invitation_leaves_other_join_requests_alone(
    carrier, recipient, invitation, applicant, recipient_head
):
    other = JoinRequestFactory(organisation=recipient, user=applicant)

    services.accept_invitation(invitation=invitation, user=applicant)

    other.refresh_from_db()
    assert other.status == "pending"


# revoke_invitation


@pytest.mark.parametrize(
    "persona", ["carrier_head", "carrier_coordinator", "administrator"]
)
def test_revoke_invitation_ends_a_pending_invitation(
    request, invitation, invitation_token, persona
):
    actor = request.getfixturevalue(persona)

    services.revoke_invitation(invitation=invitation, actor=actor)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.is_pending is False


@pytest.mark.parametrize("persona", ["carrier_specialist", "outsider", "expert"])
def test_revoke_invitation_refuses_who_may_not_invite(request, invitation, persona):
    actor = request.getfixturevalue(persona)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.revoke_invitation(invitation=invitation, actor=actor)

    assert snapshot() == before


def test_revoke_invitation_refuses_an_accepted_invitation(
    invitation, applicant, carrier_head
):
    services.accept_invitation(invitation=invitation, user=applicant)
    invitation.refresh_from_db()
    before = snapshot()

    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation=invitation, actor=carrier_head)

    assert snapshot() == before


# request_to_join


def test_request_to_join_emails_every_head_of_the_organisation(
    carrier,
    carrier_head,
    second_carrier_head,
    carrier_coordinator,
    applicant,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.request_to_join(
            organisation=carrier, user=applicant, message="Учитель физики."
        )

    join_request.refresh_from_db()
    assert (join_request.user, join_request.status, join_request.message) == (
        applicant,
        "pending",
        "Учитель физики.",
    )
    assert sorted(message.to[0] for message in mailoutbox) == [
        "deputy@school619.example",
        "head@school619.example",
    ]
    assert f"{SITE_URL}/organisations/{carrier.pk}/members/" in mailoutbox[0].body


def test_request_to_join_again_while_pending_returns_the_pending_request(
    carrier, carrier_head, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_to_join(organisation=carrier, user=applicant)
        second = services.request_to_join(
            organisation=carrier, user=applicant, message="Ещё раз."
        )

    assert second.pk == first.pk
    assert JoinRequest.objects.filter(user=applicant).count() == 1
    assert len(mailoutbox) == 1


def test_request_to_join_after_a_decline_makes_a_new_request(
    carrier, carrier_head, applicant
):
    declined = JoinRequestFactory(
        organisation=carrier, user=applicant, status=JoinRequest.Status.DECLINED
    )

    join_request = services.request_to_join(organisation=carrier, user=applicant)

    assert join_request.pk != declined.pk
    assert join_request.status == "pending"


def test_request_to_join_refuses_a_member(carrier, carrier_specialist, mailoutbox):
    before = snapshot()

    with pytest.raises(ValidationError):
        services.request_to_join(organisation=carrier, user=carrier_specialist)

    assert snapshot() == before


def test_request_to_join_refuses_an_anonymous_user(carrier, anonymous):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.request_to_join(organisation=carrier, user=anonymous)

    assert snapshot() == before


# decide_join_request


@pytest.mark.parametrize("role", [Role.HEAD, Role.COORDINATOR, Role.SPECIALIST])
def test_approving_a_join_request_creates_a_membership_with_the_role(
    carrier,
    carrier_head,
    join_request,
    applicant,
    role,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_join_request(
            join_request=join_request, actor=carrier_head, approve=True, role=role
        )

    join_request.refresh_from_db()
    assert join_request.status == "approved"
    assert join_request.decided_by == carrier_head
    assert started <= join_request.decided_at <= timezone.now()
    assert join_request.decline_reason == ""
    assert membership_of(applicant, carrier).role == role
    assert group_names(applicant) == [group_name(carrier, role)]
    assert [message.to for message in mailoutbox] == [["newteacher@school619.example"]]


def test_declining_a_join_request_records_the_reason_and_adds_nobody(
    carrier,
    carrier_head,
    join_request,
    applicant,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_join_request(
            join_request=join_request,
            actor=carrier_head,
            approve=False,
            reason="Не работает в нашей школе.",
        )

    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert join_request.decline_reason == "Не работает в нашей школе."
    assert join_request.decided_by == carrier_head
    assert Membership.objects.filter(user=applicant).exists() is False
    assert [message.to for message in mailoutbox] == [["newteacher@school619.example"]]
    assert "Не работает в нашей школе." in mailoutbox[0].body


def test_administrator_may_decide_a_join_request(
    carrier, join_request, applicant, administrator
):
    services.decide_join_request(
        join_request=join_request, actor=administrator, approve=True
    )

    assert membership_of(applicant, carrier).role == "specialist"


@pytest.mark.parametrize(
    "persona", ["carrier_coordinator", "carrier_specialist", "outsider", "expert"]
)
def test_decide_join_request_refuses_anyone_but_a_head(
    request, join_request, persona, mailoutbox, django_capture_on_commit_callbacks
):
    actor = request.getfixturevalue(persona)
    before = snapshot()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied),
    ):
        services.decide_join_request(
            join_request=join_request, actor=actor, approve=True
        )

    assert snapshot() == before
    assert mailoutbox == []


@pytest.mark.parametrize("approve_first", [True, False])
def test_deciding_a_join_request_twice_is_refused(
    carrier_head, second_carrier_head, join_request, approve_first
):
    services.decide_join_request(
        join_request=join_request, actor=carrier_head, approve=approve_first
    )
    before = snapshot()

    with pytest.raises(ValidationError):
        services.decide_join_request(
            join_request=join_request,
            actor=second_carrier_head,
            approve=not approve_first,
            role=Role.HEAD,
        )

    assert snapshot() == before


def test_approving_with_an_unknown_role_is_refused(carrier_head, join_request):
    before = snapshot()

    with pytest.raises(ValidationError):
        services.decide_join_request(
            join_request=join_request, actor=carrier_head, approve=True, role="director"
        )

    assert snapshot() == before


# change_member_role


def test_head_changes_a_specialist_into_a_coordinator(
    carrier, carrier_head, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)

    services.change_member_role(
        membership=membership, role=Role.COORDINATOR, actor=carrier_head
    )

    assert membership_of(carrier_specialist, carrier).role == "coordinator"
    assert group_names(carrier_specialist) == [group_name(carrier, Role.COORDINATOR)]


def test_changing_to_the_same_role_changes_nothing(
    carrier, carrier_head, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    result = services.change_member_role(
        membership=membership, role=Role.SPECIALIST, actor=carrier_head
    )

    assert result.pk == membership.pk
    assert snapshot() == before


def test_the_last_head_cannot_be_demoted(carrier, carrier_head, carrier_coordinator):
    membership = membership_of(carrier_head, carrier)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.change_member_role(
            membership=membership, role=Role.COORDINATOR, actor=carrier_head
        )

    assert snapshot() == before
    assert membership_of(carrier_head, carrier).role == "head"


def test_a_head_may_step_down_when_another_head_remains(
    carrier, carrier_head, second_carrier_head
):
    membership = membership_of(carrier_head, carrier)

    services.change_member_role(
        membership=membership, role=Role.SPECIALIST, actor=carrier_head
    )

    assert list(
        Membership.objects.filter(organisation=carrier)
        .order_by("role")
        .values_list("user__email", "role")
    ) == [
        ("deputy@school619.example", "head"),
        ("head@school619.example", "specialist"),
    ]


def test_heads_of_another_organisation_do_not_count_as_heads(
    carrier, carrier_head, recipient_head
):
    membership = membership_of(carrier_head, carrier)

    with pytest.raises(ValidationError):
        services.change_member_role(
            membership=membership, role=Role.SPECIALIST, actor=carrier_head
        )

    assert membership_of(carrier_head, carrier).role == "head"


@pytest.mark.parametrize(
    "persona",
    ["carrier_coordinator", "carrier_specialist", "outsider", "recipient_head"],
)
def test_change_member_role_refuses_anyone_but_a_head(
    request, carrier, carrier_head, carrier_specialist, persona
):
    actor = request.getfixturevalue(persona)
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.change_member_role(
            membership=membership, role=Role.COORDINATOR, actor=actor
        )

    assert snapshot() == before


def test_change_member_role_refuses_an_unknown_role(
    carrier, carrier_head, carrier_specialist
):
    membership = membership_of(carrier_specialist, carrier)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.change_member_role(
            membership=membership, role="director", actor=carrier_head
        )

    assert snapshot() == before


def test_administrator_may_change_a_role(carrier, carrier_specialist, administrator):
    membership = membership_of(carrier_specialist, carrier)

    services.change_member_role(
        membership=membership, role=Role.HEAD, actor=administrator
    )

    assert membership_of(carrier_specialist, carrier).role == "head"


# remove_member


def test_head_removes_a_specialist(carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_specialist, carrier)

    services.remove_member(membership=membership, actor=carrier_head)

    assert Membership.objects.filter(user=carrier_specialist).exists() is False
    assert group_names(carrier_specialist) == []
    assert (
        fresh(carrier_specialist).has_perm("organisations.view_members", carrier)
        is False
    )


def test_a_member_may_leave_by_themselves(carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_specialist, carrier)

    services.remove_member(membership=membership, actor=carrier_specialist)

    assert list(
        Membership.objects.filter(organisation=carrier).values_list("user", flat=True)
    ) == [carrier_head.pk]


def test_the_last_head_cannot_be_removed(carrier, carrier_head, administrator):
    membership = membership_of(carrier_head, carrier)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.remove_member(membership=membership, actor=administrator)

    assert snapshot() == before


def test_the_last_head_cannot_leave(carrier, carrier_head, carrier_specialist):
    membership = membership_of(carrier_head, carrier)
    before = snapshot()

    with pytest.raises(ValidationError):
        services.remove_member(membership=membership, actor=carrier_head)

    assert snapshot() == before


def test_a_head_may_remove_another_head(carrier, carrier_head, second_carrier_head):
    membership = membership_of(second_carrier_head, carrier)

    services.remove_member(membership=membership, actor=carrier_head)

    assert list(
        Membership.objects.filter(organisation=carrier).values_list("user", flat=True)
    ) == [carrier_head.pk]


@pytest.mark.parametrize(
    "persona", ["carrier_specialist", "carrier_coordinator", "outsider", "expert"]
)
def test_remove_member_refuses_removing_someone_else_without_being_head(
    request, carrier, carrier_head, persona
):
    other = UserFactory()
    membership = Membership.objects.create(
        user=other, organisation=carrier, role=Role.SPECIALIST
    )
    actor = request.getfixturevalue(persona)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.remove_member(membership=membership, actor=actor)

    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_counting_the_heads_locks_their_rows(
    carrier, carrier_head, second_carrier_head
):
    # Two heads demoting each other at once must not leave the school without
    # one: the count has to hold FOR UPDATE locks, which COUNT(*) would drop.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("the database has no row locks (SQLite locks the whole file)")
    membership = membership_of(carrier_head, carrier)

    with CaptureQueriesContext(connection) as queries:
        services.change_member_role(
            membership=membership, role=Role.SPECIALIST, actor=carrier_head
        )

    assert any(
        "FOR UPDATE" in query["sql"] and '"role" = ' in query["sql"]
        for query in queries.captured_queries
    )
