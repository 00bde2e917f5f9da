from django.urls import path

from screening import views

app_name = "screening"

SCREENING = "clients/<uuid:client_id>/screenings/<uuid:screening_id>/"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("clients/<uuid:client_id>/start/", views.screening_start, name="screening-start"),
    path(SCREENING, views.screening_detail, name="screening-detail"),
    path(SCREENING + "dimensions/", views.screening_dimensions, name="screening-dimensions"),
    path(SCREENING + "complete/", views.screening_complete, name="screening-complete"),
    path(SCREENING + "addendum/", views.screening_addendum, name="screening-addendum"),
    path(SCREENING + "cosign/", views.screening_cosign, name="screening-cosign"),
    path(SCREENING + "letter/", views.referral_letter, name="referral-letter"),
    path(SCREENING + "instruments/<str:code>/", views.administer, name="screening-administer"),
    path("clients/<uuid:client_id>/instruments/<str:code>/", views.administer, name="administer"),
    path("clients/<uuid:client_id>/flags/<uuid:flag_id>/", views.flag_address, name="flag-address"),
]
