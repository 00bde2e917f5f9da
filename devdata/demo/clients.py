"""Demo data of the clinical record: treatment plans, individual sessions
with signed DAP notes, drug tests (a few positives, one expected),
medications, mutual-help meetings, and appointments coming up soon so that
`make run` shows reminders going out. Written through the services; skips
clients that already have a treatment plan, so it is idempotent."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from iop.clients.models import (
    REVIEW_INTERVAL_DAYS,
    Appointment,
    Client,
    Episode,
    MutualHelpMeeting,
    SessionNote,
    Substance,
    TreatmentPlan,
)
from iop.clients.services import appointment_schedule
from iop.clients.services import plans as plan_services
from iop.clients.services import sessions as session_services
from iop.clients.services import treatment as treatment_services
from iop.clients.signing import signature_fields
from iop.reminders.services.planning import staff_digests_queue

PROBLEMS = [
    (
        "Daily alcohol use with blackouts and missed work.",
        "Sustain abstinence from alcohol.",
        "Attend two mutual-help meetings a week and log them.",
        ("Motivational interviewing on drinking cues", "Primary counselor", "Weekly"),
    ),
    (
        "Opioid use disorder; recent overdose reversed with naloxone.",
        "Stay on medication and free of illicit opioids.",
        "Take buprenorphine daily and provide weekly negative fentanyl screens.",
        ("Coordinate with prescriber; review test results", "Primary counselor", "Weekly"),
    ),
    (
        "Stimulant use tied to night-shift work and exhaustion.",
        "Build a recovery routine that fits the work schedule.",
        "Write and follow a weekly schedule with sleep and meal times.",
        ("Relapse prevention skills: scheduling and triggers", "Matrix RP group", "Twice weekly"),
    ),
    (
        "Conflict at home; partner worried about relapse.",
        "Rebuild trust with family.",
        "Attend three conjoint sessions with the partner within 8 weeks.",
        ("Conjoint sessions on communication", "Primary counselor", "Every two weeks"),
    ),
]
DATA = [
    "Client arrived on time, reports {days} days without use, slept poorly this week.",
    "Client described a craving episode after payday; left the situation and called sponsor.",
    "Client reviewed the weekly schedule; kept 5 of 7 planned evening activities.",
    "Client discussed tension with partner about finances; tearful at times.",
]
ASSESSMENT = [
    "Engaged and candid; applying trigger-avoidance skills. Progress on objective 1.",
    "Ambivalent about meetings but open to trying a new group; moderate relapse risk.",
    "Mood brighter than last week; routine helping. Progress steady.",
    "Insight improving; needs support with assertive communication.",
]
PLAN = [
    "Continue RP group; attend two meetings; next session in one week.",
    "Try the Thursday SMART Recovery meeting; review cravings log next session.",
    "Keep the schedule; add one sober social activity on the weekend.",
    "Schedule a conjoint session; practice the communication exercise at home.",
]
MEETINGS = [
    (MutualHelpMeeting.Kind.AA, "Tuesday Big Book"),
    (MutualHelpMeeting.Kind.NA, "Just for Today"),
    (MutualHelpMeeting.Kind.SMART, "SMART Recovery Thursday"),
    (MutualHelpMeeting.Kind.CA, "Saturday Morning CA"),
]
PANEL = [
    Substance.AMPHETAMINE,
    Substance.METHAMPHETAMINE,
    Substance.COCAINE,
    Substance.OPIATES,
    Substance.FENTANYL,
    Substance.BUPRENORPHINE,
    Substance.BENZODIAZEPINES,
    Substance.CANNABIS,
    Substance.ALCOHOL_ETG,
]


# The demo clinic's hours: weekdays, from 08:00 until everything is over by
# 20:00 (the evening Relapse Prevention groups end at 19:30).
CLINIC_OPENS, CLINIC_CLOSES = time(8), time(20)
# The length appointment_schedule books by default.
INDIVIDUAL_MINUTES = 50


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _weekday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def in_clinic_hours(starts_at: datetime, minutes: int) -> bool:
    local = timezone.localtime(starts_at)
    ends = local + timedelta(minutes=minutes)
    return (
        local.weekday() < 5
        and local.time() >= CLINIC_OPENS
        and ends.date() == local.date()
        and ends.time() <= CLINIC_CLOSES
    )


def _clinic_time(starts_at: datetime, minutes: int) -> datetime:
    """`starts_at` when the clinic is open for the whole appointment, else
    the next weekday morning at 09:00 and the same minutes past."""
    if in_clinic_hours(starts_at, minutes):
        return starts_at
    local = timezone.localtime(starts_at)
    day = local.date() + timedelta(days=1) if local.time() >= CLINIC_OPENS else local.date()
    morning = datetime.combine(_weekday(day), time(9, local.minute))
    return timezone.make_aware(morning)


def _plan(client, episode, counselor, rng, number) -> None:
    draft = plan_services.plan_start_draft(actor=counselor, episode=episode)
    problem_text, goal_text, objective_text, intervention = PROBLEMS[number % len(PROBLEMS)]
    problem = plan_services.plan_add_problem(actor=counselor, plan=draft, statement=problem_text)
    goal = plan_services.plan_add_goal(actor=counselor, problem=problem, statement=goal_text)
    objective = plan_services.plan_add_objective(
        actor=counselor,
        goal=goal,
        statement=objective_text,
        target_date=episode.admission_date + timedelta(days=60),
    )
    description, responsible, frequency = intervention
    plan_services.plan_add_intervention(
        actor=counselor,
        objective=objective,
        description=description,
        responsible=responsible,
        frequency=frequency,
    )
    today = timezone.localdate()
    agreed = min(episode.admission_date + timedelta(days=7), today)
    plan_services.plan_sign(actor=counselor, plan=draft, client_agreed_on=agreed)
    # Signed the day the client agreed: the plan takes effect then, and its
    # reviews fall due every REVIEW_INTERVAL_DAYS after, kept up to date...
    due = agreed + timedelta(days=REVIEW_INTERVAL_DAYS)
    while due <= today:
        due += timedelta(days=REVIEW_INTERVAL_DAYS)
    # ... except some that are overdue, as on a real caseload; never before
    # the plan took effect.
    if number % 3 == 0:
        overdue = today - timedelta(days=rng.randint(1, 6))
        if overdue > agreed:
            due = overdue
    TreatmentPlan.objects.filter(pk=draft.pk).update(
        effective_date=agreed,
        next_review_due=due,
        signed_at=timezone.make_aware(datetime.combine(agreed, time(16))),
    )


def _sessions(client, episode, counselor, rng, today) -> int:
    objectives = list(
        TreatmentPlan.objects.get(episode=episode, status="active")
        .problems.first()
        .goals.first()
        .objectives.all()
    )
    count = 0
    day = _weekday(episode.admission_date + timedelta(days=3))
    while day < today - timedelta(days=1) and count < 4:
        appointment = appointment_schedule(
            actor=counselor,
            episode=episode,
            kind=Appointment.Kind.INDIVIDUAL,
            starts_at=_at(day, 11),
            counselor=counselor,
        )
        index = rng.randrange(len(DATA))
        attended = rng.random() > 0.12
        note = session_services.session_document(
            actor=counselor,
            appointment=appointment,
            status=Appointment.Status.ATTENDED if attended else Appointment.Status.NO_SHOW,
            data=DATA[index].format(days=rng.randint(5, 40)) if attended else "Did not attend.",
            assessment=ASSESSMENT[index] if attended else "",
            plan=PLAN[index] if attended else "Outreach call made; rescheduled.",
            minutes=rng.choice([45, 50, 50, 55]) if attended else 0,
            objectives=objectives if attended else [],
        )
        if attended:
            session_services.session_note_sign(actor=counselor, note=note)
            _date_signature(
                note, counselor, when=_at(day, 13) + timedelta(minutes=rng.randint(0, 180))
            )
        count += 1
        day = _weekday(day + timedelta(days=rng.randint(10, 16)))
    return count


def _date_signature(note: SessionNote, counselor, *, when: datetime) -> None:
    """Give the signature just made the time the counselor wrote the note,
    the afternoon of the session: signed now, every past note would be late
    (DOMAIN.md section 5), which a clinic's notes usually are not."""
    fields = signature_fields(
        actor=counselor, service_started_at=note.appointment.starts_at, now=when
    )
    SessionNote.objects.filter(pk=note.pk).update(
        signed_at=fields["signed_at"], signed_late=fields["signed_late"]
    )


def _tests(client, episode, counselor, rng, today, *, buprenorphine: bool) -> int:
    count = 0
    monday = episode.admission_date - timedelta(days=episode.admission_date.weekday())
    end = min(today, episode.admission_date + timedelta(weeks=16))
    while monday <= end:
        day = monday + timedelta(days=treatment_services.random_test_weekday(client, monday))
        if episode.admission_date <= day <= end:
            results = {substance: "negative" for substance in PANEL}
            if buprenorphine:
                results[Substance.BUPRENORPHINE] = "positive"
            if rng.random() < 0.08:
                results[rng.choice([Substance.COCAINE, Substance.CANNABIS, Substance.FENTANYL])] = (
                    "positive"
                )
            treatment_services.drug_test_record(
                actor=counselor,
                client=client,
                collected_on=day,
                specimen="urine",
                observed=rng.random() < 0.5,
                results=results,
            )
            count += 1
        monday += timedelta(weeks=1)
    return count


def _meetings(client, counselor, rng, today, *, since: date) -> None:
    """Meetings of the last six weeks, from the admission (`since`) on: the
    program logs them, and expects them, from then."""
    for weeks_ago in range(6):
        for _ in range(rng.choice([1, 2, 2, 3])):
            kind, name = rng.choice(MEETINGS)
            attended_on = today - timedelta(weeks=weeks_ago, days=rng.randint(0, 6))
            verified = rng.random() < 0.4
            if attended_on < since:
                continue
            treatment_services.meeting_record(
                actor=counselor,
                client=client,
                data={
                    "attended_on": attended_on,
                    "kind": kind,
                    "meeting_name": name,
                    "verified": verified,
                },
            )


def _upcoming(episode, counselor, rng, now, number) -> None:
    """Appointments starting a little over 2 or 24 hours from now, when the
    clinic is open then: their reminders come due a few minutes after
    `make run` starts (else they start the next weekday morning)."""
    offsets = [timedelta(hours=2, minutes=3 + number), timedelta(hours=24, minutes=4 + number)]
    appointment_schedule(
        actor=counselor,
        episode=episode,
        kind=Appointment.Kind.INDIVIDUAL,
        starts_at=_clinic_time(now + offsets[number % 2], INDIVIDUAL_MINUTES),
        counselor=counselor,
        mode=Appointment.Mode.VIDEO if number % 3 == 0 else Appointment.Mode.IN_PERSON,
    )


def seed_clinical(*, users: dict, rng: random.Random, today: date) -> str:
    episodes = (
        Episode.objects.filter(
            phase__in=Episode.ACTIVE_PHASES,
            client__in=Client.objects.filter(email__endswith="@example.org"),
        )
        .exclude(treatment_plans__isnull=False)
        .select_related("client", "primary_counselor")
        .order_by("client__legal_last_name", "pk")
    )
    now = timezone.now()
    totals = {"plans": 0, "sessions": 0, "tests": 0, "medications": 0}
    for number, episode in enumerate(episodes):
        client, counselor = episode.client, episode.primary_counselor
        on_buprenorphine = number % 4 == 1
        if on_buprenorphine:
            treatment_services.medication_add(
                actor=counselor,
                client=client,
                data={
                    "drug": "buprenorphine",
                    "dose": "16 mg",
                    "schedule": "Once daily, sublingual",
                    "prescriber_name": "Dr. Amara Okafor",
                    "prescriber_contact": "Eastside Family Clinic, (512) 555-0199",
                    "start_date": episode.admission_date - timedelta(days=10),
                },
            )
            totals["medications"] += 1
        elif number % 4 == 2:
            treatment_services.medication_add(
                actor=counselor,
                client=client,
                data={
                    "drug": "naltrexone_xr",
                    "dose": "380 mg",
                    "schedule": "Injection every 4 weeks",
                    "prescriber_name": "Dr. Lucas Whitfield",
                    "prescriber_internal": True,
                    "start_date": max(episode.admission_date, today - timedelta(days=20)),
                },
            )
            totals["medications"] += 1
        _plan(client, episode, counselor, rng, number)
        totals["plans"] += 1
        totals["sessions"] += _sessions(client, episode, counselor, rng, today)
        totals["tests"] += _tests(
            client, episode, counselor, rng, today, buprenorphine=on_buprenorphine
        )
        _meetings(client, counselor, rng, today, since=episode.admission_date)
        if episode.phase == Episode.Phase.INTENSIVE and number < 6:
            _upcoming(episode, counselor, rng, now, number)
    # Today's staff digests go out through the outbox within a minute of
    # `make run` starting, whatever the hour (staff messages have no quiet hours).
    digests = staff_digests_queue()
    return (
        f"Clinical record: {totals['plans']} plans, {totals['sessions']} individual sessions, "
        f"{totals['tests']} drug tests, {totals['medications']} medications; "
        f"{digests} staff digests queued"
    )
