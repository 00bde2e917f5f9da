from django.urls import path

from iop.clients.views import demographics, diagnoses, plans, records, sessions, treatment

app_name = "clients"

CLIENT = "<uuid:client_id>/"
APPOINTMENT = CLIENT + "appointments/<uuid:appointment_id>/"
DIAGNOSIS = CLIENT + "diagnoses/<uuid:diagnosis_id>/"

urlpatterns = [
    path("", records.client_list, name="client-list"),
    path("new/", records.client_create, name="client-create"),
    path(CLIENT, records.client_detail, name="client-detail"),
    path(CLIENT + "sections/<slug:section>/", records.client_section, name="client-section"),
    path(CLIENT + "timeline/", records.client_timeline, name="client-timeline"),
    path(CLIENT + "edit/", records.client_update, name="client-update"),
    path(CLIENT + "demographics/", demographics.demographics_edit, name="demographics-edit"),
    path(CLIENT + "print/", treatment.chart_print, name="client-print"),
    path(
        CLIENT + "episodes/<uuid:episode_id>/assign/",
        records.episode_assign,
        name="episode-assign",
    ),
    path(CLIENT + "appointments/new/", sessions.appointment_new, name="appointment-new"),
    path(APPOINTMENT, sessions.session_document, name="session-document"),
    path(APPOINTMENT + "cancel/", sessions.appointment_cancel, name="appointment-cancel"),
    path(APPOINTMENT + "cosign/", sessions.note_cosign, name="note-cosign"),
    path(APPOINTMENT + "addendum/", sessions.note_addendum, name="note-addendum"),
    path(CLIENT + "plan/", plans.plan_detail, name="plan-detail"),
    path(CLIENT + "plan/start/", plans.plan_start, name="plan-start"),
    path(CLIENT + "plan/add/<str:part>/", plans.plan_add, name="plan-add"),
    path(CLIENT + "plan/objective-status/", plans.objective_status, name="plan-objective-status"),
    path(CLIENT + "plan/sign/", plans.plan_sign, name="plan-sign"),
    path(CLIENT + "plan/review/", plans.plan_review, name="plan-review"),
    path(CLIENT + "drug-tests/new/", treatment.drug_test_new, name="drug-test-new"),
    path(CLIENT + "medications/new/", treatment.medication_new, name="medication-new"),
    path(
        CLIENT + "medications/<uuid:medication_id>/stop/",
        treatment.medication_stop,
        name="medication-stop",
    ),
    path(CLIENT + "meetings/new/", treatment.meeting_new, name="meeting-new"),
    path(CLIENT + "diagnoses/", diagnoses.diagnoses, name="diagnoses"),
    path(CLIENT + "diagnoses/checklist/", diagnoses.diagnosis_add_sud, name="diagnosis-add-sud"),
    path(CLIENT + "diagnoses/by-code/", diagnoses.diagnosis_add_code, name="diagnosis-add-code"),
    path(DIAGNOSIS + "confirm/", diagnoses.diagnosis_confirm, name="diagnosis-confirm"),
    path(DIAGNOSIS + "primary/", diagnoses.diagnosis_primary, name="diagnosis-primary"),
    path(DIAGNOSIS + "resolve/", diagnoses.diagnosis_resolve, name="diagnosis-resolve"),
    path(
        CLIENT + "episodes/<uuid:episode_id>/discharge-diagnosis/",
        diagnoses.discharge_diagnosis,
        name="discharge-diagnosis",
    ),
    path("diagnoses/proposed/", diagnoses.diagnoses_proposed, name="diagnoses-proposed"),
    path("icd10/", diagnoses.icd10_search, name="icd10-search"),
]
