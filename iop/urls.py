"""The project's URL map: one namespace per app."""

from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from iop.dashboard import views as dashboard_views

admin.site.site_header = "OpenIOP administration"
admin.site.site_title = "OpenIOP"


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to
    the static file. Nothing else is done here, so only GET and HEAD."""
    return redirect(static("favicon.svg"))


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
    path("billing/", include("billing.urls")),
    path("outcomes/", include("outcomes.urls")),
    # Self-report links sent to clients: short, and public (no sign-in).
    path("r/", include("outcomes.public_urls")),
    # The FHIR API: bearer tokens, not sessions (interop/views.py).
    path("fhir/", include("interop.urls")),
    path("admin/", admin.site.urls),
    path("health", dashboard_views.health, name="health"),
    # Browsers ask for it at the root whatever the page links.
    path("favicon.ico", favicon, name="favicon"),
]
