"""The product page, its passport form, moderation, history and versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from innoteka.feedback import show_refusal
from organisations import permissions as org_permissions
from organisations.models import Organisation, Role
from products import history, permissions, selectors
from products.forms import (
    ModerationForm,
    ProductForm,
    ProductVersionForm,
    RequiredEquipmentFormSet,
)
from products.models import Product
from products.services import lifecycle


def visible_product(request: HttpRequest, pk: int) -> Product:
    """Return the product if ``request.user`` may see it; 404 otherwise."""
    return get_object_or_404(selectors.visible_products(request.user), pk=pk)


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    context = selectors.product_page(product, request.user)
    return render(request, "products/product_detail.html", context)


def product_cover(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not product.cover:
        raise Http404
    return FileResponse(product.cover.open("rb"), content_type=_image_type(product))


def _image_type(product: Product) -> str:
    return "image/png" if product.cover.name.lower().endswith(".png") else "image/jpeg"


def _coordinators(organisation: Organisation):
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role__in=[Role.HEAD, Role.COORDINATOR],
    ).order_by("last_name", "first_name")


@login_required
def product_create(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not org_permissions.is_member(request.user, organisation):
        raise Http404
    if not permissions.can_create_product(request.user, organisation):
        raise PermissionDenied

    initial = {"coordinator": request.user, "contact_email": request.user.email}
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        coordinators=_coordinators(organisation),
    )
    equipment = RequiredEquipmentFormSet(request.POST or None, prefix="equipment")
    if request.method == "POST" and form.is_valid() and equipment.is_valid():
        product = form.save(commit=False)
        with transaction.atomic(), history.one_record(product):
            lifecycle.create_product(
                product=product,
                carrier=organisation,
                actor=request.user,
                subject_areas=form.cleaned_data["subject_areas"],
                education_levels=form.cleaned_data["education_levels"],
            )
            equipment.instance = product
            equipment.save()
        messages.success(
            request,
            _(
                "The draft is saved. Add materials and send it to moderation "
                "when it is ready."
            ),
        )
        return redirect(product)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "equipment": equipment, "organisation": organisation},
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        instance=product,
        coordinators=_coordinators(product.carrier),
    )
    equipment = RequiredEquipmentFormSet(
        request.POST or None, instance=product, prefix="equipment"
    )
    if request.method == "POST" and form.is_valid() and equipment.is_valid():
        with transaction.atomic(), history.one_record(product):
            form.save()
            equipment.save()
        messages.success(request, _("The passport of the product is saved."))
        return redirect(product)
    return render(
        request,
        "products/product_form.html",
        {"form": form, "equipment": equipment, "product": product},
    )


@login_required
@require_POST
def product_submit(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    try:
        lifecycle.submit_product(product=product, actor=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("The product is sent to moderation. You will get a letter.")
        )
    return redirect(product)


@login_required
@require_POST
def product_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_moderate_product(request.user, product):
        raise PermissionDenied

    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(product)
    approve = form.cleaned_data["decision"] == "publish"
    try:
        lifecycle.moderate_product(
            product=product,
            actor=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The product is published.")
            if approve
            else _("The product is returned to the carrier for revision."),
        )
    return redirect(product)


@login_required
@require_POST
def product_archive(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    action = (
        lifecycle.restore_product
        if product.status == Product.Status.ARCHIVED
        else lifecycle.archive_product
    )
    try:
        action(product=product, actor=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("The product's status is changed."))
    return redirect(product)


def product_history(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    return render(
        request,
        "products/product_history.html",
        {
            "product": product,
            "versions": product.versions.all(),
            "timeline": selectors.product_timeline(
                product, full=permissions.sees_full_history(request.user, product)
            ),
        },
    )


@login_required
def version_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    form = ProductVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lifecycle.add_version(
                product=product,
                actor=request.user,
                number=form.cleaned_data["number"],
                changes=form.cleaned_data["changes"],
                reason=form.cleaned_data["reason"],
                released_on=form.cleaned_data["released_on"],
            )
        except ValidationError as error:
            form.add_error("number", error)
        else:
            messages.success(request, _("The version is recorded."))
            return redirect(product)
    return render(
        request, "products/version_form.html", {"form": form, "product": product}
    )


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.is_moderator(request.user):
        raise PermissionDenied
    return render(
        request,
        "products/moderation_queue.html",
        {"products": selectors.awaiting_moderation()},
    )


@login_required
def my_products(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "products/my_products.html",
        {"groups": selectors.products_of_my_organisations(request.user)},
    )
