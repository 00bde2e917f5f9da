from django.urls import path

from interop.views import api, export, token

app_name = "interop"

urlpatterns = [
    path("metadata", api.metadata, name="metadata"),
    path(".well-known/smart-configuration", api.smart_configuration, name="smart-configuration"),
    path("auth/token", token.token, name="token"),
    # Bulk export (Bulk Data Access 2.0), before the resource type patterns
    # that "$export" and "$export-status/<id>" would otherwise match.
    path("$export", export.system_export, name="export"),
    path("Group/<str:group_id>/$export", export.group_export, name="group-export"),
    path("$export-status/<uuid:job_id>", export.export_status, name="export-status"),
    path("$export-file/<uuid:job_id>/<str:name>", export.export_file, name="export-file"),
    path("<str:resource_type>", api.type_search, name="search"),
    path("<str:resource_type>/<str:resource_id>", api.instance_read, name="read"),
]
