"""Reads of the news section shared by pages, feeds and the home page."""

from django.db.models import Q, QuerySet

from organisations import permissions as org_permissions
from organisations.models import Role
from products.models import NewsItem


def published_news() -> QuerySet[NewsItem]:
    """Return published news, newest first, with what a list shows."""
    return NewsItem.objects.filter(is_published=True).select_related(
        "organisation", "product"
    )


def latest_news(limit: int = 3) -> list[NewsItem]:
    """Return the ``limit`` newest published news items, as one query."""
    return list(published_news()[:limit])


def news_drafts(user) -> list[NewsItem]:
    """Return the unpublished news ``user`` may finish, newest first.

    Drafts of the organisations ``user`` heads or coordinates; an
    administrator also gets the drafts of platform news.
    """
    if not user.is_authenticated:
        return []
    condition = Q(
        organisation__memberships__user=user,
        organisation__memberships__role__in=[Role.HEAD, Role.COORDINATOR],
    )
    if org_permissions.is_administrator(user):
        condition |= Q(organisation__isnull=True)
    return list(
        NewsItem.objects.filter(condition, is_published=False)
        .select_related("organisation")
        .distinct()[:20]
    )
