from django.urls import path

from iop.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("system/", views.system_status, name="system-status"),
    path("my-day/", views.my_day, name="my-day"),
    path("worklists/", views.worklists, name="worklists"),
    path("program/", views.program_dashboard, name="program"),
    path("program/clients/", views.program_clients, name="program-clients"),
]
