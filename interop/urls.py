from django.urls import path

from interop.views import api, clients, export, token

app_name = "interop"

urlpatterns = [
    path("metadata", api.metadata, name="metadata"),
    path(".well-known/smart-configuration", api.smart_configuration, name="smart-configuration"),
    path("auth/token", token.token, name="token"),
    # The administrator's pages, before the resource patterns: lowercase
    # "admin" can never be a FHIR resource type (they start with a capital).
    path("admin/clients/", clients.client_list, name="client-list"),
    path("admin/clients/new", clients.client_register, name="client-register"),
    path("admin/clients/<uuid:api_client_id>", clients.client_detail, name="client-detail"),
    path("admin/clients/<uuid:api_client_id>/revoke", clients.client_revoke, name="client-revoke"),
    # Bulk export (Bulk Data Access 2.0), before the resource type patterns
    # that "$export" and "$export-status/<id>" would otherwise match.
    path("$export", export.system_export, name="export"),
    path("Group/<str:group_id>/$export", export.group_export, name="group-export"),
    path("$export-status/<uuid:job_id>", export.export_status, name="export-status"),
    path("$export-file/<uuid:job_id>/<str:name>", export.export_file, name="export-file"),
    path("<str:resource_type>", api.type_search, name="search"),
    path("<str:resource_type>/<str:resource_id>", api.instance_read, name="read"),
]
