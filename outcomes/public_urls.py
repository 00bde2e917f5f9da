"""The self-report link pages, reachable without a sign-in (/r/...)."""

from django.urls import path

from outcomes.views import selfreport

app_name = "selfreport"

urlpatterns = [
    # Before the token route: "done" is not a token (43 characters).
    path("done/", selfreport.link_done, name="done"),
    path("<str:token>/", selfreport.link_open, name="open"),
    path("<str:token>/form/", selfreport.link_form, name="form"),
]
