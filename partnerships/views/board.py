"""The network community board of a carrier: all partners by stage.

The board and its export read annotated rows (``selectors.listing``): the
number of queries does not depend on the number of partners.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from organisations.models import Membership, Organisation
from partnerships import selectors
from partnerships.models import (
    Agreement,
    NegotiationNote,
    Partnership,
    Side,
    Stage,
)
from partnerships.progress import expected_of
from products.models import Product

# Cards shown per stage column; the list page shows the rest.
COLUMN_LIMIT = 50
EXPORT_NAME = "setevoe-soobshchestvo"


def _carrier(request: HttpRequest) -> tuple[Organisation, list[Organisation]]:
    """The organisation whose board is shown, among the user's own."""
    organisations = list(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=request.user).values("organisation")
        ).order_by("short_name")
    )
    if not organisations:
        raise PermissionDenied
    chosen = request.GET.get("organisation", "")
    for organisation in organisations:
        if str(organisation.pk) == chosen:
            return organisation, organisations
    return organisations[0], organisations


def _rows(carrier: Organisation, product_id: str):
    queryset = Partnership.objects.filter(carrier=carrier)
    if product_id.isdigit():
        queryset = queryset.filter(product_id=int(product_id))
    return queryset


@login_required
def board(request: HttpRequest) -> HttpResponse:
    carrier, organisations = _carrier(request)
    product_id = request.GET.get("product", "")
    base = _rows(carrier, product_id)
    counts = dict(
        base.filter(status=Partnership.Status.ACTIVE)
        .values_list("stage")
        .annotate(total=Count("pk"))
        .values_list("stage", "total")
    )
    last_note = (
        NegotiationNote.objects.filter(partnership=OuterRef("pk"))
        .order_by("-held_on")
        .values("held_on")
    )
    columns = []
    for stage in Stage:
        if stage == Stage.POSITIONING:
            continue
        cards = list(
            selectors.listing(
                base.filter(stage=stage, status=Partnership.Status.ACTIVE)
            )
            .annotate(last_negotiation=Subquery(last_note[:1]))
            .order_by("recipient__short_name", "pk")[:COLUMN_LIMIT]
        )
        for card in cards:
            card.expected = expected_of(card, Side.CARRIER)
        columns.append(
            {
                "stage": stage,
                "cards": cards,
                "total": counts.get(stage.value, 0),
            }
        )
    ended = base.exclude(status=Partnership.Status.ACTIVE).count()
    return render(
        request,
        "partnerships/board.html",
        {
            "carrier": carrier,
            "organisations": organisations,
            "products": Product.objects.filter(carrier=carrier).order_by("title"),
            "product_id": product_id,
            "columns": columns,
            "ended": ended,
            "limit": COLUMN_LIMIT,
            "today": timezone.localdate(),
        },
    )


@login_required
def board_export(request: HttpRequest) -> HttpResponse:
    """All partners of the carrier (or one product) as an XLSX workbook."""
    carrier, _organisations = _carrier(request)
    rows = selectors.listing(_rows(carrier, request.GET.get("product", ""))).order_by(
        "product__title", "stage", "recipient__short_name"
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Partners"))
    headers = [
        _("Product"),
        _("Partner organisation"),
        _("Region"),
        _("District"),
        _("Stage"),
        _("Status"),
        _("Carrier's responsible person"),
        _("Recipient's responsible person"),
        _("Agreement No."),
        _("Agreement state"),
        _("Valid until"),
        _("Waiting on"),
        _("Partners since"),
    ]
    widths = [40, 45, 22, 22, 28, 14, 28, 28, 14, 16, 14, 60, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for title in headers:
        cell = _cell(sheet, title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    statuses = dict(Agreement.Status.choices)
    for row in rows.iterator(chunk_size=500):
        sheet.append(
            [
                row.product.title,
                row.recipient.short_name or row.recipient.full_name,
                row.recipient.get_region_display(),
                row.recipient.district,
                f"{row.stage}. {row.get_stage_display()}",
                row.get_status_display(),
                row.carrier_contact.full_name if row.carrier_contact else "",
                row.recipient_contact.full_name if row.recipient_contact else "",
                row.agreement_number or "",
                str(statuses.get(row.agreement_status, ""))
                if row.agreement_status
                else "",
                row.agreement_expiry,
                str(expected_of(row, Side.CARRIER)),
                timezone.localtime(row.created_at).date(),
            ]
        )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="{EXPORT_NAME}-{carrier.pk}-{stamp}.xlsx"'
    )
    workbook.save(response)
    return response


def _cell(sheet, value) -> WriteOnlyCell:
    return WriteOnlyCell(sheet, value=value)
