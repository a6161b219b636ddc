from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as accounts_views
from innoteka import views

admin.site.site_header = _("Innoteka administration")
admin.site.site_title = _("Innoteka")
admin.site.index_title = _("Platform administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", accounts_views.accessibility, name="accessibility"),
    path("personal-data/", accounts_views.consent_text, name="consent_text"),
    path("accounts/", include("accounts.urls")),
    path("organisations/", include("organisations.urls")),
    path("products/", include("products.urls")),
    path("notifications/", include("notifications.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
