from django.urls import path

from products.views import catalogue, passport

urlpatterns = [
    path("", catalogue.product_catalogue, name="product_catalogue"),
    path("mine/", passport.my_products, name="my_products"),
    path("moderation/", passport.moderation_queue, name="moderation_queue"),
    path("new/<int:organisation_pk>/", passport.product_create, name="product_create"),
    path("<int:pk>/", passport.product_detail, name="product_detail"),
    path("<int:pk>/cover/", passport.product_cover, name="product_cover"),
    path("<int:pk>/edit/", passport.product_edit, name="product_edit"),
    path("<int:pk>/submit/", passport.product_submit, name="product_submit"),
    path("<int:pk>/moderate/", passport.product_moderate, name="product_moderate"),
    path("<int:pk>/archive/", passport.product_archive, name="product_archive"),
    path("<int:pk>/history/", passport.product_history, name="product_history"),
    path("<int:pk>/versions/new/", passport.version_create, name="version_create"),
]
