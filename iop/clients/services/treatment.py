"""Drug tests (with the weekly random day), medications for addiction
treatment and mutual-help meetings."""

import hashlib
import hmac
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import (
    Client,
    DrugTest,
    DrugTestResult,
    Medication,
    MutualHelpMeeting,
    Substance,
)
from iop.extensions import services_changed

# Which panel results a prescribed medication explains (DOMAIN.md section 5:
# a positive for a prescribed medication is expected, not a relapse signal).
EXPECTED_BY_DRUG = {
    Medication.Drug.BUPRENORPHINE: {Substance.BUPRENORPHINE},
    Medication.Drug.METHADONE: {Substance.METHADONE},
}
# Extended-release naltrexone is injected every 4 weeks.
XR_NALTREXONE_INTERVAL = timedelta(weeks=4)
TEST_WEEKDAYS = 5  # Monday to Friday


def random_test_weekday(client: Client, monday: date) -> int:
    """The weekday (0 = Monday .. 4 = Friday) of the client's random test in
    the week starting `monday`: an HMAC of the client's id and the ISO week
    under SECRET_KEY, so it is reproducible for staff but not guessable from
    anything the client knows."""
    year, week, _weekday = monday.isocalendar()
    message = f"drug-test:{client.public_id}:{year}-W{week:02d}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % TEST_WEEKDAYS


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def active_medications(client: Client, on: date):
    return client.medications.filter(start_date__lte=on).filter(
        Q(stop_date__isnull=True) | Q(stop_date__gte=on)
    )


def expected_substances(client: Client, on: date) -> set[str]:
    expected: set[str] = set()
    for medication in active_medications(client, on):
        expected |= EXPECTED_BY_DRUG.get(medication.drug, set())
        if medication.expected_substance:
            expected.add(medication.expected_substance)
    return expected


def drug_test_record(
    *,
    actor,
    client: Client,
    collected_on: date,
    specimen: str,
    observed: bool,
    results: dict[str, str],
    random_selection: bool = True,
    request=None,
) -> DrugTest:
    """Record a test with a result per substance tested. A positive for a
    medication the client is prescribed on that day is marked expected."""
    errors = {}
    if collected_on > timezone.localdate():
        errors["collected_on"] = _("A test cannot be dated in the future.")
    if specimen not in DrugTest.Specimen.values:
        errors["specimen"] = _("Choose urine, oral fluid or breath.")
    unknown = sorted(set(results) - set(Substance.values))
    if unknown:
        errors["results"] = _("Unknown substance: %s.") % ", ".join(unknown)
    if any(value not in DrugTestResult.Result.values for value in results.values()):
        errors["results"] = _("Each result is negative, positive, invalid or refused.")
    if not results:
        errors["results"] = _("Record at least one result.")
    if errors:
        raise ValidationError(errors)
    expected = expected_substances(client, collected_on)
    with transaction.atomic():
        test = DrugTest.objects.create(
            client=client,
            collected_on=collected_on,
            specimen=specimen,
            observed=observed,
            random_selection=random_selection,
            recorded_by=actor,
        )
        DrugTestResult.objects.bulk_create(
            DrugTestResult(
                test=test,
                substance=substance,
                result=result,
                expected=result == DrugTestResult.Result.POSITIVE and substance in expected,
            )
            for substance, result in sorted(results.items())
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=test,
            request=request,
            details={"substances": len(results)},
        )
        services_changed(client_ids=[client.pk], dates=[collected_on], actor=actor)
    return test


def medication_add(*, actor, client: Client, data: dict, request=None) -> Medication:
    """Add a medication; extended-release naltrexone gets its next injection
    date four weeks after the start unless given."""
    medication = Medication(client=client, recorded_by=actor, **data)
    if medication.drug == Medication.Drug.OTHER and not medication.other_name.strip():
        raise ValidationError({"other_name": _("Name the medication.")})
    if medication.stop_date and medication.stop_date < medication.start_date:
        raise ValidationError({"stop_date": _("The stop date is before the start date.")})
    if medication.drug == Medication.Drug.NALTREXONE_XR and medication.next_injection_due is None:
        medication.next_injection_due = medication.start_date + XR_NALTREXONE_INTERVAL
    with transaction.atomic():
        medication.full_clean()
        medication.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=medication,
            request=request,
            details={"drug": medication.drug},
        )
    return medication


def medication_stop(*, actor, medication: Medication, stop_date: date, request=None) -> Medication:
    if stop_date < medication.start_date:
        raise ValidationError({"stop_date": _("The stop date is before the start date.")})
    with transaction.atomic():
        # Conditional: a stop made since `medication` was loaded (another
        # tab, a double submit) is refused, not made and audited twice.
        stopped = Medication.objects.filter(pk=medication.pk, stop_date__isnull=True).update(
            stop_date=stop_date, next_injection_due=None
        )
        if not stopped:
            raise ValidationError(_("This medication is already stopped."))
        medication.stop_date = stop_date
        medication.next_injection_due = None
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=medication.client,
            obj=medication,
            request=request,
            details={"stopped": stop_date.isoformat()},
        )
    return medication


def meeting_record(*, actor, client: Client, data: dict, request=None) -> MutualHelpMeeting:
    if data.get("attended_on") and data["attended_on"] > timezone.localdate():
        raise ValidationError({"attended_on": _("A meeting cannot be dated in the future.")})
    meeting = MutualHelpMeeting(client=client, recorded_by=actor, **data)
    with transaction.atomic():
        meeting.full_clean()
        meeting.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=meeting,
            request=request,
            details={"kind": meeting.kind},
        )
    return meeting
