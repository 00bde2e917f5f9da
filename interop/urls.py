from django.urls import path

from interop.views import api, token

app_name = "interop"

urlpatterns = [
    path("metadata", api.metadata, name="metadata"),
    path(".well-known/smart-configuration", api.smart_configuration, name="smart-configuration"),
    path("auth/token", token.token, name="token"),
    path("<str:resource_type>", api.type_search, name="search"),
    path("<str:resource_type>/<str:resource_id>", api.instance_read, name="read"),
]
