"""Diagnoses of an episode: made from the DSM-5-TR checklist (substance use
disorders) or by ICD-10-CM code (co-occurring mental health), ranked,
confirmed, resolved, and recorded at discharge.

Who: intake staff, counselors and supervisors may propose a diagnosis; one
made by a counselor or supervisor licensed to diagnose is confirmed at once,
anyone else's stays proposed until such a person confirms it. Each service
locks the episode (ranks are renumbered under that lock), validates
everything, changes, and writes its audit row in one transaction; bad input
is a ValidationError naming the field and nothing is saved.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iop import horizon
from iop.accounts import roles
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients import diagnoses as dsm
from iop.clients import icd10
from iop.clients.models import Diagnosis, Episode

# Who may propose a diagnosis, and who, licensed, may make or confirm one.
PROPOSERS = (roles.INTAKE, *roles.CLINICIANS)
CONFIRMERS = roles.CLINICIANS
# Substance use disorders (F10-F19 but tobacco, F17) come from the checklist.
SUD_CATEGORIES = frozenset(dsm.CATEGORY.values())


def may_confirm(user) -> bool:
    return bool(user.licensed_to_diagnose) and user.has_role(*CONFIRMERS)


def _audit(actor, diagnosis, request, action=AuditEvent.Action.UPDATE, **details):
    audit_record(
        actor=actor,
        action=action,
        client=diagnosis.client,
        obj=diagnosis,
        request=request,
        details={"code": diagnosis.icd10_code, **details},
    )


def _lock_episode(episode: Episode) -> Episode:
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.admission_date is None:
        raise ValidationError(_("Diagnoses are recorded for admitted episodes."))
    return episode


def _check_proposer(actor) -> None:
    if not actor.has_role(*PROPOSERS):
        raise ValidationError(_("Only intake staff, counselors and supervisors record diagnoses."))


def _check_clinician(actor) -> None:
    if not actor.has_role(*CONFIRMERS):
        raise ValidationError(_("Only counselors and supervisors change a diagnosis."))


def _check_dates(date_made: date, date_resolved: date | None = None) -> None:
    horizon.PAST.check(date_made, field="date_made")
    if date_resolved is not None:
        horizon.PAST.check(date_resolved, field="date_resolved")
        if date_resolved < date_made:
            raise ValidationError(
                {"date_resolved": _("A diagnosis cannot be resolved before the date it was made.")}
            )


def _order(episode: Episode, first: Diagnosis | None = None) -> None:
    """Ranks 1, 2, 3 ... of the episode's current diagnoses in their present
    order, `first` (when given) moved to the front. Under the episode's lock."""
    current = list(Diagnosis.objects.current().filter(episode=episode).order_by("rank", "pk"))
    if first is not None:
        current = [first] + [d for d in current if d.pk != first.pk]
    changed = {d.pk: n for n, d in enumerate(current, start=1) if d.rank != n}
    # Out of the way first: one current diagnosis at a time holds rank 1.
    Diagnosis.objects.filter(pk__in=changed).update(rank=0)
    for pk, number in changed.items():
        Diagnosis.objects.filter(pk=pk).update(rank=number)
    for diagnosis in (d for d in current if d.pk in changed):
        diagnosis.rank = changed[diagnosis.pk]
    if first is not None:
        first.rank = 1


def _create(*, actor, episode, request, primary: bool, **fields) -> Diagnosis:
    last = Diagnosis.objects.current().filter(episode=episode).aggregate(last=Max("rank"))["last"]
    confirmed = may_confirm(actor)
    diagnosis = Diagnosis(
        client=episode.client,
        episode=episode,
        rank=(last or 0) + 1,
        made_by=actor,
        status=Diagnosis.Status.CONFIRMED if confirmed else Diagnosis.Status.PROPOSED,
        confirmed_by=actor if confirmed else None,
        confirmed_at=timezone.now() if confirmed else None,
        **fields,
    )
    diagnosis.save(force_insert=True)
    if primary and diagnosis.rank != 1:
        _order(episode, first=diagnosis)
    _audit(
        actor,
        diagnosis,
        request,
        AuditEvent.Action.CREATE,
        status=diagnosis.status,
        rank=diagnosis.rank,
    )
    return diagnosis


def sud_checked(
    *,
    substance_class: str,
    criteria_met,
    supervised_medication: bool = False,
    remission: str = "",
    on_maintenance_therapy: bool = False,
    in_controlled_environment: bool = False,
    severity: str = "",
) -> dsm.SudDiagnosis:
    """The checklist's result, or a ValidationError naming what is wrong:
    fewer than 2 criteria, a severity that contradicts the checklist, a
    specifier that does not apply."""
    try:
        result = dsm.sud_diagnosis(
            substance_class,
            criteria_met,
            remission=remission or None,
            supervised_medication=supervised_medication,
        )
    except ValueError as error:
        raise ValidationError({"criteria_met": str(error)}) from error
    if result.severity is None:
        raise ValidationError(
            {
                "criteria_met": _(
                    "Fewer than 2 criteria counted: the checklist shows no use disorder."
                )
            }
        )
    if severity and severity != result.severity:
        raise ValidationError(
            {
                "severity": _(
                    "The checklist gives %(counted)s, not %(chosen)s: %(count)s criteria counted."
                )
                % {
                    "counted": result.severity.label.lower(),
                    "chosen": dsm.Severity(severity).label.lower(),
                    "count": dsm.criteria_counted(
                        substance_class, criteria_met, supervised_medication=supervised_medication
                    ),
                }
            }
        )
    # DSM-5-TR: "on maintenance therapy" is a specifier of opioid use
    # disorder (tobacco too, not coded here); "in a controlled environment"
    # adds to a remission specifier.
    if on_maintenance_therapy and substance_class != dsm.SubstanceClass.OPIOID:
        raise ValidationError(
            {"on_maintenance_therapy": _("On maintenance therapy applies to opioid use disorder.")}
        )
    if in_controlled_environment and not remission:
        raise ValidationError(
            {
                "in_controlled_environment": _(
                    "In a controlled environment is given with early or sustained remission."
                )
            }
        )
    return result


@transaction.atomic
def diagnosis_add_sud(
    *,
    actor,
    episode: Episode,
    substance_class: str,
    criteria_met,
    date_made: date,
    supervised_medication: bool = False,
    remission: str = "",
    on_maintenance_therapy: bool = False,
    in_controlled_environment: bool = False,
    severity: str = "",
    primary: bool = False,
    request=None,
) -> Diagnosis:
    """A substance use disorder from the DSM-5-TR criteria checklist: the
    checklist gives the severity and the ICD-10-CM code."""
    _check_proposer(actor)
    _check_dates(date_made)
    result = sud_checked(
        substance_class=substance_class,
        criteria_met=criteria_met,
        supervised_medication=supervised_medication,
        remission=remission,
        on_maintenance_therapy=on_maintenance_therapy,
        in_controlled_environment=in_controlled_environment,
        severity=severity,
    )
    code = icd10.lookup(result.icd10_code)
    if code is None:  # the shipped list lacks a code the rule gives: a data error, not input
        raise ValidationError(
            _("%(code)s is not in the ICD-10-CM list.") % {"code": result.icd10_code}
        )
    episode = _lock_episode(episode)
    return _create(
        actor=actor,
        episode=episode,
        request=request,
        primary=primary,
        kind=Diagnosis.Kind.SUD,
        icd10_code=code.code,
        description=code.description,
        substance_class=substance_class,
        criteria_met=sorted({dsm.Criterion(c).value for c in criteria_met}),
        supervised_medication=supervised_medication,
        severity=result.severity,
        remission=remission,
        on_maintenance_therapy=on_maintenance_therapy,
        in_controlled_environment=in_controlled_environment,
        date_made=date_made,
    )


def code_checked(icd10_code: str) -> icd10.Icd10Code:
    """A co-occurring diagnosis's code: billable, in the shipped list, and
    not a substance use disorder (those come from the checklist)."""
    code = icd10.lookup(icd10_code)
    if code is None:
        raise ValidationError(
            {
                "icd10_code": _(
                    "%(code)s is not a billable code of the ICD-10-CM list (%(source)s)."
                )
                % {"code": (icd10_code or "").strip() or "—", "source": icd10.SOURCE}
            }
        )
    if code.code[:3] in SUD_CATEGORIES:
        raise ValidationError(
            {"icd10_code": _("Record a substance use disorder with the criteria checklist.")}
        )
    return code


@transaction.atomic
def diagnosis_add_code(
    *,
    actor,
    episode: Episode,
    icd10_code: str,
    date_made: date,
    primary: bool = False,
    request=None,
) -> Diagnosis:
    """A co-occurring mental health diagnosis by its ICD-10-CM code."""
    _check_proposer(actor)
    _check_dates(date_made)
    code = code_checked(icd10_code)
    episode = _lock_episode(episode)
    return _create(
        actor=actor,
        episode=episode,
        request=request,
        primary=primary,
        kind=Diagnosis.Kind.MENTAL_HEALTH,
        icd10_code=code.code,
        description=code.description,
        date_made=date_made,
    )


def _locked(diagnosis: Diagnosis) -> Diagnosis:
    _lock_episode(diagnosis.episode)
    return Diagnosis.objects.select_related("episode", "client").get(pk=diagnosis.pk)


@transaction.atomic
def diagnosis_confirm(*, actor, diagnosis: Diagnosis, request=None) -> Diagnosis:
    """A licensed counselor or supervisor confirms a proposed diagnosis."""
    if not may_confirm(actor):
        raise ValidationError(
            _("Only a counselor or supervisor licensed to diagnose can confirm a diagnosis.")
        )
    diagnosis = _locked(diagnosis)
    if diagnosis.is_confirmed:
        raise ValidationError(_("This diagnosis is already confirmed."))
    diagnosis.status = Diagnosis.Status.CONFIRMED
    diagnosis.confirmed_by = actor
    diagnosis.confirmed_at = timezone.now()
    diagnosis.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    _audit(actor, diagnosis, request, status=diagnosis.status)
    return diagnosis


@transaction.atomic
def diagnosis_resolve(
    *, actor, diagnosis: Diagnosis, date_resolved: date, request=None
) -> Diagnosis:
    """The diagnosis no longer applies from `date_resolved`; the others move up."""
    _check_clinician(actor)
    diagnosis = _locked(diagnosis)
    if diagnosis.date_resolved is not None:
        raise ValidationError(_("This diagnosis is already resolved."))
    _check_dates(diagnosis.date_made, date_resolved)
    diagnosis.date_resolved = date_resolved
    diagnosis.save(update_fields=["date_resolved"])
    _order(diagnosis.episode)
    _audit(actor, diagnosis, request, date_resolved=date_resolved.isoformat())
    return diagnosis


@transaction.atomic
def diagnosis_make_primary(*, actor, diagnosis: Diagnosis, request=None) -> Diagnosis:
    """The diagnosis becomes the episode's primary one; the others keep their order."""
    _check_clinician(actor)
    diagnosis = _locked(diagnosis)
    if diagnosis.date_resolved is not None:
        raise ValidationError(_("A resolved diagnosis cannot be the primary one."))
    if diagnosis.rank != 1:
        _order(diagnosis.episode, first=diagnosis)
        _audit(actor, diagnosis, request, rank=1)
    return diagnosis


def discharge_diagnosis_record(*, actor, episode, discharge_date, request=None) -> None:
    """Discharge hook (DISCHARGE_HOOKS): the episode's primary diagnosis is
    its diagnosis at discharge. Inside episode_discharge's transaction."""
    primary = Diagnosis.objects.primary().filter(episode=episode).first()
    if primary is not None:
        Episode.objects.filter(pk=episode.pk).update(discharge_diagnosis=primary)
        episode.discharge_diagnosis = primary


@transaction.atomic
def episode_discharge_diagnosis_set(
    *, actor, episode: Episode, diagnosis: Diagnosis | None, request=None
) -> Episode:
    """Correct the diagnosis recorded at discharge: one of the episode's own."""
    _check_clinician(actor)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.discharge_date is None:
        raise ValidationError(_("The episode is not discharged."))
    if diagnosis is not None and diagnosis.episode_id != episode.pk:
        raise ValidationError({"diagnosis": _("Choose one of this episode's diagnoses.")})
    episode.discharge_diagnosis = diagnosis
    episode.save(update_fields=["discharge_diagnosis", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        client=episode.client,
        obj=episode,
        request=request,
        details={"discharge_diagnosis": diagnosis.icd10_code if diagnosis else None},
    )
    return episode
