from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="group-list"),
    path("<uuid:group_id>/", views.group_detail, name="group-detail"),
    path("<uuid:group_id>/sessions/new/", views.group_session_add, name="session-add"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session-detail"),
    path(
        "sessions/<uuid:session_id>/attendance/", views.attendance_toggle, name="attendance-toggle"
    ),
    path("sessions/<uuid:session_id>/drop-in/", views.session_drop_in, name="session-drop-in"),
    path(
        "sessions/<uuid:session_id>/drop-in/picker/",
        views.session_drop_in_picker,
        name="session-drop-in-picker",
    ),
    path(
        "sessions/<uuid:session_id>/drop-in/search/",
        views.session_drop_in_search,
        name="session-drop-in-search",
    ),
    path("sessions/<uuid:session_id>/remove/", views.session_remove, name="session-remove"),
    path("sessions/<uuid:session_id>/move/", views.session_move, name="session-move"),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session-cancel"),
    path("sessions/<uuid:session_id>/addendum/", views.session_addendum, name="session-addendum"),
    path("sessions/<uuid:session_id>/cosign/", views.session_cosign, name="session-cosign"),
    path("clients/<uuid:client_id>/", views.client_groups, name="client-groups"),
]
