from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from products import catalogue
from products.forms import catalogue_query

FACET_PARAMS = {
    "kind": "kind",
    "subject_area": "area",
    "level": "level",
    "region": "region",
    "district": "district",
    "equipment": "equipment",
    "rating": "rating",
}


def product_catalogue(request: HttpRequest) -> HttpResponse:
    query = catalogue_query(request.GET)
    result = catalogue.search(query)

    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "result": result,
        "facet_groups": _facet_groups(result),
        "sorts": catalogue.SORT_CHOICES,
        "sort": "" if query.sort == "relevance" else query.sort,
        "query_string": params.urlencode(),
    }
    template = (
        "products/includes/catalogue_results.html"
        if request.htmx and not request.htmx.boosted
        else "products/product_catalogue.html"
    )
    return render(request, template, context)


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
        }
        for name, values in result.facets.items()
        if values
    ]
