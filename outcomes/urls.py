"""Staff pages of measurement-based care (signed in)."""

from django.urls import path

from outcomes.views import kiosk, measures, plan, rules, staff

app_name = "outcomes"

urlpatterns = [
    path(
        "clients/<uuid:client_id>/measures/<uuid:due_id>/send-link/",
        staff.link_send,
        name="link-send",
    ),
    path("rules/", rules.rules, name="rules"),
    path("plan/", plan.plan, name="plan"),
    path("plan/new/", plan.plan_add, name="plan-add"),
    path("plan/<int:entry_id>/edit/", plan.plan_edit, name="plan-edit"),
    path("plan/<int:entry_id>/deactivate/", plan.plan_deactivate, name="plan-deactivate"),
    path("clients/<uuid:client_id>/request/", measures.measure_request, name="measure-request"),
    path("clients/<uuid:client_id>/kiosk/", kiosk.kiosk_start, name="kiosk-start"),
    # The clinic device's one page (outcomes.middleware confines it here).
    path("kiosk/", kiosk.kiosk, name="kiosk"),
]
