"""The agreement page: text, negotiation, agreeing, signing, PDF, check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import client_ip
from innoteka.feedback import show_refusal
from innoteka.pdf import file_sha256, render_pdf
from partnerships import permissions, selectors, services
from partnerships.forms import AgreementForm, CommentForm, ReasonForm, SignForm
from partnerships.models import Agreement, Side
from partnerships.services.agreements import WrongPassword


def visible_agreement(request: HttpRequest, pk: int) -> Agreement:
    """The agreement ``pk`` of a partnership the user may see; 404 otherwise."""
    return get_object_or_404(
        selectors.visible_agreements(request.user).select_related(
            "partnership__product",
            "partnership__carrier",
            "partnership__recipient",
            "product_version",
            "parent",
            "carrier_signatory",
            "recipient_signatory",
        ),
        pk=pk,
    )


def _page(request, agreement, **extra) -> HttpResponse:
    partnership = agreement.partnership
    who = permissions.viewer(request.user, partnership)
    signatures = {
        s.side: s for s in agreement.signatures.select_related("organisation")
    }
    my_signature = signatures.get(who.side) if who.side else None
    can_sign = (
        agreement.status == Agreement.Status.AGREED
        and who.side is not None
        and my_signature is None
        and permissions.can_sign(request.user, agreement, who.side, who.role)
    )
    context = {
        "agreement": agreement,
        "partnership": partnership,
        "who": who,
        "signatures": signatures,
        "carrier_signature": signatures.get(Side.CARRIER),
        "recipient_signature": signatures.get(Side.RECIPIENT),
        "can_sign": can_sign,
        "comments": agreement.comments.select_related("author"),
        "comment_form": CommentForm() if who.is_lead else None,
        "reason_form": ReasonForm(),
        "supplements": agreement.supplements.order_by("created_at"),
        "timeline": selectors.agreement_timeline(agreement),
        "is_live": partnership.is_active,
    }
    context.update(extra)
    return render(request, "partnerships/agreement_detail.html", context)


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, visible_agreement(request, pk))


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Both sides' heads and coordinators edit the draft.

    A save based on an old edit version is refused and the form comes back
    with the person's own text, next to the current one.
    """
    agreement = visible_agreement(request, pk)
    who = permissions.viewer(request.user, agreement.partnership)
    if not who.is_lead:
        raise PermissionDenied
    if agreement.status != Agreement.Status.DRAFT:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(agreement.get_absolute_url())

    form = AgreementForm(request.POST or None, instance=agreement)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_agreement(
                agreement=agreement,
                actor=request.user,
                data=form.changes(),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                stale = Agreement.objects.select_related(
                    "carrier_signatory", "recipient_signatory", "product_version"
                ).get(pk=agreement.pk)
                messages.error(request, error.messages[0])
                # Keep the person's text; a new save is based on the current
                # version, so it replaces the text they have now seen.
                data = request.POST.copy()
                data["version"] = str(stale.version)
                form = AgreementForm(data, instance=agreement)
                form.is_valid()
            elif hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                show_refusal(request, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return redirect(agreement.get_absolute_url())
    return render(
        request,
        "partnerships/agreement_form.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "form": form,
            "stale": stale,
        },
    )


def _act(request, pk, action, success: str) -> HttpResponse:
    agreement = visible_agreement(request, pk)
    try:
        result = action(agreement)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect(agreement.get_absolute_url())
    messages.success(request, success)
    target = result if isinstance(result, Agreement) else agreement
    return redirect(target.get_absolute_url())


def _version(request) -> int:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else -1


@login_required
@require_POST
def agreement_agree(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request)
    return _act(
        request,
        pk,
        lambda a: services.agree_agreement(
            agreement=a, actor=request.user, expected_version=version
        ),
        _("You agreed to the agreement. The signatories are asked to sign it."),
    )


@login_required
@require_POST
def agreement_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    reason = ReasonForm.reason_of(request.POST)
    return _act(
        request,
        pk,
        lambda a: services.reopen_agreement(
            agreement=a, actor=request.user, reason=reason
        ),
        _("The agreement is a draft again and can be edited."),
    )


@login_required
@require_POST
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    reason = ReasonForm.reason_of(request.POST)
    return _act(
        request,
        pk,
        lambda a: services.terminate_agreement(
            agreement=a, actor=request.user, reason=reason
        ),
        _("The agreement is terminated."),
    )


@login_required
@require_POST
def agreement_supplementary(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a: services.create_supplementary(parent=a, actor=request.user),
        _("The supplementary agreement is drafted. Describe the changes in it."),
    )


@login_required
@require_POST
def agreement_comment(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = visible_agreement(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _page(request, agreement, comment_form=form)
    try:
        services.add_comment(
            agreement=agreement, actor=request.user, text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        show_refusal(request, error)
        return _page(request, agreement, comment_form=form)
    messages.success(request, _("Your comment is added. The other side is notified."))
    return redirect(agreement.get_absolute_url() + "#comments")


@login_required
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign with the password: the simple electronic signature."""
    agreement = visible_agreement(request, pk)
    who = permissions.viewer(request.user, agreement.partnership)
    if who.side is None or not permissions.can_sign(
        request.user, agreement, who.side, who.role
    ):
        raise PermissionDenied
    form = SignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_agreement(
                agreement=agreement,
                actor=request.user,
                password=form.cleaned_data["password"],
                ip_address=client_ip(request),
            )
        except WrongPassword as error:
            form.add_error("password", error.messages[0])
        except ValidationError as error:
            show_refusal(request, error)
            return redirect(agreement.get_absolute_url())
        else:
            messages.success(request, _("You signed the agreement."))
            return redirect(agreement.get_absolute_url())
    return render(
        request,
        "partnerships/agreement_sign.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "form": form,
            "side": who.side,
        },
    )


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDF, the agreed PDF awaiting signatures, or a draft preview.

    Stored documents are served as stored; only a draft is rendered on the
    fly, marked as a draft.
    """
    agreement = visible_agreement(request, pk)
    filename = f"soglashenie-{agreement.number.replace('/', '-')}.pdf"
    stored = agreement.signed_document or agreement.document
    if stored:
        return FileResponse(
            stored.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
    if agreement.status != Agreement.Status.DRAFT:
        raise Http404
    pdf = render_pdf(
        "documents/agreement.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "carrier": agreement.partnership.carrier,
            "recipient": agreement.partnership.recipient,
            "product": agreement.partnership.product,
            "version": agreement.product_version,
            "parent": agreement.parent,
            "signatures": {},
            "draft": True,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="draft-{filename}"'
    return response


@login_required
def agreement_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute the hashes of the stored PDFs and compare them (members only)."""
    agreement = visible_agreement(request, pk)
    who = permissions.viewer(request.user, agreement.partnership)
    if not (who.is_member or who.is_administrator):
        raise PermissionDenied
    checks = []
    if agreement.document:
        actual = file_sha256(agreement.document)
        checks.append(
            {
                "label": _("The agreed text that was signed"),
                "recorded": agreement.document_sha256,
                "actual": actual,
                "matches": actual == agreement.document_sha256,
                "signatures": [
                    {
                        "signature": signature,
                        "matches": signature.document_sha256 == actual,
                    }
                    for signature in agreement.signatures.select_related("organisation")
                ],
            }
        )
    if agreement.signed_document:
        actual = file_sha256(agreement.signed_document)
        checks.append(
            {
                "label": _("The signed copy with the signature records"),
                "recorded": agreement.signed_sha256,
                "actual": actual,
                "matches": actual == agreement.signed_sha256,
                "signatures": [],
            }
        )
    return render(
        request,
        "partnerships/agreement_verify.html",
        {
            "agreement": agreement,
            "partnership": agreement.partnership,
            "checks": checks,
            "all_match": bool(checks)
            and all(
                check["matches"] and all(s["matches"] for s in check["signatures"])
                for check in checks
            ),
        },
    )
