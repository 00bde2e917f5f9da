from django.urls import path

from iop.dashboard import cosign_views, outcome_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("system/", views.system_status, name="system-status"),
    path("my-day/", views.my_day, name="my-day"),
    path("worklists/", views.worklists, name="worklists"),
    path("cosign/", cosign_views.cosign_queue, name="cosign-queue"),
    path("cosign/sign/", cosign_views.cosign_bulk, name="cosign-bulk"),
    path("cosign/<slug:kind>/<str:note_id>/", cosign_views.cosign_read, name="cosign-read"),
    path("program/", views.program_dashboard, name="program"),
    path("program/clients/", views.program_clients, name="program-clients"),
    path("outcomes/", outcome_views.outcome_dashboard, name="outcomes"),
    path("outcomes/clients/", outcome_views.outcome_clients, name="outcome-clients"),
]
