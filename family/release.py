"""What a release of information contains: for each category a consent
covers, that part of the client's record and nothing else. Read only; the
decision and the ledger row come first (family.services.consents)."""

from django.db.models import Count, Q

from family.models import DisclosureCategory
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
            present=Count("pk", filter=Q(status__in=["present", "late"])),
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


def _objectives(client: Client) -> list[Objective]:
    return list(
        Objective.objects.filter(
            goal__problem__plan__client=client,
            goal__problem__plan__status=TreatmentPlan.Status.ACTIVE,
        ).select_related("goal__problem")
    )


def _plan(client: Client) -> TreatmentPlan | None:
    return (
        TreatmentPlan.objects.filter(client=client, status=TreatmentPlan.Status.ACTIVE)
        .prefetch_related("problems__goals__objectives__interventions")
        .first()
    )


def release_content(client: Client, categories: list[str]) -> list[dict]:
    """One section per consented category, in the list's order."""
    episode = _episode(client)
    since = episode.referral_date if episode else None
    builders = {
        DisclosureCategory.ATTENDANCE: lambda: _attendance(client, episode),
        DisclosureCategory.PROGRESS: lambda: {
            "tracks": episode_track_progress(episode) if episode else [],
            "objectives": _objectives(client),
        },
        DisclosureCategory.SCREENING: lambda: {
            "administrations": list(
                InstrumentAdministration.objects.filter(client=client).order_by("administered_at")
            )
        },
        DisclosureCategory.DRUG_TESTS: lambda: {
            "tests": [
                t for t in client_drug_tests(client) if since is None or t.collected_on >= since
            ]
        },
        DisclosureCategory.MEDICATIONS: lambda: {
            "medications": list(client.medications.order_by("-start_date"))
        },
        DisclosureCategory.TREATMENT_PLAN: lambda: {"plan": _plan(client)},
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
