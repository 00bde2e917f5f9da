from django.urls import path

from billing.views import authorizations, charges, coverage, dashboard, fees, payers, superbill

app_name = "billing"

CLIENT = "clients/<uuid:client_id>/"
COVERAGE = CLIENT + "coverages/<uuid:coverage_id>/"

urlpatterns = [
    # Billing's home, a client's billing page, coverage, payers and the fee schedule.
    path("", coverage.home, name="home"),
    path(CLIENT, coverage.client_page, name="client"),
    path(CLIENT + "coverages/new/", coverage.coverage_add, name="coverage-add"),
    path(COVERAGE + "end/", coverage.coverage_end, name="coverage-end"),
    path(COVERAGE + "verifications/", coverage.verification_add, name="verification-add"),
    path(COVERAGE + "card/<slug:side>/", coverage.coverage_card, name="coverage-card"),
    path("payers/", payers.payer_list, name="payer-list"),
    path("payers/new/", payers.payer_create, name="payer-create"),
    path("payers/<uuid:payer_id>/", payers.payer_edit, name="payer-edit"),
    path("fees/", fees.fee_list, name="fee-list"),
    path("fees/new/", fees.fee_add, name="fee-add"),
    # The dashboard, the worklist, a charge and its actions, the charge export.
    path("dashboard/", dashboard.billing_dashboard, name="dashboard"),
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

# Files received, remittances and denials.
from billing.views import remittances  # noqa: E402 - kept with its block

urlpatterns += [
    path("files/", remittances.inbound_files, name="inbound-files"),
    path("files/upload/", remittances.inbound_upload, name="inbound-upload"),
    path("files/<uuid:file_id>/", remittances.inbound_file_detail, name="inbound-file-detail"),
    path(
        "remittances/<uuid:remittance_id>/",
        remittances.remittance_detail,
        name="remittance-detail",
    ),
    path("payments/unmatched/", remittances.unmatched_payments, name="unmatched-payments"),
    path(
        "payments/<uuid:payment_id>/match/",
        remittances.claim_payment_match_view,
        name="claim-payment-match",
    ),
    path("denials/", remittances.denials, name="denials"),
    path(
        "denials/<uuid:denial_id>/resolve/", remittances.denial_resolve_view, name="denial-resolve"
    ),
]
