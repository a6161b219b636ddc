"""Materials of a product: adding, editing, deleting and downloading them."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from products import permissions
from products.forms_materials import MaterialForm, MaterialUploadForm
from products.models import Material, Product
from products.services import materials as services
from products.views.passport import visible_product

logger = logging.getLogger(__name__)


def visible_material(request: HttpRequest, pk: int, material_pk: int) -> Material:
    """Return the material if ``request.user`` may see it; 404 otherwise.

    A material for partners is 404 to everyone else, like a missing one.
    """
    product = visible_product(request, pk)
    material = get_object_or_404(product.materials.all(), pk=material_pk)
    if not permissions.can_view_material(request.user, material):
        raise Http404
    return material


def _section_of(product: Product) -> str:
    return f"{product.get_absolute_url()}#materials"


@login_required
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_product(request, pk)
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    form = MaterialUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_material(
                product=product,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                visibility=form.cleaned_data["visibility"],
                upload=form.cleaned_data["file"],
                url=form.cleaned_data["url"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The material is added."))
            return redirect(_section_of(product))
    return render(
        request,
        "products/materials/material_form.html",
        {"form": form, "product": product},
        status=400 if form.errors else 200,
    )


@login_required
def material_edit(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = visible_material(request, pk, material_pk)
    product = material.product
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    initial = {
        "kind": material.kind,
        "title": material.title,
        "description": material.description,
        "visibility": material.visibility,
    }
    form = MaterialForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_material(
                material=material, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The material is saved."))
            return redirect(_section_of(product))
    return render(
        request,
        "products/materials/material_form.html",
        {"form": form, "product": product, "material": material},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def material_delete(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = visible_material(request, pk, material_pk)
    product = material.product
    if not permissions.can_edit_product(request.user, product):
        raise PermissionDenied

    services.delete_material(material=material, actor=request.user)
    messages.success(
        request,
        _("The material “%(title)s” is deleted.") % {"title": material.title},
    )
    return redirect(_section_of(product))


def material_download(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    material = visible_material(request, pk, material_pk)
    if not material.is_file:
        return HttpResponseRedirect(material.url)

    try:
        handle = services.material_storage().open(material.file.name, "rb")
    except FileNotFoundError:
        logger.warning("File of material %s is missing from storage", material.pk)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Partners' files must not stay in a shared cache.
    patch_cache_control(response, private=True)
    return response
