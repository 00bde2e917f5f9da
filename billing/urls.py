from django.urls import path

from billing.views import charges

app_name = "billing"

urlpatterns = [
    # charges: the worklist, a charge and its actions, the charge export
    path("charges/", charges.worklist, name="charges"),
    path("charges/export/", charges.charges_export, name="charges-export"),
    path("charges/mark-exported/", charges.charges_mark_exported, name="charges-mark-exported"),
    path("charges/<uuid:charge_id>/", charges.charge_detail, name="charge-detail"),
    path("charges/<uuid:charge_id>/hold/", charges.charge_hold, name="charge-hold"),
    path("charges/<uuid:charge_id>/release/", charges.charge_release, name="charge-release"),
    path("charges/<uuid:charge_id>/void/", charges.charge_void, name="charge-void"),
    # end charges
]
