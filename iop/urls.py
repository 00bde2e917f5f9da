"""The project's URL map: one namespace per app."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from iop.dashboard import views as dashboard_views

admin.site.site_header = "OpenIOP administration"
admin.site.site_title = "OpenIOP"

urlpatterns = [
    path("", include("iop.dashboard.urls")),
    path("accounts/", include("iop.accounts.urls")),
    path("clients/", include("iop.clients.urls")),
    path("audit/", include("iop.audit.urls")),
    path("screening/", include("screening.urls")),
    path("reminders/", include("iop.reminders.urls")),
    path("groups/", include("groups.urls")),
    path("family/", include("family.urls")),
    path("aftercare/", include("aftercare.urls")),
    path("admin/", admin.site.urls),
    path("health", dashboard_views.health, name="health"),
    # Browsers ask for it at the root whatever the page links.
    path("favicon.ico", lambda request: redirect(static("favicon.svg")), name="favicon"),
]
