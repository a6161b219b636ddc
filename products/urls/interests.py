from django.urls import path

from products.views import interests

urlpatterns = [
    path("<int:pk>/interest/", interests.interest_create, name="interest_create"),
    path("interests/mine/", interests.my_interests, name="my_interests"),
    path("partners/", interests.partner_database, name="partner_database"),
    path(
        "partners/export.<str:fmt>",
        interests.partner_database_export,
        name="partner_database_export",
    ),
    path(
        "partners/<int:interest_pk>/",
        interests.interest_detail,
        name="interest_detail",
    ),
    path(
        "partners/<int:interest_pk>/status/",
        interests.interest_status,
        name="interest_status",
    ),
    path(
        "partners/<int:interest_pk>/accept/",
        interests.interest_accept,
        name="interest_accept",
    ),
    path(
        "partners/<int:interest_pk>/decline/",
        interests.interest_decline,
        name="interest_decline",
    ),
    path(
        "partners/<int:interest_pk>/notes/",
        interests.interest_notes,
        name="interest_notes",
    ),
]
