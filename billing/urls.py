from django.urls import path

from billing.views import coverage, fees, payers

app_name = "billing"

CLIENT = "clients/<uuid:client_id>/"
COVERAGE = CLIENT + "coverages/<uuid:coverage_id>/"

urlpatterns = [
    # --- access slice: billing's home, a client's billing page, coverage,
    # payers and the fee schedule.
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
    # --- end of the access slice's block.
]
