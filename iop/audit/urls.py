from django.urls import path

from iop.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("emergency-access/", views.emergency_access, name="emergency-access"),
]
