from django.urls import path

from billing.views import (
    authorizations,
    batches,
    charges,
    claims,
    coverage,
    dashboard,
    fees,
    payers,
    remittances,
    superbill,
)
from billing.views import receivables as receivable_views
from billing.views import statements as statement_views

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
    # Accounts receivable and statements.
    path("receivables/", receivable_views.receivables, name="receivables"),
    path("receivables/charges/", receivable_views.receivables_charges, name="receivables-charges"),
    path("receivables/export/", receivable_views.receivables_export, name="receivables-export"),
    path(CLIENT + "statement/", statement_views.client_statement, name="client-statement"),
    path(
        CLIENT + "statement/payments/",
        statement_views.client_payment_add,
        name="client-payment-add",
    ),
    path(
        CLIENT + "statement/payments/reverse/",
        statement_views.client_payment_reverse,
        name="client-payment-reverse",
    ),
]

urlpatterns += [
    # Claims and batches.
    path("claims/", claims.worklist, name="claims"),
    path("claims/<uuid:claim_id>/", claims.claim_detail, name="claim-detail"),
    path("claims/<uuid:claim_id>/replace/", claims.claim_replace, name="claim-replace"),
    path("claims/<uuid:claim_id>/void/", claims.claim_void, name="claim-void"),
    path("batches/", batches.batch_list, name="batches"),
    path("batches/build/", batches.batch_build, name="batch-build"),
    path("batches/<uuid:batch_id>/", batches.batch_detail, name="batch-detail"),
    path("batches/<uuid:batch_id>/download/", batches.batch_download, name="batch-download"),
    path("batches/<uuid:batch_id>/send/", batches.batch_send, name="batch-send"),
    path("batches/<uuid:batch_id>/discard/", batches.batch_discard, name="batch-discard"),
]

urlpatterns += [
    # Files received, remittances and denials.
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
