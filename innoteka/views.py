from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisations import selectors as organisation_selectors
from partnerships import selectors as partnership_selectors
from products import selectors as product_selectors
from products.models import Product
from products.selectors_news import latest_news


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "innoteka/home.html",
        {
            "counts": organisation_selectors.organisation_counts(),
            "product_count": Product.objects.published().count(),
            "latest_news": latest_news(),
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        **product_selectors.dashboard_summary(user),
        **partnership_selectors.dashboard_partnerships(user),
        "memberships": organisation_selectors.memberships_of(user),
        "invitations": organisation_selectors.invitations_for(user),
        "join_requests": organisation_selectors.join_requests_to_decide(user),
        "my_join_requests": user.join_requests.select_related("organisation").filter(
            status="pending"
        ),
    }
    return render(request, "innoteka/dashboard.html", context)
