from django.urls import path

from family.views import consents, ledger, members, participation

app_name = "family"

CLIENT = "clients/<uuid:client_id>/"
CONSENT = CLIENT + "consents/<uuid:consent_id>/"

urlpatterns = [
    path(CLIENT + "members/new/", members.member_new, name="member-new"),
    path(CLIENT + "members/link/", members.member_link, name="member-link"),
    path(CLIENT + "members/<uuid:member_id>/", members.member_edit, name="member-edit"),
    path(CLIENT + "consents/new/", consents.consent_new, name="consent-new"),
    path(CONSENT, consents.consent_detail, name="consent-detail"),
    path(CONSENT + "revoke/", consents.consent_revoke, name="consent-revoke"),
    path(CONSENT + "event/", consents.consent_event, name="consent-event"),
    path(CONSENT + "release/", consents.release_export, name="release-export"),
    path(CLIENT + "disclosures.csv", ledger.accounting_export, name="accounting-export"),
    path(
        CLIENT + "appointments/<uuid:appointment_id>/attendees/",
        participation.conjoint_attendees,
        name="conjoint-attendees",
    ),
    path(
        "sessions/<uuid:session_id>/attendance/",
        participation.education_attendance,
        name="education-attendance",
    ),
    path("disclosures.csv", ledger.ledger_export, name="ledger-export"),
]
