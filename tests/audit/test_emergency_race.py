"""Emergency access under concurrent requests: the limit of attempts that
matched no client holds when they arrive at the same time, from several
connections (each thread has its own), not only one after the other."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connections

from iop.audit.models import AuditEvent, EmergencyAccess
from iop.audit.services import (
    EMERGENCY_ACCESS_MISS_LIMIT,
    EmergencyAccessRefused,
    audit_chain_verify,
    emergency_access_grant,
)
from iop.reminders.models import StaffNotification

ATTEMPTS = 16


def _attempt_in_parallel(user_pk: int, client) -> tuple[list[str], list[Exception]]:
    """ATTEMPTS threads, released together, each try the client's record
    number with a wrong date of birth on its own database connection."""
    start = threading.Barrier(ATTEMPTS)
    answers, errors = [], []

    def attempt():
        try:
            # A fresh instance per thread: the permission cache is per instance.
            actor = get_user_model().objects.get(pk=user_pk)
            start.wait(timeout=30)
            try:
                grant = emergency_access_grant(
                    actor=actor,
                    mrn=client.mrn,
                    date_of_birth=client.date_of_birth.replace(year=1900),
                    category=EmergencyAccess.Category.OTHER,
                    reason="Client called in crisis; their counselor is away today.",
                )
            except EmergencyAccessRefused:
                answers.append("refused")
            else:
                answers.append("granted" if grant else "no_match")
        except Exception as exc:  # noqa: BLE001 -- reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers, errors


@pytest.mark.django_db(transaction=True)
def test_sixteen_simultaneous_wrong_attempts_get_three_lookups_and_thirteen_refusals(
    counselor2, client_of_counselor1, administrator
):
    permission = Permission.objects.get(codename="break_glass", content_type__app_label="audit")
    counselor2.user_permissions.add(permission)

    answers, errors = _attempt_in_parallel(counselor2.pk, client_of_counselor1)

    assert errors == []
    assert sorted(answers) == sorted(
        ["no_match"] * EMERGENCY_ACCESS_MISS_LIMIT
        + ["refused"] * (ATTEMPTS - EMERGENCY_ACCESS_MISS_LIMIT)
    )
    outcomes = list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.BREAK_GLASS, actor=counselor2
        ).values_list("details__outcome", flat=True)
    )
    assert outcomes.count("no_match") == EMERGENCY_ACCESS_MISS_LIMIT == 3
    assert outcomes.count("refused_too_many_misses") == ATTEMPTS - 3 == 13
    assert not EmergencyAccess.objects.exists()
    [notice] = StaffNotification.objects.filter(kind="emergency_access")
    assert notice.recipient == administrator
    assert audit_chain_verify().ok
