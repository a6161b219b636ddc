from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.template import engines

TEMPLATE = engines["django"].from_string(
    "<!doctype html><html lang='ru'><title>{{ title }}</title>"
    "<ul>{% for name in names %}<li>{{ name }}</li>{% endfor %}</ul></html>"
)


def baseline(request: HttpRequest) -> HttpResponse:
    """One query and a small template: the floor a real page is compared to."""
    names = list(Group.objects.values_list("name", flat=True)[:5])
    return HttpResponse(TEMPLATE.render({"title": "Иннотека", "names": names}))
