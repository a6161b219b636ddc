from django.urls import path

from products.feeds import LatestNewsAtomFeed, LatestNewsFeed
from products.views import news

urlpatterns = [
    path("news/", news.news_list, name="news_list"),
    path("news/new/", news.news_create, name="news_create"),
    path("news/rss/", LatestNewsFeed(), name="news_rss"),
    path("news/atom/", LatestNewsAtomFeed(), name="news_atom"),
    path("news/<int:news_pk>/", news.news_detail, name="news_detail"),
    path("news/<int:news_pk>/edit/", news.news_edit, name="news_edit"),
    path("news/<int:news_pk>/delete/", news.news_delete, name="news_delete"),
]
