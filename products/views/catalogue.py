import hashlib
from functools import cache as memoize

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from products import cache, catalogue
from products.forms import catalogue_query, catalogue_query_string

FACET_PARAMS = {
    "kind": "kind",
    "subject_area": "area",
    "level": "level",
    "region": "region",
    "district": "district",
    "equipment": "equipment",
    "rating": "rating",
}
# A group shows this many values; the rest open on demand.
FACET_VALUES_SHOWN = 8
FILTERS_TEMPLATE = "products/includes/catalogue_filters.html"
LISTING_TEMPLATE = "products/includes/catalogue_listing.html"


def product_catalogue(request: HttpRequest) -> HttpResponse:
    query = catalogue_query(request.GET)
    context = {
        "query": query,
        "body": catalogue_body(query),
        "sorts": catalogue.SORT_CHOICES,
        "sort": "" if query.sort == "relevance" else query.sort,
    }
    # htmx asks for the results alone, except when it restores a page from
    # its history, which needs the whole page.
    fragment = (
        request.htmx
        and not request.htmx.boosted
        and not request.htmx.history_restore_request
    )
    template = (
        "products/includes/catalogue_results.html"
        if fragment
        else "products/product_catalogue.html"
    )
    response = render(request, template, context)
    # The same address answers with a fragment or a page: caches keep both.
    patch_vary_headers(response, ["HX-Request"])
    return response


def catalogue_body(query: catalogue.CatalogueQuery) -> dict[str, str]:
    """The filters and the results of ``query``, rendered.

    They are the same for everybody who asks in one language, so each is
    cached for the catalogue's generation: the filters for the search and
    its filters, the results for that and the page as well. A search is run
    only for what is not cached, and facets are counted only for filters.
    """
    language = get_language()
    at_generation = catalogue.generation()
    keys = {
        "filters": catalogue.cache_key(
            "filters-html",
            query,
            language,
            query.text,
            query.sort,
            _template_digest(FILTERS_TEMPLATE),
            at_generation=at_generation,
        ),
        "listing": catalogue.cache_key(
            "listing-html",
            query,
            language,
            query.text,
            query.sort,
            query.page,
            _template_digest(LISTING_TEMPLATE),
            at_generation=at_generation,
        ),
    }
    cached = cache.get_many(keys.values())
    body = {part: cached.get(key) for part, key in keys.items()}
    if None in body.values():
        result = catalogue.search(query, with_facets=body["filters"] is None)
        context = {
            "query": query,
            "result": result,
            "query_string": catalogue_query_string(query),
        }
        if body["filters"] is None:
            context["facet_groups"] = _facet_groups(result)
            body["filters"] = render_to_string(FILTERS_TEMPLATE, context)
        if body["listing"] is None:
            body["listing"] = render_to_string(LISTING_TEMPLATE, context)
        fresh = {keys[p]: html for p, html in body.items() if keys[p] not in cached}
        cache.set_many(fresh, catalogue.CACHE_SECONDS)
    return {part: mark_safe(html) for part, html in body.items()}


@memoize
def _template_digest(name: str) -> str:
    """Tell the renderings of one template's versions apart, so that a
    deployment never serves fragments cached from the one before."""
    return hashlib.sha1(get_template(name).template.source.encode()).hexdigest()[:12]


def _facet_groups(result: catalogue.CatalogueResult) -> list[dict]:
    titles = {
        "kind": _("Kind of product"),
        "subject_area": _("Subject area"),
        "level": _("Education level"),
        "region": _("Carrier's region"),
        "district": _("Carrier's district"),
        "equipment": _("Required equipment"),
        "rating": _("Expert rating"),
    }
    return [
        {
            "name": name,
            "param": FACET_PARAMS[name],
            "title": titles[name],
            "values": values,
            "single": name == "rating",
            "shown": FACET_VALUES_SHOWN,
            "more": len(values) - FACET_VALUES_SHOWN,
            # A ticked value among the rest keeps them open.
            "more_open": any(v.selected for v in values[FACET_VALUES_SHOWN:]),
        }
        for name, values in result.facets.items()
        if values
    ]
