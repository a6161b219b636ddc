"""Access matrix entries of partnerships and their agreements.

The world's carrier school (whose people are the matrix personas) has two
partnerships with a recipient school: one with a draft agreement, one with
an agreement agreed by the recipient and waiting for signatures. Stored
documents are small stand-ins: the matrix checks who gets in, not PDFs.
"""

import hashlib

from django.core.files.base import ContentFile

from organisations.models import Role
from partnerships import permissions
from partnerships.models import (
    Agreement,
    AgreementComment,
    NegotiationNote,
    Partnership,
    Signature,
    Stage,
)
from products.models import Interest
from tests.factories import OrganisationFactory, ProductFactory, member

STAND_IN_PDF = b"%PDF-1.4\n% stand-in for the access matrix\n%%EOF\n"


def statuses(**by_persona: int) -> dict[str, int]:
    return by_persona


def _partnership(world, recipient, recipient_head, product) -> Partnership:
    interest = Interest.objects.create(
        product=product,
        organisation=recipient,
        declared_by=recipient_head,
        message="Хотим внедрить продукт.",
        status=Interest.Status.ACCEPTED,
    )
    partnership = Partnership.objects.create(
        product=product,
        interest=interest,
        carrier=world.organisation,
        recipient=recipient,
        carrier_contact=world.people["coordinator"],
        recipient_contact=recipient_head,
        stage=Stage.DOCUMENTS,
    )
    permissions.grant_permissions(partnership)
    return partnership


def _agreement(partnership, carrier_head, recipient_head, **fields) -> Agreement:
    return Agreement.objects.create(
        partnership=partnership,
        number=f"2026/{partnership.pk}",
        subject="Внедрение продукта.",
        carrier_obligations="Провести курсы.",
        recipient_obligations="Обучить педагогов.",
        changes_procedure="Дополнительными соглашениями.",
        termination_procedure="По соглашению сторон.",
        expiry_date="2027-12-31",
        carrier_signatory=carrier_head,
        recipient_signatory=recipient_head,
        **fields,
    )


def arrange(world) -> None:
    recipient = OrganisationFactory(short_name="ГБОУ лицей № 239")
    recipient_head = member(recipient, Role.HEAD, email="head@lyceum239.example")
    head = world.people["head"]
    drafting = _partnership(world, recipient, recipient_head, world.product)
    draft = _agreement(drafting, head, recipient_head)
    signing = _partnership(
        world,
        recipient,
        recipient_head,
        ProductFactory(carrier=world.organisation, coordinator=head),
    )
    agreed = _agreement(
        signing,
        head,
        recipient_head,
        status=Agreement.Status.AGREED,
        document_sha256=hashlib.sha256(STAND_IN_PDF).hexdigest(),
    )
    agreed.document.save("matrix.pdf", ContentFile(STAND_IN_PDF))
    world.extra.update(
        partnership=drafting, draft_agreement=draft, agreed_agreement=agreed
    )


def state() -> tuple:
    return (
        list(
            Partnership.objects.values_list(
                "pk", "stage", "status", "carrier_contact", "recipient_contact"
            ).order_by("pk")
        ),
        list(Agreement.objects.values_list("pk", "status", "version").order_by("pk")),
        Signature.objects.count(),
        AgreementComment.objects.count(),
        NegotiationNote.objects.count(),
    )


def partnership(w) -> dict:
    return {"pk": w.extra["partnership"].pk}


def draft(w) -> dict:
    return {"pk": w.extra["draft_agreement"].pk}


def agreed(w) -> dict:
    return {"pk": w.extra["agreed_agreement"].pk}


# Every member of either side sees the partnership; administrators see all;
# an expert sees only partnerships they are assigned to.
PAGE = statuses(
    anonymous=302,
    outsider=404,
    specialist=200,
    coordinator=200,
    head=200,
    expert=404,
    administrator=200,
)
# Heads and coordinators act; specialists and administrators may look only.
LEAD_ACTION = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=302,
    head=302,
    expert=404,
    administrator=403,
)
LEAD_PAGE = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=200,
    head=200,
    expert=404,
    administrator=403,
)
# Only the recipient agrees: the matrix personas are all of the carrier.
RECIPIENT_ACTION = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=403,
    head=403,
    expert=404,
    administrator=403,
)
# The head signs; a coordinator only if named as the signatory.
SIGN_PAGE = statuses(
    anonymous=302,
    outsider=404,
    specialist=403,
    coordinator=403,
    head=200,
    expert=404,
    administrator=403,
)
REASON = {"reason": "Стороны договорились изменить сроки."}

ENTRIES = {
    "partnerships:partnership_detail": {"kwargs": partnership, "expect": PAGE},
    "partnerships:package": {"kwargs": partnership, "expect": PAGE},
    "partnerships:partnership_advance": {
        "kwargs": partnership,
        "method": "post",
        "expect": LEAD_ACTION,
    },
    "partnerships:partnership_back": {
        "kwargs": partnership,
        "method": "post",
        "data": REASON,
        "expect": LEAD_ACTION,
    },
    "partnerships:partnership_complete": {
        "kwargs": partnership,
        "method": "post",
        "expect": LEAD_ACTION,
    },
    "partnerships:partnership_terminate": {
        "kwargs": partnership,
        "method": "post",
        "data": REASON,
        "expect": LEAD_ACTION,
    },
    "partnerships:note_create": {
        "kwargs": partnership,
        "method": "post",
        "data": {"held_on": "2026-11-20", "text": "Обсудили сроки курсов."},
        "expect": LEAD_ACTION,
    },
    "partnerships:partnership_contact": {
        "kwargs": partnership,
        "method": "post",
        "data": {"contact": ""},
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_create": {
        "kwargs": partnership,
        "method": "post",
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_detail": {"kwargs": draft, "expect": PAGE},
    "partnerships:agreement_edit": {"kwargs": draft, "expect": LEAD_PAGE},
    "partnerships:agreement_agree": {
        "kwargs": draft,
        "method": "post",
        "data": {"version": 1},
        "expect": RECIPIENT_ACTION,
    },
    "partnerships:agreement_comment": {
        "kwargs": draft,
        "method": "post",
        "data": {"text": "Предлагаем уточнить сроки курсов."},
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_reopen": {
        "kwargs": agreed,
        "method": "post",
        "data": REASON,
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_sign": {"kwargs": agreed, "expect": SIGN_PAGE},
    "partnerships:agreement_supplementary": {
        "kwargs": agreed,
        "method": "post",
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_terminate": {
        "kwargs": draft,
        "method": "post",
        "data": REASON,
        "expect": LEAD_ACTION,
    },
    "partnerships:agreement_pdf": {"kwargs": agreed, "expect": PAGE},
    "partnerships:agreement_verify": {
        "kwargs": agreed,
        "expect": statuses(
            anonymous=302,
            outsider=404,
            specialist=200,
            coordinator=200,
            head=200,
            expert=404,
            administrator=200,
        ),
    },
}
