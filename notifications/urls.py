from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path(
        "read-all/",
        views.notification_mark_all_read,
        name="notification_mark_all_read",
    ),
    path("preferences/", views.preferences, name="preferences"),
]
