"""Staff pages of measurement-based care (signed in)."""

from django.urls import path

from outcomes.views import rules, staff

app_name = "outcomes"

urlpatterns = [
    path(
        "<uuid:client_id>/measures/<uuid:due_id>/send-link/",
        staff.link_send,
        name="link-send",
    ),
    path("rules/", rules.rules, name="rules"),
]
