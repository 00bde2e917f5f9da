"""A TEDS-style admission and discharge export: one row per episode admitted
or discharged in a period, with the codes of the Treatment Episode Data Set
(SAMHSA, TEDS State Instruction Manual; TEDS-A admission and TEDS-D discharge
items). The README lists every column and its codes. -9 means missing.
Every code comes from the choice lists' own module, iop.clients.teds."""

from datetime import date

from django.db.models import Prefetch, Q

from aftercare.models import DischargeSummary
from iop.clients import teds
from iop.clients.models import Episode
from iop.clients.teds import MISSING
from screening.models import Referral, ReferralSubstance

COLUMNS = [
    "CASEID", "RECORD", "ADMIT_DATE", "PSOURCE", "DAYWAIT", "NOPRIOR", "SERVICES",
    "SUB1", "ROUTE1", "FREQ1", "FRSTUSE1", "SUB2", "ROUTE2", "FREQ2", "FRSTUSE2",
    "SUB3", "ROUTE3", "FREQ3", "FRSTUSE3", "METHUSE", "EMPLOY", "LIVARAG", "EDUC",
    "VET", "PREG", "DISC_DATE", "REASON", "LOS", "EMPLOY_D", "LIVARAG_D",
    "FREQ_ATND_SELF_HELP_D",
]  # fmt: skip


def _yes_no(value) -> int:
    return MISSING if value is None else (1 if value else 2)


def _substances(referral: Referral | None) -> list:
    by_rank: dict[int, ReferralSubstance] = {}
    if referral is not None:
        by_rank = {row.rank: row for row in referral.substances.all()}
    values = []
    for rank in (1, 2, 3):
        row = by_rank.get(rank)
        if row is None:
            # TEDS: "none" for a secondary/tertiary substance.
            values += [teds.SUB_NONE if rank > 1 else MISSING, MISSING, MISSING, MISSING]
        else:
            values += [
                teds.SUB.code(row.substance),
                teds.ROUTE.code(row.route),
                teds.FREQ.code(row.frequency),
                row.age_first_use,
            ]
    return values


def teds_rows(clients, *, start: date, end: date) -> list[list]:
    """Episodes admitted, or discharged after an admission, within [start, end]."""
    episodes = (
        Episode.objects.filter(client__in=clients, admission_date__isnull=False)
        .filter(Q(admission_date__range=(start, end)) | Q(discharge_date__range=(start, end)))
        .select_related("client")
        .prefetch_related(
            Prefetch(
                "referral",
                queryset=Referral.objects.prefetch_related("substances"),
            )
        )
        .order_by("admission_date", "pk")
    )
    summaries = {
        summary.episode_id: summary
        for summary in DischargeSummary.objects.filter(episode__in=episodes)
    }
    rows = []
    for episode in episodes:
        referral = getattr(episode, "referral", None)
        summary = summaries.get(episode.pk)
        los = (
            (episode.discharge_date - episode.admission_date).days
            if episode.discharge_date
            else MISSING
        )
        rows.append(
            [
                str(episode.public_id),
                episode.client.mrn,
                episode.admission_date.isoformat(),
                teds.PSOURCE.code(referral.source) if referral else MISSING,
                (episode.admission_date - episode.referral_date).days,
                min(referral.prior_episodes, 5) if referral else MISSING,
                teds.SERVICES.code(episode.level_of_care),
                *_substances(referral),
                _yes_no(referral.planned_moud) if referral else MISSING,
                teds.EMPLOY.code(referral.employment) if referral else MISSING,
                teds.LIVARAG.code(referral.living_arrangement) if referral else MISSING,
                teds.EDUC.code(referral.education) if referral else MISSING,
                _yes_no(referral.veteran) if referral else MISSING,
                _yes_no(referral.pregnant) if referral else MISSING,
                episode.discharge_date.isoformat() if episode.discharge_date else "",
                episode.discharge_reason or MISSING,
                los,
                teds.EMPLOY.code(summary.employment) if summary else MISSING,
                teds.LIVARAG.code(summary.living_arrangement) if summary else MISSING,
                teds.SELF_HELP.code(summary.mutual_help) if summary else MISSING,
            ]
        )
    return rows
