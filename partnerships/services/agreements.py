"""Cooperation agreements: drafting, negotiation, agreeing, signing, ending.

The text is edited by both sides while it is a draft; every save needs the
edit version the editor started from, so a second concurrent save is
refused instead of silently overwriting the first. When the recipient
agrees, the text is fixed and rendered to the PDF both heads sign; each
signature records the SHA-256 of that PDF. When both have signed, the PDF
with the signature records is rendered and stored once; it is never
rendered again. Later changes go into a supplementary agreement.
"""

import calendar
import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from innoteka.pdf import file_sha256, render_pdf, sha256_hex
from notifications.kinds import Kind
from notifications.services import notify, site_language
from organisations import permissions as org_permissions
from organisations.models import Role
from partnerships import permissions
from partnerships.models import (
    Agreement,
    AgreementComment,
    AgreementTemplate,
    Partnership,
    Side,
    Signature,
    Stage,
)
from partnerships.services.common import (
    leads,
    lock_partnership,
    require,
    save_with_history,
)
from partnerships.services.partnerships import REPEAT_WINDOW, heads_of

logger = logging.getLogger(__name__)

# The fields both sides may edit while the agreement is a draft.
EDITABLE_FIELDS = (
    "number",
    "agreement_date",
    "subject",
    "carrier_obligations",
    "recipient_obligations",
    "changes_procedure",
    "termination_procedure",
    "expiry_date",
    "product_version",
    "carrier_signatory",
    "recipient_signatory",
)

COMMENT_LENGTH = AgreementComment._meta.get_field("text").max_length

EXPIRY_WARNING_DAYS = 30

DEFAULT_TERM_MONTHS = 12


class _Placeholders(dict):
    """Leaves unknown placeholders of a template text as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(text: str, values: dict) -> str:
    try:
        return text.format_map(_Placeholders(values))
    except (ValueError, IndexError):
        # A stray brace in an administrator's text: keep it verbatim.
        return text


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related(
            "partnership__product",
            "partnership__carrier",
            "partnership__recipient",
            "product_version",
            "parent",
        )
        .get(pk=agreement.pk)
    )


def _agreement_link(agreement: Agreement) -> str:
    return agreement.get_absolute_url()


def _require_live_partnership(partnership: Partnership) -> None:
    if not partnership.is_active:
        raise ValidationError(
            _("The partnership is %(status)s: its agreements cannot be changed.")
            % {"status": partnership.get_status_display().lower()},
            code="not_active",
        )


def _require_status(agreement: Agreement, *statuses: str) -> None:
    if agreement.status not in statuses:
        raise ValidationError(
            _("The agreement is %(status)s: this cannot be done with it now.")
            % {"status": agreement.get_status_display().lower()},
            code="wrong_status",
        )


def _one_head(organisation) -> User | None:
    heads = heads_of(organisation)
    return heads[0] if heads else None


def _default_template() -> AgreementTemplate | None:
    return AgreementTemplate.objects.filter(is_default=True).first()


def _next_number(partnership: Partnership, on: date) -> str:
    base = f"{on.year}/{partnership.pk}"
    earlier = partnership.agreements.filter(parent__isnull=True).count()
    return base if earlier == 0 else f"{base}-{earlier + 1}"


def _version_by_date(product) -> str:
    """How a product without numbered versions is named in the subject."""
    when = product.published_at or product.created_at
    with site_language():
        return _("of %(date)s") % {
            "date": date_format(timezone.localtime(when), "SHORT_DATE_FORMAT")
        }


@transaction.atomic
def draft_agreement(
    *,
    partnership: Partnership,
    actor: User,
    template: AgreementTemplate | None = None,
) -> Agreement:
    """The carrier drafts the cooperation agreement from a template.

    The parties' requisites come from the organisations when the PDF is
    made; the draft takes the template's texts with the parties and the
    product filled in, the product's latest version, the heads as
    signatories and the template's term. A second draft while one is live
    returns the live one (a double-submitted form creates one).
    """
    partnership = lock_partnership(partnership)
    require(permissions.viewer(actor, partnership).is_carrier_lead)
    _require_live_partnership(partnership)
    live = partnership.agreements.filter(
        parent__isnull=True, status__in=Agreement.LIVE_STATUSES
    ).first()
    if live is not None:
        return live
    if partnership.stage not in (Stage.DOCUMENTS, Stage.COMMUNITY):
        raise ValidationError(
            _(
                "The agreement is drafted at the stages of the document package "
                "and the network community."
            ),
            code="wrong_stage",
        )
    template = template or _default_template()
    if template is None:
        raise ValidationError(
            _(
                "There is no agreement template yet. Ask the platform "
                "administrator to add one."
            ),
            code="no_template",
        )
    product = partnership.product
    version = product.versions.order_by("-released_on", "-pk").first()
    today = timezone.localdate()
    values = {
        "carrier": partnership.carrier.full_name,
        "recipient": partnership.recipient.full_name,
        "product": product.title,
        "version": version.number if version else _version_by_date(product),
        "term_months": template.term_months,
    }
    agreement = Agreement(
        partnership=partnership,
        number=_next_number(partnership, today),
        agreement_date=today,
        subject=_fill(template.subject, values),
        carrier_obligations=_fill(template.carrier_obligations, values),
        recipient_obligations=_fill(template.recipient_obligations, values),
        changes_procedure=_fill(template.changes_procedure, values),
        termination_procedure=_fill(template.termination_procedure, values),
        expiry_date=add_months(today, template.term_months or DEFAULT_TERM_MONTHS),
        product_version=version,
        carrier_signatory=_one_head(partnership.carrier),
        recipient_signatory=_one_head(partnership.recipient),
        created_by=actor,
    )
    with site_language():
        reason = _("Drafted from «%(template)s»") % {"template": template}
    save_with_history(agreement, actor, reason)
    logger.info(
        "Agreement %s drafted for partnership %s by user %s",
        agreement.pk,
        partnership.pk,
        actor.pk,
    )
    return agreement


def _stale() -> ValidationError:
    return ValidationError(
        _(
            "Someone else saved the agreement while you were editing it, so "
            "your changes are not saved yet. They are kept in the form below: "
            "compare them with the current text and save again."
        ),
        code="stale",
    )


def _validate_signatory(user, organisation, field: str) -> None:
    if user is None:
        return
    if org_permissions.member_role(user, organisation) not in (
        Role.HEAD,
        Role.COORDINATOR,
    ):
        raise ValidationError(
            {
                field: _(
                    "The signatory must be a head or coordinator of %(organisation)s."
                )
                % {"organisation": organisation}
            },
            code="bad_signatory",
        )


def _validate_terms(agreement: Agreement) -> None:
    if agreement.expiry_date <= agreement.agreement_date:
        raise ValidationError(
            {"expiry_date": _("The agreement must end after the date it is made.")},
            code="bad_term",
        )
    version = agreement.product_version
    if version is not None and version.product_id != agreement.partnership.product_id:
        raise ValidationError(
            {"product_version": _("Choose a version of this partnership's product.")},
            code="foreign_version",
        )


@transaction.atomic
def update_agreement(
    *, agreement: Agreement, actor: User, data: dict, expected_version: int
) -> Agreement:
    """Save the edits of a draft by a head or coordinator of either side.

    ``data`` holds new values of ``EDITABLE_FIELDS``. ``expected_version`` is
    the edit version the form was opened with: if someone saved in between,
    the save is refused (``ValidationError`` with code ``stale``) and the
    other person's text stays as it is.
    """
    agreement = _lock(agreement)
    partnership = agreement.partnership
    require(permissions.viewer(actor, partnership).is_lead)
    _require_live_partnership(partnership)
    _require_status(agreement, Agreement.Status.DRAFT)
    if agreement.version != expected_version:
        raise _stale()

    changed = []
    for field in EDITABLE_FIELDS:
        if field in data and getattr(agreement, field) != data[field]:
            setattr(agreement, field, data[field])
            changed.append(field)
    if not changed:
        return agreement
    _validate_signatory(
        agreement.carrier_signatory, partnership.carrier, "carrier_signatory"
    )
    _validate_signatory(
        agreement.recipient_signatory, partnership.recipient, "recipient_signatory"
    )
    _validate_terms(agreement)
    agreement.version += 1
    save_with_history(agreement, actor)
    logger.info("Agreement %s edited by user %s", agreement.pk, actor.pk)
    return agreement


def _document_context(agreement: Agreement, signatures=()) -> dict:
    partnership = agreement.partnership
    return {
        "agreement": agreement,
        "partnership": partnership,
        "carrier": partnership.carrier,
        "recipient": partnership.recipient,
        "product": partnership.product,
        "version": agreement.product_version,
        "parent": agreement.parent,
        "signatures": {signature.side: signature for signature in signatures},
        "signed": bool(signatures),
    }


def _document_name(agreement: Agreement, suffix: str) -> str:
    return f"agreement-{agreement.pk}-{suffix}.pdf"


@transaction.atomic
def agree_agreement(
    *, agreement: Agreement, actor: User, expected_version: int
) -> Agreement:
    """The recipient agrees to the draft: its text is fixed for signing.

    The PDF both heads will sign is rendered now and stored with its
    SHA-256. Both signatories must be named. The signatories (or the heads)
    are told the agreement is ready to sign.
    """
    agreement = _lock(agreement)
    partnership = agreement.partnership
    require(permissions.viewer(actor, partnership).is_recipient_lead)
    _require_live_partnership(partnership)
    if (
        agreement.status == Agreement.Status.AGREED
        and agreement.version == expected_version
    ):
        return agreement  # the same form submitted twice
    _require_status(agreement, Agreement.Status.DRAFT)
    if agreement.version != expected_version:
        raise _stale()
    if (
        agreement.carrier_signatory_id is None
        or agreement.recipient_signatory_id is None
    ):
        raise ValidationError(
            _("Name who signs the agreement for each side before agreeing to it."),
            code="no_signatory",
        )
    _validate_terms(agreement)

    pdf = render_pdf("documents/agreement.html", _document_context(agreement))
    agreement.document.save(
        _document_name(agreement, "draft"), ContentFile(pdf), save=False
    )
    agreement.document_sha256 = sha256_hex(pdf)
    agreement.status = Agreement.Status.AGREED
    agreement.agreed_by = actor
    agreement.agreed_at = timezone.now()
    with site_language():
        save_with_history(agreement, actor, _("Agreed by the recipient"))

    signatories = [agreement.carrier_signatory, agreement.recipient_signatory]
    with site_language():
        notify(
            users=signatories,
            kind=Kind.AGREEMENT_READY_TO_SIGN,
            title=_("%(agreement)s is ready to sign") % {"agreement": agreement.title},
            body=_("%(recipient)s agreed to the text. Sign it with your password.")
            % {"recipient": partnership.recipient},
            link=_agreement_link(agreement),
            actor=actor,
        )
    logger.info("Agreement %s agreed by user %s", agreement.pk, actor.pk)
    return agreement


@transaction.atomic
def reopen_agreement(*, agreement: Agreement, actor: User, reason: str) -> Agreement:
    """Return an agreed, not yet signed agreement to the draft for changes."""
    agreement = _lock(agreement)
    partnership = agreement.partnership
    require(permissions.viewer(actor, partnership).is_lead)
    _require_live_partnership(partnership)
    _require_status(agreement, Agreement.Status.AGREED)
    if agreement.signatures.exists():
        raise ValidationError(
            _(
                "One side has already signed the agreement: its text cannot be "
                "changed any more."
            ),
            code="already_signed",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Explain what needs to change in the agreement."),
            code="reason_required",
        )
    old_document = agreement.document.name
    agreement.document = ""
    agreement.document_sha256 = ""
    agreement.status = Agreement.Status.DRAFT
    agreement.agreed_by = None
    agreement.agreed_at = None
    agreement.version += 1
    save_with_history(agreement, actor, reason)
    storage = Agreement._meta.get_field("document").storage
    transaction.on_commit(lambda: storage.delete(old_document))
    with site_language():
        returned = _("Returned to the draft: %(reason)s") % {"reason": reason}
    AgreementComment.objects.create(
        agreement=agreement,
        author=actor,
        side=permissions.viewer(actor, partnership).side,
        text=returned,
    )
    return agreement


class WrongPassword(ValidationError):
    pass


@transaction.atomic
def sign_agreement(
    *,
    agreement: Agreement,
    actor: User,
    password: str,
    ip_address: str | None,
) -> Signature:
    """Sign an agreed agreement for the actor's side with their password.

    The signer is the head of the side or the signatory the agreement names.
    A wrong password is refused and logged, and nothing changes. Signing a
    side that has signed returns its signature (idempotent). The signature
    records the SHA-256 of the stored PDF, which is checked against the one
    recorded when it was agreed. When both sides have signed, the PDF with
    the signature records is stored once, and both sides are told.
    """
    agreement = _lock(agreement)
    partnership = agreement.partnership
    who = permissions.viewer(actor, partnership)
    require(who.is_member)
    require(permissions.can_sign(actor, agreement, who.side, who.role))
    existing = agreement.signatures.filter(side=who.side).first()
    if existing is not None:
        return existing
    if not actor.check_password(password):
        logger.warning(
            "Wrong password signing agreement %s by user %s from %s",
            agreement.pk,
            actor.pk,
            ip_address,
        )
        raise WrongPassword(
            _("The password is wrong. The agreement is not signed."),
            code="wrong_password",
        )
    _require_live_partnership(partnership)
    _require_status(agreement, Agreement.Status.AGREED)
    stored_hash = file_sha256(agreement.document)
    if stored_hash != agreement.document_sha256:
        logger.error(
            "Agreement %s: the stored PDF does not match its recorded hash",
            agreement.pk,
        )
        raise ValidationError(
            _(
                "The stored document does not match the agreed one, so it "
                "cannot be signed. The platform administrator has been told."
            ),
            code="hash_mismatch",
        )

    organisation = partnership.organisation_of(who.side)
    with site_language():
        position = str(
            organisation.head_position
            if who.role == Role.HEAD and organisation.head_position
            else Role(who.role).label
        )
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                agreement=agreement,
                side=who.side,
                organisation=organisation,
                signer=actor,
                signer_name=actor.full_name,
                signer_position=position,
                role=who.role,
                ip_address=ip_address,
                document_sha256=stored_hash,
            )
    except IntegrityError:
        return agreement.signatures.get(side=who.side)
    logger.info(
        "Agreement %s signed for the %s by user %s from %s",
        agreement.pk,
        who.side,
        actor.pk,
        ip_address,
    )

    signatures = list(agreement.signatures.all())
    if len(signatures) < len(Side.values):
        other = Side.RECIPIENT if who.side == Side.CARRIER else Side.CARRIER
        with site_language():
            notify(
                users=[agreement.signatory_of(other), *leads(partnership, (other,))],
                kind=Kind.AGREEMENT_SIGNED_BY_OTHER_SIDE,
                title=_("%(organisation)s signed %(agreement)s")
                % {"organisation": organisation, "agreement": agreement.title},
                body=_("Your side's signature is awaited."),
                link=_agreement_link(agreement),
                actor=actor,
            )
        return signature

    pdf = render_pdf(
        "documents/agreement.html", _document_context(agreement, signatures)
    )
    agreement.signed_document.save(
        _document_name(agreement, "signed"), ContentFile(pdf), save=False
    )
    agreement.signed_sha256 = sha256_hex(pdf)
    agreement.signed_at = timezone.now()
    agreement.status = Agreement.Status.SIGNED
    with site_language():
        save_with_history(agreement, actor, _("Signed by both sides"))
    with site_language():
        notify(
            users=leads(partnership),
            kind=Kind.AGREEMENT_SIGNED,
            title=_("%(agreement)s is signed by both sides")
            % {"agreement": agreement.title},
            body=_("The signed PDF is in the document package."),
            link=_agreement_link(agreement),
            actor=None,
        )
    return signature


@transaction.atomic
def create_supplementary(*, parent: Agreement, actor: User) -> Agreement:
    """The carrier starts a supplementary agreement to a signed agreement.

    It starts as a copy of the main agreement's terms, is edited, agreed and
    signed like any agreement, and leaves the signed main agreement as it
    is. One supplementary draft at a time: a second request returns it.
    """
    parent = _lock(parent)
    partnership = parent.partnership
    require(permissions.viewer(actor, partnership).is_carrier_lead)
    _require_live_partnership(partnership)
    if parent.is_supplementary:
        parent = _lock(parent.parent)
    _require_status(parent, Agreement.Status.SIGNED)
    pending = parent.supplements.filter(
        status__in=[Agreement.Status.DRAFT, Agreement.Status.AGREED]
    ).first()
    if pending is not None:
        return pending
    count = parent.supplements.count()
    today = timezone.localdate()
    with site_language():
        subject = _(
            "The parties agreed to make the following changes to cooperation "
            "agreement No. %(number)s of %(date)s:"
        ) % {
            "number": parent.number,
            "date": parent.agreement_date.strftime("%d.%m.%Y"),
        }
    supplement = Agreement(
        partnership=partnership,
        parent=parent,
        number=f"{parent.number}-Д{count + 1}",
        agreement_date=today,
        subject=subject,
        carrier_obligations=parent.carrier_obligations,
        recipient_obligations=parent.recipient_obligations,
        changes_procedure=parent.changes_procedure,
        termination_procedure=parent.termination_procedure,
        expiry_date=parent.expiry_date,
        product_version=parent.product_version,
        carrier_signatory=parent.carrier_signatory,
        recipient_signatory=parent.recipient_signatory,
        created_by=actor,
    )
    save_with_history(supplement, actor)
    return supplement


@transaction.atomic
def terminate_agreement(*, agreement: Agreement, actor: User, reason: str) -> Agreement:
    """A head of either side ends an agreement early, with a reason."""
    agreement = _lock(agreement)
    partnership = agreement.partnership
    who = permissions.viewer(actor, partnership)
    require(who.is_lead)
    _require_status(agreement, *Agreement.LIVE_STATUSES)
    if agreement.status == Agreement.Status.SIGNED and not who.is_head:
        raise ValidationError(
            _("A signed agreement is terminated by the head of the organisation."),
            code="head_only",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Explain why the agreement is terminated."), code="reason_required"
        )
    agreement.status = Agreement.Status.TERMINATED
    agreement.end_reason = reason
    save_with_history(agreement, actor, reason)
    with site_language():
        notify(
            users=leads(partnership),
            kind=Kind.STAGE_MOVED,
            title=_("%(agreement)s is terminated") % {"agreement": agreement.title},
            body=reason,
            link=_agreement_link(agreement),
            actor=actor,
        )
    return agreement


@transaction.atomic
def add_comment(*, agreement: Agreement, actor: User, text: str) -> AgreementComment:
    """A head or coordinator of either side writes in the negotiation thread.

    The same text sent again within a few minutes is a repeated submission
    and returns the first comment.
    """
    agreement = _lock(agreement)
    partnership = agreement.partnership
    who = permissions.viewer(actor, partnership)
    require(who.is_lead)
    _require_live_partnership(partnership)
    text = text.strip()
    if not text or len(text) > COMMENT_LENGTH:
        raise ValidationError(
            _("Write a comment of up to %(limit)s characters.")
            % {"limit": COMMENT_LENGTH},
            code="invalid_text",
        )
    repeated = (
        AgreementComment.objects.filter(
            agreement=agreement,
            author=actor,
            text=text,
            created_at__gte=timezone.now() - REPEAT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if repeated is not None:
        return repeated  # the same form submitted twice
    comment = AgreementComment.objects.create(
        agreement=agreement, author=actor, side=who.side, text=text
    )
    with site_language():
        notify(
            users=leads(partnership, (who.other_side,)),
            kind=Kind.AGREEMENT_COMMENT,
            title=_("New comment on %(agreement)s") % {"agreement": agreement.title},
            body=text[:300],
            link=_agreement_link(agreement) + f"#comment-{comment.pk}",
            actor=actor,
        )
    return comment


def expire_agreements(*, today: date | None = None) -> int:
    """Mark signed agreements whose term has passed as expired."""
    today = today or timezone.localdate()
    count = 0
    for agreement in Agreement.objects.filter(
        status=Agreement.Status.SIGNED, expiry_date__lt=today
    ).iterator():
        with transaction.atomic():
            agreement = _lock(agreement)
            if agreement.status != Agreement.Status.SIGNED:
                continue
            agreement.status = Agreement.Status.EXPIRED
            with site_language():
                agreement._change_reason = _("The term of the agreement has ended")
            agreement.save()
            count += 1
    return count


def warn_expiring_agreements(*, today: date | None = None) -> int:
    """Tell both sides once that a signed agreement ends within 30 days."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    count = 0
    due = Agreement.objects.filter(
        Q(expiry_warning_sent_at__isnull=True),
        status=Agreement.Status.SIGNED,
        expiry_date__gte=today,
        expiry_date__lte=horizon,
    ).select_related("partnership__product", "partnership__recipient")
    for agreement in due.iterator():
        with transaction.atomic():
            updated = Agreement.objects.filter(
                pk=agreement.pk, expiry_warning_sent_at__isnull=True
            ).update(expiry_warning_sent_at=timezone.now())
            if not updated:
                continue
            with site_language():
                notify(
                    users=leads(agreement.partnership),
                    kind=Kind.AGREEMENT_EXPIRING,
                    title=_("%(agreement)s expires on %(date)s")
                    % {
                        "agreement": agreement.title,
                        "date": agreement.expiry_date.strftime("%d.%m.%Y"),
                    },
                    body=_(
                        "After this date the partners' consultation rights end. "
                        "Extend it with a supplementary agreement if needed."
                    ),
                    link=_agreement_link(agreement),
                )
            count += 1
    return count
