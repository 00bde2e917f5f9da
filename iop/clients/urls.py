from django.urls import path

from iop.clients.views import records as views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="client-list"),
    path("new/", views.client_create, name="client-create"),
    path("<uuid:client_id>/", views.client_detail, name="client-detail"),
    path("<uuid:client_id>/edit/", views.client_update, name="client-update"),
    path(
        "<uuid:client_id>/episodes/<uuid:episode_id>/assign/",
        views.episode_assign,
        name="episode-assign",
    ),
]
