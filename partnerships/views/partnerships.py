"""The list of partnerships, the partnership page and its stage actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from innoteka.feedback import show_refusal
from organisations.models import Membership
from partnerships import permissions, selectors, services
from partnerships.forms import NegotiationNoteForm, ReasonForm
from partnerships.models import Partnership, Side, Stage
from partnerships.progress import describe
from partnerships.registry import registry
from partnerships.stages import ACTIVITIES

PAGE_SIZE = 25


def visible_partnership(request: HttpRequest, pk: int) -> Partnership:
    """The partnership ``pk`` if the user may see it; 404 otherwise."""
    return get_object_or_404(
        selectors.visible_partnerships(request.user).select_related(
            "product", "carrier", "recipient", "carrier_contact", "recipient_contact"
        ),
        pk=pk,
    )


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    """The partnerships of the user's organisations, with what each expects.

    The filters pick and order ids only; the rows of the page alone are then
    read with their agreements, signatures and the viewer's side.
    """
    selected = selectors.visible_partnerships(request.user)
    mine = Membership.objects.filter(user=request.user).values("organisation")
    side = request.GET.get("side", "")
    if side == Side.CARRIER:
        selected = selected.filter(carrier__in=mine)
    elif side == Side.RECIPIENT:
        selected = selected.filter(recipient__in=mine)
    stage = request.GET.get("stage", "")
    if stage.isdigit() and int(stage) in Stage.values:
        selected = selected.filter(stage=int(stage))
    status = request.GET.get("status", Partnership.Status.ACTIVE)
    if status in Partnership.Status.values:
        selected = selected.filter(status=status)
    text = request.GET.get("q", "").strip()
    if text:
        selected = selected.filter(
            Q(product__title__icontains=text)
            | Q(recipient__short_name__icontains=text)
            | Q(recipient__full_name__icontains=text)
            | Q(carrier__short_name__icontains=text)
        )
    ids = selected.order_by("-updated_at", "-pk").values_list("pk", flat=True)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    rows = selectors.with_viewer_side(
        selectors.listing(Partnership.objects.filter(pk__in=page_ids)), request.user
    ).in_bulk(page_ids)
    page.object_list = [rows[pk] for pk in page_ids]
    describe(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "page": page,
            "filters": {"side": side, "stage": stage, "status": status, "q": text},
            "query_string": query.urlencode(),
            "stages": Stage.choices,
            "statuses": Partnership.Status.choices,
        },
    )


def stage_track(partnership: Partnership) -> list[dict]:
    """The five stages: done, current (or where it stopped) and ahead."""
    track = []
    for stage in Stage:
        if stage < partnership.stage or (
            partnership.status == Partnership.Status.COMPLETED
        ):
            state = "done"
        elif stage == partnership.stage:
            state = "current" if partnership.is_active else "stopped"
        else:
            state = "future"
        track.append({"number": stage.value, "label": stage.label, "state": state})
    return track


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = visible_partnership(request, pk)
    who = permissions.viewer(request.user, partnership)
    # What every remaining stage needs, from the current one on: the track
    # shows not only the next move but what is still missing further ahead.
    road = [
        {"to": Stage(stage + 1), "states": registry.evaluate(partnership, stage)}
        for stage in range(partnership.stage, Stage.IMPLEMENTATION)
        if partnership.is_active
    ]
    conditions = road[0]["states"] if road else []
    agreements = list(
        partnership.agreements.select_related("parent").order_by("created_at")
    )
    notes = (
        list(partnership.negotiation_notes.select_related("author")[:50])
        if who.is_member or who.is_administrator or who.is_expert
        else []
    )
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "who": who,
            "track": stage_track(partnership),
            "conditions": conditions,
            "road": road,
            "all_met": all(state.met for state in conditions),
            "next_stage": Stage(partnership.stage + 1)
            if partnership.stage < Stage.IMPLEMENTATION
            else None,
            "activities": ACTIVITIES[partnership.stage],
            "moves": partnership.stage_moves.select_related("actor")[:20],
            "agreements": agreements,
            "notes": notes,
            "note_form": NegotiationNoteForm() if who.is_lead else None,
            "reason_form": ReasonForm(),
            "experts": partnership.experts.all(),
            "contact_choices": _contact_choices(partnership, who),
            "consultation_until": selectors.consultation_until(partnership),
        },
    )


def _act(request, pk, action, success: str) -> HttpResponse:
    partnership = visible_partnership(request, pk)
    try:
        action(partnership)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, success)
    return redirect(partnership.get_absolute_url())


@login_required
@require_POST
def partnership_advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda p: services.advance_stage(partnership=p, actor=request.user),
        _("The partnership moved to the next stage. Both sides are notified."),
    )


@login_required
@require_POST
def partnership_back(request: HttpRequest, pk: int) -> HttpResponse:
    reason = ReasonForm.reason_of(request.POST)
    return _act(
        request,
        pk,
        lambda p: services.move_stage_back(
            partnership=p, actor=request.user, reason=reason
        ),
        _("The partnership went back a stage. Both sides are notified."),
    )


@login_required
@require_POST
def partnership_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda p: services.complete_partnership(partnership=p, actor=request.user),
        _("The partnership is completed."),
    )


@login_required
@require_POST
def partnership_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    reason = ReasonForm.reason_of(request.POST)
    return _act(
        request,
        pk,
        lambda p: services.terminate_partnership(
            partnership=p, actor=request.user, reason=reason
        ),
        _("The partnership is terminated. Both sides are notified."),
    )


@login_required
@require_POST
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = visible_partnership(request, pk)
    form = NegotiationNoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(partnership.get_absolute_url() + "#negotiations")
    try:
        services.add_negotiation_note(
            partnership=partnership,
            actor=request.user,
            held_on=form.cleaned_data["held_on"],
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The note on the negotiations is saved."))
    return redirect(partnership.get_absolute_url() + "#negotiations")


@login_required
def package(request: HttpRequest, pk: int) -> HttpResponse:
    """The document package of stage 2 with the state of each item."""
    partnership = visible_partnership(request, pk)
    who = permissions.viewer(request.user, partnership)
    return render(
        request,
        "partnerships/package.html",
        {
            "partnership": partnership,
            "who": who,
            "items": registry.package_of(partnership),
            "can_draft": who.is_carrier_lead
            and partnership.is_active
            and partnership.stage in (Stage.DOCUMENTS, Stage.COMMUNITY)
            and not partnership.agreements.filter(
                parent__isnull=True, status__in=["draft", "agreed", "signed"]
            ).exists(),
        },
    )


@login_required
@require_POST
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = visible_partnership(request, pk)
    try:
        agreement = services.draft_agreement(
            partnership=partnership, actor=request.user
        )
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("partnerships:package", pk=partnership.pk)
    messages.success(
        request,
        _("The draft agreement is made from the template. Check and edit it."),
    )
    return redirect("partnerships:agreement_edit", pk=agreement.pk)


def _contact_choices(partnership: Partnership, who) -> list:
    """Members of the viewer's organisation a lead may name as responsible."""
    if not (who.is_lead and partnership.is_active):
        return []
    organisation = partnership.organisation_of(who.side)
    return list(
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .order_by("last_name", "first_name")
        .only("pk", "last_name", "first_name", "patronymic")
    )


@login_required
@require_POST
def partnership_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """A head or coordinator names the responsible person of their side."""
    partnership = visible_partnership(request, pk)
    who = permissions.viewer(request.user, partnership)
    if not who.is_lead:
        raise PermissionDenied
    value = request.POST.get("contact", "")
    contact = User.objects.filter(pk=value).first() if value.isdigit() else None
    if value and contact is None:
        messages.error(request, _("Choose a member of your organisation."))
        return redirect(partnership.get_absolute_url())
    try:
        services.set_contacts(
            partnership=partnership, actor=request.user, side=who.side, contact=contact
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The responsible person is saved."))
    return redirect(partnership.get_absolute_url())
