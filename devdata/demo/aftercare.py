"""Demo aftercare, run by `manage.py seed_demo` (its EXTRA_SEEDERS, after the
screening and groups seeders).

seed_demo stepped its aftercare clients down with episode_start_aftercare,
which knows nothing of aftercare plans; here each of them gets the plan
aftercare_start would have made (written with the ORM, since the episode is
already in aftercare), dated 12-16 weeks after admission so the clients are
at different points of their year. Their past-due check-ins are then
recorded through check_in_record, so signatures, outreach tasks, the
missed-in-a-row flag and audit rows are what a counselor would have made;
each client's story comes from aftercare_data.SCENARIOS (one flagged client,
an open outreach queue for counselor1, one high-risk check-in referred on,
one overdue check-in, ...). Outreach attempts go through outreach_attempt_add.
Every discharged, admitted episode gets its signed discharge summary.

Signatures, outreach tasks and attempts are then given the time the counselor
would have made them (as devdata.demo.groups does for group notes): the
services stamp "now", which would mark every check-in older than 72 hours late.

Idempotent: a client who already has an aftercare plan, or an episode that
has a discharge summary, is left alone. Each client draws from its own
generator, seeded from `rng` and its name, so what it gets does not depend
on which others were seeded before.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from aftercare.models import AftercarePlan, CheckIn, DischargeSummary, OutreachAttempt, OutreachTask
from aftercare.schedule import check_in_dates, check_in_time, plan_end
from aftercare.services import check_in_record, outreach_attempt_add
from devdata.demo import aftercare_data as data
from devdata.demo.clients_data import DEMO_CLIENTS
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client, Episode
from iop.clients.signing import note_cosign, note_sign, signature_fields
from screening.models import ReferralSubstance

Outcome = CheckIn.Outcome
# What becomes of one past-due check-in in a story.
COMPLETED, HIGH_RISK, LEFT_OPEN = "completed", "high_risk", "left_open"
MISSED, UNREACHABLE = Outcome.MISSED.value, Outcome.UNABLE_TO_REACH.value


def seed_aftercare(*, users, rng: random.Random, today: date) -> str:
    """Seed aftercare plans, check-ins, outreach and discharge summaries of the
    demo clients; returns a summary line."""
    base = rng.getrandbits(64)
    clients = _demo_clients()
    primary = _primary_substances(clients)
    plans = 0
    for episode, scenario in _stories(clients):
        if AftercarePlan.objects.filter(client=episode.client).exists():
            continue
        draws = _rng(base, episode.client, "aftercare")
        with transaction.atomic():
            _seed_plan(
                draws,
                episode,
                scenario,
                substance=primary.get(episode.pk, "alcohol"),
                supervisor=users["supervisor"],
                today=today,
            )
        plans += 1
    summaries = 0
    for episode in _discharged_without_summary(clients):
        draws = _rng(base, episode.client, f"discharge:{episode.referral_date}")
        with transaction.atomic():
            _seed_discharge_summary(
                draws, episode, substance=primary.get(episode.pk, ""), author=users["supervisor"]
            )
        summaries += 1
    return _summary(clients, new_plans=plans, new_summaries=summaries)


def _rng(base: int, client: Client, part: str) -> random.Random:
    key = f"{base}:{client.legal_first_name}:{client.legal_last_name}:{client.date_of_birth}"
    return random.Random(f"{key}:{part}")  # noqa: S311 -- demo data, not a secret


def _demo_clients() -> list[Client]:
    """The demo clients that exist, in DEMO_CLIENTS order."""
    order = {(d.first_name, d.last_name, d.date_of_birth): n for n, d in enumerate(DEMO_CLIENTS)}
    found = Client.objects.filter(legal_last_name__in=[d.last_name for d in DEMO_CLIENTS])
    clients = [
        c for c in found if (c.legal_first_name, c.legal_last_name, c.date_of_birth) in order
    ]
    return sorted(
        clients, key=lambda c: order[c.legal_first_name, c.legal_last_name, c.date_of_birth]
    )


def _primary_substances(clients: list[Client]) -> dict[int, str]:
    """The primary substance of each episode's referral (devdata.demo.screening), as a
    counselor would write it."""
    rows = ReferralSubstance.objects.filter(
        referral__episode__client__in=clients, rank=ReferralSubstance.Rank.PRIMARY
    ).values_list("referral__episode", "substance")
    return {episode: data.SUBSTANCE_WORDS.get(name, name) for episode, name in rows}


def _stories(clients: list[Client]) -> list[tuple[Episode, str]]:
    """Each aftercare episode with its scenario: by the client's place among
    its counselor's aftercare clients, with or without a plan already, so a
    client's story does not change when others exist."""
    episodes = {
        e.client_id: e
        for e in Episode.objects.filter(
            client__in=clients, phase=Episode.Phase.AFTERCARE
        ).select_related("client", "primary_counselor")
    }
    places: dict = {}
    stories = []
    for client in clients:
        episode = episodes.get(client.pk)
        if episode is None:
            continue
        counselor = episode.primary_counselor
        places[counselor] = place = places.get(counselor, -1) + 1
        scenarios = data.SCENARIOS.get(counselor.username if counselor else "", ())
        stories.append((episode, scenarios[place] if place < len(scenarios) else data.STEADY))
    return stories


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _not_after_now(when: datetime, *, minutes: int = 1) -> datetime:
    return min(when, timezone.now() - timedelta(minutes=minutes))


# --- plans and check-ins -------------------------------------------------------------------


def _started_on(draws: random.Random, episode: Episode, scenario: str, today: date) -> date:
    """12-16 weeks after admission, and long enough ago for the scenario."""
    weeks = draws.randint(*data.INTENSIVE_WEEKS)
    latest = today - timedelta(days=data.MIN_DAYS_IN_AFTERCARE.get(scenario, data.DEFAULT_MIN_DAYS))
    return max(min(episode.admission_date + timedelta(weeks=weeks), latest), episode.admission_date)


def _plan_text(draws: random.Random, client: Client) -> dict[str, str]:
    sponsor = draws.choice(data.SPONSORS)
    people = [f"Sponsor {sponsor}: 512-555-01{draws.randint(10, 99)}"]
    if client.emergency_contact_name:
        people.append(
            f"{client.emergency_contact_name} ({client.emergency_contact_relationship}): "
            f"{client.emergency_contact_phone}"
        )
    people.append("Clinic front desk: 512-555-0100")
    return {
        "recovery_goals": "\n".join(draws.sample(data.RECOVERY_GOALS, 2)),
        "triggers": "\n".join(draws.sample(data.TRIGGERS, 3)),
        "warning_signs": "\n".join(draws.sample(data.WARNING_SIGNS, 2)),
        "coping_steps": "\n".join(draws.sample(data.COPING_STEPS, 3)),
        "people_to_call": "\n".join(people),
    }


def _seed_plan(draws, episode: Episode, scenario: str, *, substance, supervisor, today) -> None:
    counselor = episode.primary_counselor or supervisor
    client = episode.client
    started_on = _started_on(draws, episode, scenario, today)
    plan = AftercarePlan.objects.create(
        episode=episode,
        client=client,
        started_on=started_on,
        ends_on=plan_end(started_on),
        created_by=counselor,
        **_plan_text(draws, client),
    )
    # As aftercare_start schedules them.
    CheckIn.objects.bulk_create(
        CheckIn(plan=plan, client=client, number=n, due_on=day, scheduled_at=check_in_time(day))
        for n, day in enumerate(check_in_dates(started_on), start=1)
    )
    audit_record(actor=counselor, action=AuditEvent.Action.CREATE, client=client, obj=plan)
    past = list(plan.check_ins.filter(due_on__lt=today).order_by("number"))
    story = _Story(draws, scenario, counselor=counselor, substance=substance, supervisor=supervisor)
    for check_in, outcome in zip(past, _outcomes(scenario, len(past)), strict=True):
        if outcome != LEFT_OPEN:
            story.record(check_in, outcome, today=today)
    if scenario == data.FLAGGED and story.last_missed_at is not None:
        # Flagged when the third missed check-in in a row was recorded.
        AftercarePlan.objects.filter(pk=plan.pk, flagged_at__isnull=False).update(
            flagged_at=story.last_missed_at
        )


def _outcomes(scenario: str, count: int) -> list[str]:
    """What becomes of each of `count` past-due check-ins, oldest first."""
    outcomes = [COMPLETED] * count
    if not count:
        return outcomes
    if scenario == data.FLAGGED:
        outcomes[-3:] = [MISSED, UNREACHABLE, MISSED][-count:]
    elif scenario == data.OUTREACH:
        outcomes[-1] = MISSED
    elif scenario == data.REFERRAL:
        outcomes[-1] = HIGH_RISK
    elif scenario == data.REACHED:
        outcomes[max(0, count - 3)] = MISSED
    elif scenario == data.OVERDUE:
        outcomes[-1] = LEFT_OPEN
    return outcomes


class _Story:
    """One client's check-ins recorded in order, with the client's own
    employment and housing, and the outreach that followed a missed one."""

    def __init__(self, draws: random.Random, scenario: str, *, counselor, substance, supervisor):
        self.draws = draws
        self.scenario = scenario
        self.counselor = counselor
        self.supervisor = supervisor
        self.substance = substance
        self.employment = draws.choices(list(CheckIn.Employment.values), weights=(60, 25, 15))[0]
        self.housing = draws.choices(list(CheckIn.Housing.values)[:2], weights=(85, 15))[0]
        self.previous: date | None = None
        self.last_missed_at: datetime | None = None

    def record(self, check_in: CheckIn, outcome: str, *, today: date) -> None:
        contacted_on = check_in.due_on
        if outcome in (COMPLETED, HIGH_RISK) and self.draws.random() < 0.25:
            # Reached a day late now and then.
            contacted_on = min(contacted_on + timedelta(days=1), today - timedelta(days=1))
        if outcome in (MISSED, UNREACHABLE):
            values = self._not_reached(outcome, contacted_on)
        else:
            values = self._completed(outcome, contacted_on)
        check_in = check_in_record(actor=self.counselor, check_in=check_in, data=values)
        signed_at = self._date_signature(check_in, contacted_on)
        self.previous = contacted_on
        if outcome in (MISSED, UNREACHABLE):
            self.last_missed_at = signed_at
            self._outreach(check_in, signed_at, reached=self.scenario == data.REACHED)

    def _completed(self, outcome: str, contacted_on: date) -> dict:
        draws = self.draws
        weeks = max(1, (contacted_on - (self.previous or contacted_on)).days // 7)
        values = {
            "contacted_on": contacted_on,
            "mode": draws.choices(list(CheckIn.Mode.values), weights=(70, 20, 10))[0],
            "outcome": Outcome.COMPLETED,
            "days_of_use": 0,
            "substances_used": "",
            "mutual_help_meetings": draws.randint(weeks, 3 * weeks),
            "employment": self.employment,
            "housing": self.housing,
            "re_engagement": "",
            "re_engagement_detail": "",
            "session_at": None,
        }
        if outcome == HIGH_RISK:
            values.update(
                days_of_use=2,
                substances_used=self.substance,
                mutual_help_meetings=draws.randint(0, 1),
                risk_level=CheckIn.Risk.HIGH,
                note=data.HIGH_RISK_NOTE.format(substance=self.substance),
                re_engagement=CheckIn.ReEngagement.REFERRAL,
                re_engagement_detail=draws.choice(data.REFERRAL_DETAILS),
            )
        elif draws.random() < data.MODERATE_SHARE:
            values.update(risk_level=CheckIn.Risk.MODERATE, note=draws.choice(data.MODERATE_NOTES))
        else:
            values.update(risk_level=CheckIn.Risk.LOW, note=draws.choice(data.LOW_NOTES))
        return values

    def _not_reached(self, outcome: str, contacted_on: date) -> dict:
        notes = data.MISSED_NOTES if outcome == MISSED else data.UNREACHABLE_NOTES
        return {
            "contacted_on": contacted_on,
            "mode": CheckIn.Mode.PHONE,
            "outcome": outcome,
            "note": self.draws.choice(notes),
        }

    def _date_signature(self, check_in: CheckIn, contacted_on: date) -> datetime:
        """Signed on the day of contact, after the call (see the module docstring)."""
        when = _not_after_now(
            _at(contacted_on, self.draws.randint(10, 16), self.draws.randint(30, 59))
        )
        fields = signature_fields(
            actor=self.counselor, service_started_at=check_in.scheduled_at, now=when
        )
        dated = {"signed_at": fields["signed_at"], "signed_late": fields["signed_late"]}
        CheckIn.objects.filter(pk=check_in.pk).update(**dated)
        if check_in.cosign_required:
            # A counselor in training: the supervisor co-signs the next morning.
            check_in.refresh_from_db()
            note_cosign(note=check_in, actor=self.supervisor)
            cosigned = _not_after_now(when + timedelta(hours=18), minutes=0)
            CheckIn.objects.filter(pk=check_in.pk).update(cosigned_at=max(cosigned, when))
        return when

    def _outreach(self, check_in: CheckIn, created_at: datetime, *, reached: bool) -> None:
        """The task the missed check-in opened, made when it was recorded, and
        one or two attempts on the following days (the last one reaching the
        client when the story says so)."""
        task = OutreachTask.objects.get(check_in=check_in)
        OutreachTask.objects.filter(pk=task.pk).update(created_at=created_at)
        attempts = self.draws.sample(data.ATTEMPTS, self.draws.randint(1, 2))
        if reached:
            attempts = [attempts[0], data.REACHED_ATTEMPT]
        last = len(attempts) - 1
        for number, (method, outcome, note) in enumerate(attempts):
            attempt = outreach_attempt_add(
                actor=self.counselor, task=task, method=method, outcome=outcome, note=note
            )
            day = timezone.localdate(created_at) + timedelta(days=number + 1)
            when = _at(day, self.draws.randint(9, 17), self.draws.randint(0, 59))
            when = max(_not_after_now(when, minutes=last - number + 1), created_at)
            OutreachAttempt.objects.filter(pk=attempt.pk).update(attempted_at=when)
            if outcome == OutreachAttempt.Outcome.REACHED:
                OutreachTask.objects.filter(pk=task.pk).update(closed_at=when)


# --- discharge summaries -------------------------------------------------------------------


def _discharged_without_summary(clients: list[Client]) -> list[Episode]:
    """Discharged episodes that had an admission (TEDS discharge records
    follow admissions), oldest first."""
    return list(
        Episode.objects.filter(
            client__in=clients,
            phase=Episode.Phase.DISCHARGED,
            admission_date__isnull=False,
            discharge_summary__isnull=True,
        )
        .select_related("client")
        .order_by("discharge_date", "pk")
    )


def _seed_discharge_summary(draws, episode: Episode, *, substance: str, author) -> None:
    spec = data.DISCHARGE.get(episode.discharge_reason, data.DISCHARGE[7])
    weeks = max(1, (episode.discharge_date - episode.admission_date).days // 7)
    note = DischargeSummary.objects.create(
        episode=episode,
        substances_at_discharge=substance if spec["use"] else "",
        employment=draws.choice(spec["employment"]),
        living_arrangement=draws.choice(spec["living_arrangement"]),
        mutual_help=draws.choice(spec["mutual_help"]),
        summary=spec["summary"].format(weeks=weeks),
        author=author,
    )
    started = _at(episode.discharge_date, 9)
    note_sign(note=note, actor=author, service_started_at=started)
    # Written the day of discharge or the next, as episode_discharge_with_summary would have.
    day = episode.discharge_date + timedelta(days=draws.randint(0, 1))
    when = _not_after_now(_at(day, draws.randint(13, 17), draws.randint(0, 59)))
    fields = signature_fields(actor=author, service_started_at=started, now=max(when, started))
    DischargeSummary.objects.filter(pk=note.pk).update(
        signed_at=fields["signed_at"], signed_late=fields["signed_late"]
    )
    audit_record(
        actor=author,
        action=AuditEvent.Action.CREATE,
        client=episode.client,
        obj=note,
        details={"reason": episode.discharge_reason},
    )


# --- summary line --------------------------------------------------------------------------


def _summary(clients: list[Client], *, new_plans: int, new_summaries: int) -> str:
    plans = AftercarePlan.objects.filter(client__in=clients)
    check_ins = CheckIn.objects.filter(plan__in=plans).aggregate(
        recorded=Count("pk", filter=Q(status=CheckIn.Status.RECORDED)),
        not_reached=Count("pk", filter=~Q(outcome="") & ~Q(outcome=Outcome.COMPLETED)),
        high=Count("pk", filter=Q(risk_level=CheckIn.Risk.HIGH)),
    )
    tasks = OutreachTask.objects.filter(client__in=clients, status=OutreachTask.Status.OPEN)
    summaries = DischargeSummary.objects.filter(episode__client__in=clients).count()
    text = (
        f"Aftercare: {plans.count()} plans, {check_ins['recorded']} check-ins recorded "
        f"({check_ins['not_reached']} missed, {check_ins['high']} high risk), "
        f"{tasks.count()} open outreach tasks, "
        f"{plans.filter(flagged_at__isnull=False).count()} flagged; "
        f"{summaries} discharge summaries"
    )
    if not new_plans and not new_summaries:
        return text + " (already there)."
    return text + f" ({new_plans} plans and {new_summaries} summaries new)."
