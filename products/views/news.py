"""The news section «Региональная инновационная площадка»."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisations import permissions as org_permissions
from products import permissions, selectors_news
from products.forms_events import NewsCreateForm, NewsItemForm
from products.models import NewsItem, Product
from products.services import news as news_services

PAGE_SIZE = 10


def visible_news(request: HttpRequest, news_pk: int) -> NewsItem:
    """Return the news item if ``request.user`` may read it; 404 otherwise."""
    item = get_object_or_404(
        NewsItem.objects.select_related("organisation", "product"), pk=news_pk
    )
    if not permissions.can_view_news(request.user, item):
        raise Http404
    return item


def _products_for(organisations, current: Product | None = None) -> QuerySet:
    """Published products of ``organisations`` a news item may be about."""
    condition = Q(status=Product.Status.PUBLISHED, carrier__in=organisations)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Product.objects.filter(condition).order_by("title")


def news_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors_news.published_news(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "drafts": selectors_news.news_drafts(request.user),
        "can_create": permissions.can_create_news(request.user),
    }
    return render(request, "products/news/news_list.html", context)


def news_detail(request: HttpRequest, news_pk: int) -> HttpResponse:
    item = visible_news(request, news_pk)
    context = {
        "item": item,
        "show_product": item.product is not None and item.product.is_published,
        "can_edit": permissions.can_edit_news(request.user, item),
        "can_delete": permissions.can_delete_news(request.user, item),
    }
    return render(request, "products/news/news_detail.html", context)


@login_required
def news_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_news(user):
        raise PermissionDenied

    organisations = permissions.news_organisations(user)
    form = NewsCreateForm(
        request.POST or None,
        organisations=organisations,
        platform_allowed=org_permissions.is_administrator(user),
        products=_products_for(organisations),
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        organisation = fields.pop("organisation")
        product = fields.pop("product")
        try:
            item = news_services.publish_news(
                actor=user, organisation=organisation, product=product, **fields
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The news is published.")
                if item.is_published
                else _("The draft of the news is saved."),
            )
            return redirect(item)
    return render(request, "products/news/news_form.html", {"form": form})


@login_required
def news_edit(request: HttpRequest, news_pk: int) -> HttpResponse:
    item = visible_news(request, news_pk)
    if not permissions.can_edit_news(request.user, item):
        raise PermissionDenied

    organisations = [item.organisation] if item.organisation else []
    form = NewsItemForm(
        request.POST or None,
        instance=item,
        products=_products_for(organisations, current=item.product),
    )
    if request.method == "POST" and form.is_valid():
        try:
            news_services.update_news(
                item=item, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The news is saved."))
            return redirect(item)
    return render(request, "products/news/news_form.html", {"form": form, "item": item})


@login_required
@require_POST
def news_delete(request: HttpRequest, news_pk: int) -> HttpResponse:
    item = visible_news(request, news_pk)
    if not permissions.can_delete_news(request.user, item):
        raise PermissionDenied

    news_services.delete_news(item=item, actor=request.user)
    messages.success(request, _("The news is deleted."))
    return redirect("products:news_list")
