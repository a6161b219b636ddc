"""What a partnership is waiting on, worked out from one annotated row.

The list, the board and the export show for each partnership who is to act
next and what they are to do; this reads only the annotations of
``selectors.listing`` so a page of rows costs no extra query.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, Partnership, Side, Stage


def waiting_on(row: Partnership) -> tuple[str | None, str | Promise]:
    """Return (the side to act or None, what is expected) for ``row``."""
    if row.status != Partnership.Status.ACTIVE:
        return None, _("Nothing: the partnership is %(status)s.") % {
            "status": row.get_status_display().lower()
        }
    status = getattr(row, "agreement_status", None)
    if row.stage == Stage.DOCUMENTS and status in (None, Agreement.Status.TERMINATED):
        return Side.CARRIER, _(
            "The carrier drafts the cooperation agreement and the document package."
        )
    if status == Agreement.Status.DRAFT:
        return Side.RECIPIENT, _(
            "The recipient reviews the draft agreement: proposes edits or agrees."
        )
    if status == Agreement.Status.AGREED:
        if not row.carrier_signed and not row.recipient_signed:
            return None, _("Both heads sign the agreement.")
        if not row.carrier_signed:
            return Side.CARRIER, _("The carrier's head signs the agreement.")
        return Side.RECIPIENT, _("The recipient's head signs the agreement.")
    if status == Agreement.Status.EXPIRED:
        return Side.CARRIER, _(
            "The agreement has expired: the partners decide on a new one or "
            "complete the partnership."
        )
    if row.stage == Stage.DOCUMENTS:
        return Side.CARRIER, _(
            "The carrier completes the document package and moves the "
            "partnership to the network community."
        )
    if row.stage == Stage.COMMUNITY:
        return None, _(
            "The heads negotiate, sign the agreement and approve the roadmap; "
            "the recipient prepares its services and processes."
        )
    if row.stage == Stage.PREPARATION:
        return None, _(
            "Business meetings, readiness monitoring, distance courses; the "
            "recipient trains its team."
        )
    return None, _(
        "Implementation by the calendar schedule, with work-completion acts and "
        "the partner's review."
    )


def expected_of(row: Partnership, side: str) -> str | Promise:
    """The line shown to one side: its own task, or that it waits."""
    acting, text = waiting_on(row)
    if acting is None or acting == side:
        return text
    return _("Waiting for the other side: %(what)s") % {"what": text}


def describe(rows) -> None:
    """Set on each row (annotated by ``selectors.with_viewer_side`` and
    ``selectors.listing``) the viewer's side, what is expected of them and
    the label of the agreement state."""
    for row in rows:
        if row.in_recipient:
            row.my_side = Side.RECIPIENT
        elif row.in_carrier:
            row.my_side = Side.CARRIER
        else:
            row.my_side = None
        row.expected = (
            expected_of(row, row.my_side) if row.my_side else waiting_on(row)[1]
        )
        row.agreement_status_label = (
            Agreement.Status(row.agreement_status).label if row.agreement_status else ""
        )
