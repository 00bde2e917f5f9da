"""Co-signing a screening (screening-cosign) and the signature shown on its
page: a supervisor co-signs what a screener in training signed; the outsider
(404), the wrong role (403), the wrong method (405), and a co-signature not due
refused with a message (STYLE.md, Tests)."""

import datetime

from django.utils import timezone

from iop.audit.models import AuditEvent
from screening.models import Screening
from tests.screening.helpers import ready_to_complete, refer, screening_url

AWAITING = "awaiting supervisor co-signature"
LATE = "signed late (over 72 hours)"


def _detail(browser, screening):
    return browser.get(screening_url("screening-detail", screening)).content.decode()


def test_supervisor_sees_a_trainee_s_screening_awaiting_and_may_cosign(
    login, supervisor, trainee_screening
):
    page = _detail(login(supervisor), trainee_screening)

    assert AWAITING in page
    assert f'action="{screening_url("screening-cosign", trainee_screening)}"' in page


def test_supervisor_cosigns_and_the_page_says_by_whom(login, supervisor, trainee_screening):
    browser = login(supervisor)

    response = browser.post(screening_url("screening-cosign", trainee_screening))

    assert response.status_code == 302
    screening = Screening.objects.get(pk=trainee_screening.pk)
    assert (screening.cosigned_by, screening.awaits_cosignature) == (supervisor, False)
    assert AuditEvent.objects.filter(details={"cosigned": True}, actor=supervisor).count() == 1
    page = _detail(browser, trainee_screening)
    assert AWAITING not in page
    assert f"Co-signed by {supervisor}" in page


def test_the_screener_is_not_offered_to_cosign(login, trainee, trainee_screening):
    page = _detail(login(trainee), trainee_screening)

    assert AWAITING in page
    assert screening_url("screening-cosign", trainee_screening) not in page


def test_cosign_is_forbidden_to_screeners_who_are_not_supervisors(
    login, trainee, trainee_screening
):
    response = login(trainee).post(screening_url("screening-cosign", trainee_screening))

    assert response.status_code == 403
    assert Screening.objects.get(pk=trainee_screening.pk).awaits_cosignature


def test_cosign_is_404_for_another_counselors_client(login, counselor2, trainee_screening):
    response = login(counselor2).post(screening_url("screening-cosign", trainee_screening))

    assert response.status_code == 404


def test_cosign_refuses_get(login, supervisor, trainee_screening):
    response = login(supervisor).get(screening_url("screening-cosign", trainee_screening))

    assert response.status_code == 405


def test_cosign_not_due_is_refused_with_a_message_and_changes_nothing(
    login, supervisor, intake, draft
):
    ready_to_complete(draft, intake)
    refer(draft, intake)

    response = login(supervisor).post(screening_url("screening-cosign", draft), follow=True)

    assert response.status_code == 200
    assert "This note does not need a co-signature." in response.content.decode()
    assert Screening.objects.get(pk=draft.pk).cosigned_at is None


def test_the_page_marks_a_screening_signed_late(login, intake, draft):
    Screening.objects.filter(pk=draft.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=4)
    )
    ready_to_complete(draft, intake)
    refer(draft, intake)

    page = _detail(login(intake), draft)

    assert LATE in page
    assert f"Completed and signed by {intake}" in page
