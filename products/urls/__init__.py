"""URLs of the products app, one module per part of stage 1."""

from products.urls import events, interests, materials, news, passport, reviews

app_name = "products"

urlpatterns = [
    *passport.urlpatterns,
    *materials.urlpatterns,
    *events.urlpatterns,
    *interests.urlpatterns,
    *reviews.urlpatterns,
    *news.urlpatterns,
]
