from django.urls import path

from groups.views import dropin, sessions
from groups.views import groups as group_pages

app_name = "groups"

urlpatterns = [
    path("", group_pages.group_list, name="group-list"),
    path("<uuid:group_id>/", group_pages.group_detail, name="group-detail"),
    path("<uuid:group_id>/sessions/new/", group_pages.group_session_add, name="session-add"),
    path("sessions/<uuid:session_id>/", sessions.session_detail, name="session-detail"),
    path(
        "sessions/<uuid:session_id>/attendance/",
        sessions.attendance_toggle,
        name="attendance-toggle",
    ),
    path("sessions/<uuid:session_id>/drop-in/", dropin.session_drop_in, name="session-drop-in"),
    path(
        "sessions/<uuid:session_id>/drop-in/picker/",
        dropin.session_drop_in_picker,
        name="session-drop-in-picker",
    ),
    path(
        "sessions/<uuid:session_id>/drop-in/search/",
        dropin.session_drop_in_search,
        name="session-drop-in-search",
    ),
    path("sessions/<uuid:session_id>/remove/", sessions.session_remove, name="session-remove"),
    path("sessions/<uuid:session_id>/move/", group_pages.session_move, name="session-move"),
    path("sessions/<uuid:session_id>/cancel/", group_pages.session_cancel, name="session-cancel"),
    path(
        "sessions/<uuid:session_id>/addendum/", sessions.session_addendum, name="session-addendum"
    ),
    path("sessions/<uuid:session_id>/cosign/", sessions.session_cosign, name="session-cosign"),
    path("clients/<uuid:client_id>/", sessions.client_groups, name="client-groups"),
]
