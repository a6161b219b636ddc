"""Declared interest and the carrier's database of potential partners."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from innoteka.feedback import show_refusal
from organisations.models import Membership, Role
from products import permissions
from products.forms_interests import (
    InterestDeclineForm,
    InterestForm,
    InterestNotesForm,
    InterestStatusForm,
    PartnerFilterForm,
)
from products.models import Interest, Product
from products.services import interests as services
from products.views.passport import visible_product

PAGE_SIZE = 25
LEAD_ROLES = (Role.HEAD, Role.COORDINATOR)
EXPORT_NAME = "potentsialnye-partnery"


@login_required
def interest_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    organisations = permissions.interest_organisations(request.user, product)
    if not organisations:
        raise PermissionDenied

    form = InterestForm(
        request.POST or None, organisations=organisations, product=product
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_interest(
                product=product,
                organisation=form.chosen_organisation,
                actor=request.user,
                message=form.cleaned_data["message"],
                expected_start=form.cleaned_data["expected_start"],
                source_event=form.cleaned_data.get("source_event"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your interest is sent to the carrier. You will get a "
                    "letter when it decides."
                ),
            )
            return redirect(product)
    open_interests = list(
        product.interests.filter(
            organisation__in=organisations, status__in=Interest.OPEN_STATUSES
        ).select_related("organisation")
    )
    context = {
        "form": form,
        "product": product,
        "open_interests": open_interests,
        # A refused POST keeps its form, to show why.
        "can_declare": form.is_bound or len(open_interests) < len(organisations),
    }
    return render(request, "products/interests/interest_form.html", context)


# The carrier's database of potential partners.


def _led_organisation_ids(user) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role__in=LEAD_ROLES).values_list(
            "organisation_id", flat=True
        )
    )


def _database(request: HttpRequest) -> tuple[PartnerFilterForm, QuerySet[Interest]]:
    """Return the filter form and the filtered interests ``request`` may see.

    Refuses (403) a user who heads or coordinates no organisation.
    """
    led = _led_organisation_ids(request.user)
    if not led:
        raise PermissionDenied
    products = Product.objects.filter(carrier_id__in=led).order_by("title", "pk")
    form = PartnerFilterForm(request.GET or None, products=products)
    interests = Interest.objects.filter(product__carrier_id__in=led)
    return form, _filtered(interests, form.filters())


def _filtered(interests: QuerySet[Interest], filters: dict) -> QuerySet[Interest]:
    if "product" in filters:
        interests = interests.filter(product=filters["product"])
    if "status" in filters:
        interests = interests.filter(status=filters["status"])
    if "region" in filters:
        interests = interests.filter(organisation__region=filters["region"])
    for word in filters.get("q", "").split()[:5]:
        # SQLite ignores the case of Latin letters only: match the usual
        # spellings of a Cyrillic word instead.
        condition = Q()
        for variant in {word, word.lower(), word.capitalize(), word.upper()}:
            condition |= Q(organisation__short_name__contains=variant) | Q(
                organisation__full_name__contains=variant
            )
        interests = interests.filter(condition)
    return interests.select_related(
        "product", "organisation", "declared_by", "source_event", "decided_by"
    ).order_by("-created_at", "-pk")


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
def partner_database(request: HttpRequest) -> HttpResponse:
    form, interests = _database(request)
    page = Paginator(interests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "products/interests/partner_database.html",
        {
            "form": form,
            "page": page,
            "query_string": _query_without_page(request),
        },
    )


def _managed_interest(request: HttpRequest, interest_pk: int) -> Interest:
    """Return an interest in a product of the user's organisation.

    404 for an interest of another carrier, 403 for a member who may not
    manage interests.
    """
    interest = get_object_or_404(
        Interest.objects.filter(
            product__carrier__memberships__user=request.user
        ).select_related(
            "product__carrier",
            "organisation",
            "declared_by",
            "source_event",
            "decided_by",
        ),
        pk=interest_pk,
    )
    if not permissions.can_manage_interests(request.user, interest.product):
        raise PermissionDenied
    return interest


@dataclass
class StatusChange:
    at: datetime
    who: str
    old: str
    new: str
    reason: str


def _status_history(interest: Interest) -> list[StatusChange]:
    """Return the changes of status of ``interest``, oldest first."""
    labels = dict(Interest.Status.choices)
    records = interest.history.select_related("history_user").order_by(
        "history_date", "history_id"
    )
    changes, previous = [], None
    for record in records:
        if previous is None or record.status != previous:
            who = record.history_user.full_name if record.history_user else "—"
            changes.append(
                StatusChange(
                    at=record.history_date,
                    who=who,
                    old=str(labels.get(previous, "—")) if previous else "—",
                    new=str(labels.get(record.status, record.status)),
                    reason=record.history_change_reason or "",
                )
            )
        previous = record.status
    return changes


def _detail(request: HttpRequest, interest: Interest, **forms) -> HttpResponse:
    context = {
        "interest": interest,
        "product": interest.product,
        "history": _status_history(interest),
        "notes_form": InterestNotesForm(initial={"notes": interest.carrier_notes}),
        "decline_form": InterestDeclineForm(),
        "status_form": InterestStatusForm(),
        **forms,
    }
    return render(request, "products/interests/interest_detail.html", context)


@login_required
def interest_detail(request: HttpRequest, interest_pk: int) -> HttpResponse:
    interest = _managed_interest(request, interest_pk)
    return _detail(request, interest)


def _back(request: HttpRequest, interest: Interest) -> HttpResponse:
    """Return to the page the form was on, or to the interest."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("products:interest_detail", interest_pk=interest.pk)


@login_required
@require_POST
def interest_status(request: HttpRequest, interest_pk: int) -> HttpResponse:
    interest = _managed_interest(request, interest_pk)

    form = InterestStatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, interest, status_form=form)
    try:
        services.set_interest_status(
            interest=interest,
            actor=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The status is changed."))
    return _back(request, interest)


@login_required
@require_POST
def interest_accept(request: HttpRequest, interest_pk: int) -> HttpResponse:
    interest = _managed_interest(request, interest_pk)
    try:
        outcome = services.accept_interest(interest=interest, actor=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return _back(request, interest)
    if isinstance(outcome, Interest):
        messages.success(
            request,
            _("The interest is accepted. The organisation will get a letter."),
        )
        return _back(request, interest)
    messages.success(
        request,
        _(
            "The interest is accepted and the partnership is created. "
            "The organisation is notified."
        ),
    )
    return redirect(outcome.get_absolute_url())


@login_required
@require_POST
def interest_decline(request: HttpRequest, interest_pk: int) -> HttpResponse:
    interest = _managed_interest(request, interest_pk)

    form = InterestDeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, interest, decline_form=form)
    try:
        services.decline_interest(
            interest=interest, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The interest is declined. The organisation will get a letter."),
        )
    return _back(request, interest)


@login_required
@require_POST
def interest_notes(request: HttpRequest, interest_pk: int) -> HttpResponse:
    interest = _managed_interest(request, interest_pk)

    form = InterestNotesForm(request.POST)
    if not form.is_valid():
        return _detail(request, interest, notes_form=form)
    services.update_interest_notes(
        interest=interest, actor=request.user, notes=form.cleaned_data["notes"]
    )
    messages.success(request, _("The notes are saved."))
    return _back(request, interest)


# Export of the database: the rows of the current filters, all pages.


@dataclass
class Column:
    header: Callable[[], str]
    value: Callable[[Interest], object]
    width: int


def _local(moment: datetime | None) -> datetime | None:
    # Spreadsheets know no time zones: write the local wall-clock time.
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


COLUMNS = [
    Column(lambda: _("Organisation"), lambda i: i.organisation.short_name, 40),
    Column(lambda: _("Region"), lambda i: i.organisation.get_region_display(), 28),
    Column(lambda: _("District"), lambda i: i.organisation.district, 24),
    Column(lambda: _("Product"), lambda i: i.product.title, 40),
    Column(
        lambda: _("Declared by"),
        lambda i: i.declared_by.full_name if i.declared_by else "",
        30,
    ),
    Column(lambda: _("Declared at"), lambda i: _local(i.created_at), 18),
    Column(lambda: _("Message"), lambda i: i.message, 60),
    Column(lambda: _("Expected start"), lambda i: i.expected_start, 14),
    Column(
        lambda: _("Learned of it at"),
        lambda i: i.source_event.title if i.source_event else "",
        30,
    ),
    Column(lambda: _("Status"), lambda i: i.get_status_display(), 14),
    Column(lambda: _("Decided at"), lambda i: _local(i.decided_at), 18),
    Column(
        lambda: _("Decided by"),
        lambda i: i.decided_by.full_name if i.decided_by else "",
        30,
    ),
    Column(lambda: _("Reason for declining"), lambda i: i.decline_reason, 40),
    Column(lambda: _("Carrier's notes"), lambda i: i.carrier_notes, 40),
]


def _xlsx(interests: Iterable[Interest]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Potential partners")[:31]
    sheet.append([column.header() for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for interest in interests:
        sheet.append([column.value(interest) for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"
            elif cell.data_type == "f":
                # Text the recipient typed is never a formula.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A spreadsheet runs a cell starting with these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(interests: Iterable[Interest]) -> bytes:
    # Excel in Russian locales opens UTF-8 with a BOM and ';' as separator.
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([column.header() for column in COLUMNS])
    for interest in interests:
        writer.writerow([_csv_cell(column.value(interest)) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


EXPORTS = {
    "xlsx": (
        _xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": (_csv, "text/csv; charset=utf-8"),
}


@login_required
def partner_database_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        raise Http404
    _form, interests = _database(request)

    render_file, content_type = EXPORTS[fmt]
    filename = f"{EXPORT_NAME}-{timezone.localdate().isoformat()}.{fmt}"
    response = HttpResponse(
        render_file(interests.iterator(chunk_size=500)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_interests(request: HttpRequest) -> HttpResponse:
    interests = (
        Interest.objects.filter(organisation__memberships__user=request.user)
        .select_related(
            "product__carrier", "organisation", "source_event", "partnership"
        )
        .order_by("-created_at", "-pk")
    )
    page = Paginator(interests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "products/interests/my_interests.html",
        {"page": page, "query_string": _query_without_page(request)},
    )
