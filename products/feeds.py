"""RSS and Atom feeds of the news section."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from products import selectors_news
from products.models import NewsItem

FEED_SIZE = 20


class LatestNewsFeed(Feed):
    """The latest published news, newest first, as RSS 2.0."""

    title = _("Regional innovation site")
    link = reverse_lazy("products:news_list")
    description = _("News of the Innoteka open innovation platform for schools.")
    # The news are written in Russian whatever the reader's interface.
    language = "ru"

    def items(self) -> list[NewsItem]:
        return selectors_news.latest_news(limit=FEED_SIZE)

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_pubdate(self, item: NewsItem):
        return item.published_at

    def item_author_name(self, item: NewsItem) -> str | None:
        return item.organisation.short_name if item.organisation else None


class LatestNewsAtomFeed(LatestNewsFeed):
    """The same news as Atom 1.0."""

    feed_type = Atom1Feed
    subtitle = LatestNewsFeed.description
