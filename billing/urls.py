from django.urls import path

from billing.views import authorizations

app_name = "billing"

CLIENT = "clients/<uuid:client_id>/"

urlpatterns = [
    # --- auths: authorizations and utilization review ---
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
    # --- end auths ---
]
