from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innoteka.feedback import show_refusal
from organisations import permissions, selectors, services
from organisations.forms import (
    InvitationForm,
    JoinDecisionForm,
    JoinRequestForm,
    MemberRoleForm,
    OrganisationForm,
    OrganisationSearchForm,
)
from organisations.models import Membership, Organisation, Role


def _organisation_for_member(request: HttpRequest, pk: int) -> Organisation:
    """Return the organisation if the user belongs to it; 404 for outsiders."""
    organisation = get_object_or_404(Organisation, pk=pk)
    user = request.user
    if not (
        permissions.is_member(user, organisation) or permissions.is_administrator(user)
    ):
        raise Http404
    return organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    # A bad value of one filter (an old link) drops that filter, not the rest.
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    query, region = cleaned.get("q", ""), cleaned.get("region", "")

    organisations = selectors.search_organisations(query=query, region=region)
    page = Paginator(organisations, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/organisation_list.html",
        {"form": form, "page": page, "query_string": _query_without_page(request)},
    )


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    user = request.user
    pending_request = None
    if user.is_authenticated:
        pending_request = organisation.join_requests.filter(
            user=user, status="pending"
        ).first()

    role = permissions.member_role(user, organisation)
    context = {
        "organisation": organisation,
        "role": role,
        "role_display": Role(role).label if role else "",
        "can_edit": permissions.can_edit_organisation(user, organisation),
        "can_view_members": permissions.can_view_members(user, organisation),
        "can_request_to_join": permissions.can_request_to_join(user, organisation),
        "can_verify": permissions.is_administrator(user)
        and not organisation.is_verified,
        "pending_request": pending_request,
        "join_form": JoinRequestForm(),
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.register_organisation(
            organisation=form.save(commit=False), actor=request.user
        )
        messages.success(
            request,
            _(
                "The organisation is registered and you are its head. An "
                "administrator will verify it; until then it cannot sign "
                "agreements or publish products."
            ),
        )
        return redirect(organisation)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    if not permissions.can_edit_organisation(request.user, organisation):
        raise PermissionDenied

    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's details have been saved."))
        return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    return _render_members(request, organisation)


def _render_members(
    request: HttpRequest,
    organisation: Organisation,
    invitation_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_invite = permissions.can_invite_members(user, organisation)
    can_manage = permissions.can_manage_memberships(user, organisation)
    if invitation_form is None and can_invite:
        invitation_form = InvitationForm(
            roles=permissions.invitable_roles(user, organisation)
        )
    context = {
        "organisation": organisation,
        "members": selectors.members_of(organisation),
        "invitations": selectors.pending_invitations(organisation)
        if can_invite
        else [],
        "join_requests": (
            selectors.pending_join_requests(organisation) if can_manage else []
        ),
        "can_invite": can_invite,
        "can_manage": can_manage,
        "invitation_form": invitation_form,
        "role_form": MemberRoleForm(),
        "decision_form": JoinDecisionForm(),
    }
    return render(
        request, "organisations/organisation_members.html", context, status=status
    )


@login_required
@require_POST
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    roles = permissions.invitable_roles(request.user, organisation)
    if not roles:
        raise PermissionDenied

    form = InvitationForm(request.POST, roles=roles)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("The invitation has been sent to %(email)s.")
                % {"email": invitation.email},
            )
            return redirect("organisations:organisation_members", pk=organisation.pk)
    return _render_members(request, organisation, invitation_form=form, status=400)


@login_required
@require_POST
def invitation_revoke(
    request: HttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    invitation = get_object_or_404(organisation.invitations, pk=invitation_pk)
    try:
        services.revoke_invitation(invitation=invitation, actor=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The invitation has been revoked."))
    return redirect("organisations:organisation_members", pk=organisation.pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(
            request, "organisations/invitation_accept.html", {"invitation": invitation}
        )

    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(organisation)s.")
                % {"organisation": invitation.organisation.short_name},
            )
            return redirect(invitation.organisation)
    return render(
        request,
        "organisations/invitation_accept.html",
        {
            "invitation": invitation,
            "email_matches": invitation.email == request.user.email,
        },
    )


@login_required
@require_POST
def join_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(list(form.errors.values())))
        return redirect(organisation)
    try:
        services.request_to_join(
            organisation=organisation,
            user=request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("Your request has been sent to the head of the organisation.")
        )
    return redirect(organisation)


@login_required
@require_POST
def join_request_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    if not permissions.can_manage_memberships(request.user, organisation):
        raise PermissionDenied
    join_request = get_object_or_404(organisation.join_requests, pk=request_pk)

    form = JoinDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and a role."))
        return redirect("organisations:organisation_members", pk=organisation.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_join_request(
            join_request=join_request,
            actor=request.user,
            approve=approve,
            role=form.cleaned_data["role"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The request has been approved.")
            if approve
            else _("The request has been declined."),
        )
    return redirect("organisations:organisation_members", pk=organisation.pk)


@login_required
@require_POST
def member_role_change(
    request: HttpRequest, pk: int, membership_pk: int
) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    if not permissions.can_manage_memberships(request.user, organisation):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership, organisation=organisation, pk=membership_pk
    )

    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect("organisations:organisation_members", pk=organisation.pk)
    try:
        services.change_member_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The role has been changed."))
    return redirect("organisations:organisation_members", pk=organisation.pk)


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_for_member(request, pk)
    membership = get_object_or_404(
        Membership, organisation=organisation, pk=membership_pk
    )
    is_self = membership.user_id == request.user.pk
    if not is_self and not permissions.can_manage_memberships(
        request.user, organisation
    ):
        raise PermissionDenied

    try:
        services.remove_member(membership=membership, actor=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("organisations:organisation_members", pk=organisation.pk)
    if is_self:
        messages.success(request, _("You have left the organisation."))
        return redirect("dashboard")
    messages.success(request, _("The member has been removed."))
    return redirect("organisations:organisation_members", pk=organisation.pk)


@login_required
@require_POST
def organisation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not permissions.is_administrator(request.user):
        raise PermissionDenied
    services.verify_organisation(organisation=organisation, actor=request.user)
    messages.success(request, _("The organisation is verified."))
    return redirect(organisation)
