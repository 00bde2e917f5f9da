"""What a release of information contains: for each category a consent
covers, that part of the client's record and nothing else. Read only; the
decision and the ledger row come first (family.services.consents).

Each category holds exactly this (README, "Family involvement and consents"):

- attendance: group sessions attended, absent and excused per track and
  individual sessions per outcome, counts only, for the current episode;
- progress: sessions attended of those required per Matrix track, and how
  many objectives of the active treatment plan are active, met, revised or
  discontinued (counts: the objectives' text is the treatment plan's);
- screening: each instrument given: date, instrument, total score, band;
- drug_tests: the tests since the episode's referral: date, specimen,
  observed or not, the result per substance; a positive explained by a
  prescription says "expected", and "prescribed" only when medications are
  covered too;
- medications: each medication recorded: name, dose and schedule,
  prescriber, start and stop;
- treatment_plan: the active plan's problems, goals, objectives (target
  date, status) and interventions (who, how often); any of these texts that
  mentions medications or drug tests (family.vocabulary) is released only
  when the consent covers those categories too, else replaced by a note
  saying it was withheld;
- discharge: each discharged episode: admission and discharge dates, level
  of care, reason.
"""

from django.db.models import Count, Q

from family.models import DisclosureCategory
from family.vocabulary import vocabulary_for
from groups.models import Attendance
from groups.selectors import episode_track_progress
from iop.clients.models import Appointment, Client, Episode, Objective, TreatmentPlan
from iop.clients.selectors.clinical import client_drug_tests
from screening.models import InstrumentAdministration


def _episode(client: Client) -> Episode | None:
    """The episode the release is about: the open one, else the latest admitted."""
    episodes = list(client.episodes.order_by("-referral_date", "-id"))
    open_ = [e for e in episodes if e.is_open and e.admission_date]
    admitted = [e for e in episodes if e.admission_date]
    return (open_ or admitted or [None])[0]


def _attendance(client: Client, episode: Episode | None) -> dict:
    if episode is None:
        return {"groups": [], "sessions": []}
    groups = (
        Attendance.objects.filter(episode=episode, session__status="scheduled")
        .values("session__group__track__name")
        .annotate(
            present=Count("pk", filter=Q(status__in=Attendance.ATTENDED)),
            absent=Count("pk", filter=Q(status="absent")),
            excused=Count("pk", filter=Q(status="excused")),
        )
        .order_by("session__group__track__name")
    )
    sessions = (
        Appointment.objects.filter(episode=episode)
        .exclude(status=Appointment.Status.SCHEDULED)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    labels = dict(Appointment.Status.choices)
    return {
        "groups": list(groups),
        "sessions": [{"status": labels[row["status"]], "count": row["count"]} for row in sessions],
    }


def _objective_counts(client: Client) -> list[dict]:
    """How many objectives of the active plan stand at each status."""
    rows = (
        Objective.objects.filter(
            goal__problem__plan__client=client,
            goal__problem__plan__status=TreatmentPlan.Status.ACTIVE,
        )
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    )
    labels = dict(Objective.Status.choices)
    return [{"status": labels[row["status"]], "count": row["count"]} for row in rows]


def _plan(client: Client, categories: list[str]) -> dict | None:
    """The active plan as released texts: each problem, goal, objective and
    intervention passes the vocabulary check against the consent's categories."""
    plan = (
        TreatmentPlan.objects.filter(client=client, status=TreatmentPlan.Status.ACTIVE)
        .prefetch_related("problems__goals__objectives__interventions")
        .first()
    )
    if plan is None:
        return None
    vocabulary = vocabulary_for(client.medications.all())

    def text(value: str) -> str:
        return vocabulary.released(value, categories)

    def objective(item: Objective) -> dict:
        return {
            "statement": text(item.statement),
            "target_date": item.target_date,
            "status": item.get_status_display(),
            # Who and how often can name a prescriber or a test as well.
            "interventions": [
                text(f"{i.description} — {i.responsible}, {i.frequency}")
                for i in item.interventions.all()
            ],
        }

    return {
        "version": plan.version,
        "effective_date": plan.effective_date,
        "problems": [
            {
                "statement": text(problem.statement),
                "goals": [
                    {
                        "statement": text(goal.statement),
                        "objectives": [objective(item) for item in goal.objectives.all()],
                    }
                    for goal in problem.goals.all()
                ],
            }
            for problem in plan.problems.all()
        ],
    }


def release_content(client: Client, categories: list[str]) -> list[dict]:
    """One section per consented category, in the list's order."""
    episode = _episode(client)
    since = episode.referral_date if episode else None
    builders = {
        DisclosureCategory.ATTENDANCE: lambda: _attendance(client, episode),
        DisclosureCategory.PROGRESS: lambda: {
            "tracks": episode_track_progress(episode) if episode else [],
            "objectives": _objective_counts(client),
        },
        DisclosureCategory.SCREENING: lambda: {
            "administrations": list(
                InstrumentAdministration.objects.filter(client=client).order_by("administered_at")
            )
        },
        DisclosureCategory.DRUG_TESTS: lambda: {
            "tests": [
                t for t in client_drug_tests(client) if since is None or t.collected_on >= since
            ],
            "prescribed_shown": DisclosureCategory.MEDICATIONS in categories,
        },
        DisclosureCategory.MEDICATIONS: lambda: {
            "medications": list(client.medications.order_by("-start_date"))
        },
        DisclosureCategory.TREATMENT_PLAN: lambda: {"plan": _plan(client, categories)},
        DisclosureCategory.DISCHARGE: lambda: {
            "episodes": list(
                client.episodes.filter(discharge_date__isnull=False).order_by("-discharge_date")
            )
        },
    }
    labels = dict(DisclosureCategory.choices)
    return [
        {
            "category": category,
            "label": labels[category],
            "episode": episode,
            **builders[category](),
        }
        for category in DisclosureCategory.values
        if category in categories
    ]
