from django.urls import path

from aftercare import views

app_name = "aftercare"

CLIENT = "clients/<uuid:client_id>/"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path(CLIENT + "step-down/", views.step_down, name="step-down"),
    path(CLIENT + "check-ins/<uuid:check_in_id>/", views.check_in, name="check-in"),
    path(CLIENT + "outreach/<uuid:task_id>/", views.outreach_attempt, name="outreach-attempt"),
    path(CLIENT + "discharge/", views.discharge, name="discharge"),
    path(CLIENT + "readmit/", views.readmit, name="readmit"),
    path(
        CLIENT + "discharge-summaries/<uuid:summary_id>/addendum/",
        views.summary_addendum,
        name="summary-addendum",
    ),
]
