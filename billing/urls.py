from django.urls import path

from billing.views import authorizations, charges, dashboard, superbill

app_name = "billing"

CLIENT = "clients/<uuid:client_id>/"

urlpatterns = [
    # The dashboard, the worklist, a charge and its actions, the charge export.
    path("", dashboard.billing_dashboard, name="dashboard"),
    path("charges/", charges.worklist, name="charges"),
    path("charges/export/", charges.charges_export, name="charges-export"),
    path("charges/mark-exported/", charges.charges_mark_exported, name="charges-mark-exported"),
    path("charges/<uuid:charge_id>/", charges.charge_detail, name="charge-detail"),
    path("charges/<uuid:charge_id>/hold/", charges.charge_hold, name="charge-hold"),
    path("charges/<uuid:charge_id>/release/", charges.charge_release, name="charge-release"),
    path("charges/<uuid:charge_id>/void/", charges.charge_void, name="charge-void"),
    path(CLIENT + "superbill/", superbill.superbill, name="superbill"),
    # Authorizations and utilization review.
    path("authorizations/", authorizations.authorizations, name="authorizations"),
    path(
        CLIENT + "authorizations/",
        authorizations.client_authorizations,
        name="client-authorizations",
    ),
    path(
        CLIENT + "authorizations/<uuid:authorization_id>/",
        authorizations.authorization_review,
        name="authorization-review",
    ),
]
