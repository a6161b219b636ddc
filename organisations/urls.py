from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<int:pk>/verify/", views.organisation_verify, name="organisation_verify"),
    path("<int:pk>/members/", views.organisation_members, name="organisation_members"),
    path(
        "<int:pk>/members/<int:membership_pk>/role/",
        views.member_role_change,
        name="member_role_change",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "<int:pk>/invitations/new/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<int:pk>/join/", views.join_request_create, name="join_request_create"),
    path(
        "<int:pk>/join-requests/<int:request_pk>/decide/",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
