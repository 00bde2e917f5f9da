"""A TEDS-style admission and discharge export: one row per episode admitted
or discharged in a period, with the codes of the Treatment Episode Data Set
(SAMHSA, TEDS State Instruction Manual; TEDS-A admission and TEDS-D discharge
items). The README lists every column and its codes. -9 means missing."""

from datetime import date

from django.db.models import Prefetch, Q

from aftercare.models import DischargeSummary
from iop.clients.models import Episode
from screening.models import Referral, ReferralSubstance

MISSING = -9

PSOURCE = {
    "self": 1, "sud_provider": 2, "health_provider": 3, "school": 4, "employer": 5,
    "community": 6, "justice": 7,
}  # fmt: skip
SUB = {
    "alcohol": 2, "cocaine": 3, "marijuana": 4, "heroin": 5, "methadone": 6, "opioids": 7, "pcp": 8,
    "hallucinogens": 9, "methamphetamine": 10, "amphetamines": 11, "stimulants": 12,
    "benzodiazepines": 13, "sedatives": 16, "inhalants": 17, "otc": 18, "other": 19,
}  # fmt: skip
ROUTE = {"oral": 1, "smoking": 2, "inhalation": 3, "injection": 4, "other": 5}
# TEDS FREQ: 1 no use in the past month, 2 some use, 3 daily use.
FREQ = {"none": 1, "1_3_month": 2, "1_2_week": 2, "3_6_week": 2, "daily": 3}
EMPLOY = {"full_time": 1, "part_time": 2, "unemployed": 3, "not_in_labor_force": 4}
LIVARAG = {"homeless": 1, "dependent": 2, "independent": 3}
# TEDS EDUC: 1 <=8 years, 2 9-11, 3 12 or GED, 4 13-15, 5 16 or more.
EDUC = {"below_hs": 2, "hs": 3, "some_college": 4, "bachelor": 5}
# TEDS SERVICES: 7 ambulatory intensive outpatient, 8 ambulatory non-intensive.
SERVICES = {"1.0": 8, "2.1": 7, "2.5": 7}
# TEDS-D FREQ_ATND_SELF_HELP: 1 none, 2 1-3 times, 3 4-7, 4 8-30 in the past month.
SELF_HELP = {"none": 1, "1_3": 2, "4_7": 3, "8_30": 4, "daily": 4}

COLUMNS = [
    "CASEID", "RECORD", "ADMIT_DATE", "PSOURCE", "DAYWAIT", "NOPRIOR", "SERVICES",
    "SUB1", "ROUTE1", "FREQ1", "FRSTUSE1", "SUB2", "ROUTE2", "FREQ2", "FRSTUSE2",
    "SUB3", "ROUTE3", "FREQ3", "FRSTUSE3", "METHUSE", "EMPLOY", "LIVARAG", "EDUC",
    "VET", "PREG", "DISC_DATE", "REASON", "LOS", "EMPLOY_D", "LIVARAG_D",
    "FREQ_ATND_SELF_HELP_D",
]  # fmt: skip


def _yes_no(value) -> int:
    return MISSING if value is None else (1 if value else 2)


def _code(mapping: dict, value) -> int:
    return mapping.get(value, MISSING)


def _substances(referral: Referral | None) -> list:
    by_rank: dict[int, ReferralSubstance] = {}
    if referral is not None:
        by_rank = {row.rank: row for row in referral.substances.all()}
    values = []
    for rank in (1, 2, 3):
        row = by_rank.get(rank)
        if row is None:
            # TEDS: 1 = none for a secondary/tertiary substance.
            values += [1 if rank > 1 else MISSING, MISSING, MISSING, MISSING]
        else:
            values += [
                _code(SUB, row.substance),
                _code(ROUTE, row.route),
                _code(FREQ, row.frequency),
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
                _code(PSOURCE, referral.source) if referral else MISSING,
                (episode.admission_date - episode.referral_date).days,
                min(referral.prior_episodes, 5) if referral else MISSING,
                _code(SERVICES, episode.level_of_care),
                *_substances(referral),
                _yes_no(referral.planned_moud) if referral else MISSING,
                _code(EMPLOY, referral.employment) if referral else MISSING,
                _code(LIVARAG, referral.living_arrangement) if referral else MISSING,
                _code(EDUC, referral.education) if referral else MISSING,
                _yes_no(referral.veteran) if referral else MISSING,
                _yes_no(referral.pregnant) if referral else MISSING,
                episode.discharge_date.isoformat() if episode.discharge_date else "",
                episode.discharge_reason or MISSING,
                los,
                _code(EMPLOY, summary.employment) if summary else MISSING,
                _code(LIVARAG, summary.living_arrangement) if summary else MISSING,
                _code(SELF_HELP, summary.mutual_help) if summary else MISSING,
            ]
        )
    return rows
