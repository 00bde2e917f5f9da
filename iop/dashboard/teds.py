"""The TEDS export: the admission record (TEDS-A) of each episode admitted
in a period, the discharge record (TEDS-D) of each episode discharged after
an admission in it, and both records of those episodes in one row. Columns
and codes: iop.clients.teds (columns, and the codebook's lists); -9 for
every item missing, never a blank cell, so nothing is refused silently."""

from datetime import date

from django.conf import settings
from django.db.models import Prefetch, Q

from iop.clients import teds
from iop.clients.models import Demographics, Diagnosis, Episode, LevelOfCare
from iop.clients.teds import MISSING
from iop.clients.teds import columns as teds_columns
from screening.models import Referral, ReferralSubstance

ADMISSIONS, DISCHARGES, EPISODES = "admissions", "discharges", "episodes"


def teds_dsm_category(episode) -> int:
    """DSMCRIT of the episode's primary diagnosis: its ICD-10-CM code placed
    in the codebook's category by teds.dsmcrit (F1x.1x abuse and F1x.2x
    dependence of alcohol, opioids, cocaine, cannabis or another substance;
    the F chapter's anxiety, depressive, psychotic, bipolar and attention
    disorders; any other F code "other mental health condition"). The
    primary diagnosis is the current confirmed one of rank 1 (a proposed
    diagnosis is not reported), else the diagnosis recorded at discharge;
    without either the item is missing."""
    confirmed = getattr(episode, "confirmed_primary", None)
    diagnosis = confirmed[0] if confirmed else episode.discharge_diagnosis
    return teds.dsmcrit(diagnosis.icd10_code) if diagnosis is not None else MISSING


def _or_missing(value):
    return MISSING if value in (None, "") else value


def _yes_no(value) -> int:
    return MISSING if value is None else (1 if value else 2)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _substances(referral: Referral | None) -> dict:
    by_rank: dict[int, ReferralSubstance] = {}
    if referral is not None:
        by_rank = {row.rank: row for row in referral.substances.all()}
    values = {}
    for rank in (1, 2, 3):
        row = by_rank.get(rank)
        values[f"SUB{rank}"] = (
            teds.SUB.code(row.substance)
            if row
            # TEDS: "none" for a secondary or tertiary substance not named.
            else (teds.SUB_NONE if rank > 1 and referral else MISSING)
        )
        values[f"ROUTE{rank}"] = teds.ROUTE.code(row.route) if row else MISSING
        values[f"FREQ{rank}"] = teds.FREQ.code(row.frequency) if row else MISSING
        values[f"FRSTUSE{rank}"] = row.age_first_use if row else MISSING
    return values


def _yes_no_answer(codes, answer: str, fallback) -> int:
    """An answer of the demographics, or (recorded before they were asked
    there) the referral's yes/no."""
    return codes.code(answer) if answer else _yes_no(fallback)


def _admission(episode: Episode, referral, items: Demographics | None) -> dict:
    client = episode.client
    answer = (lambda name: getattr(items, name)) if items else (lambda name: "")
    return {
        "DOB": client.date_of_birth.isoformat(),
        "AGE": _age(client.date_of_birth, episode.admission_date),
        "GENDER": teds.SEX.code(client.sex),
        "RACE": teds.race_code(answer("race") or ()),
        "ETHNIC": teds.ETHNIC.code(answer("ethnicity")),
        "MARSTAT": teds.MARSTAT.code(answer("marital_status")),
        "EDUC": teds.EDUC.code(referral.education) if referral else MISSING,
        "EMPLOY": teds.EMPLOY.code(referral.employment) if referral else MISSING,
        "DETNLF": teds.DETNLF.code(answer("not_in_labor_force")),
        "PREG": _yes_no_answer(teds.PREG, answer("pregnant"), referral and referral.pregnant),
        "VET": _yes_no_answer(teds.VET, answer("veteran"), referral and referral.veteran),
        "LIVARAG": teds.LIVARAG.code(referral.living_arrangement) if referral else MISSING,
        "PRIMINC": teds.PRIMINC.code(answer("income_source")),
        "ARRESTS": teds.ARRESTS.code(answer("arrests_admission")),
        "SERVICES": teds.SERVICES.code(episode.level_of_care),
        "METHUSE": _yes_no(referral.planned_moud) if referral else MISSING,
        "DAYWAIT": (episode.admission_date - episode.referral_date).days,
        "PSOURCE": teds.PSOURCE.code(referral.source) if referral else MISSING,
        "NOPRIOR": min(referral.prior_episodes, 5) if referral else MISSING,
        **_substances(referral),
        "DSMCRIT": teds_dsm_category(episode),
        "HLTHINS": teds.HLTHINS.code(answer("health_insurance")),
        "PRIMPAY": teds.PRIMPAY.code(answer("payment_source")),
        "FREQ_ATND_SELF_HELP": teds.SELF_HELP.code(answer("self_help_admission")),
    }


def _services_at_discharge(episode: Episode) -> int:
    # Stepped down to aftercare, the client left from continuing care:
    # ambulatory, non-intensive outpatient.
    if getattr(episode, "aftercare", None) is not None:
        return teds.SERVICES.code(LevelOfCare.OUTPATIENT)
    return teds.SERVICES.code(episode.level_of_care)


# The discharge's own items (the transaction type and identifiers aside).
_DISCHARGE_ITEMS = teds_columns.names(teds_columns.DISCHARGE)[5:]


def _discharge(episode: Episode, summary, items: Demographics | None) -> dict:
    if episode.discharge_date is None:
        return dict.fromkeys(_DISCHARGE_ITEMS, MISSING)
    return {
        "DISC_DATE": episode.discharge_date.isoformat(),
        "REASON": _or_missing(episode.discharge_reason),
        "LOS": (episode.discharge_date - episode.admission_date).days,
        "SERVICES_D": _services_at_discharge(episode),
        "EMPLOY_D": teds.EMPLOY.code(summary.employment) if summary else MISSING,
        "LIVARAG_D": teds.LIVARAG.code(summary.living_arrangement) if summary else MISSING,
        "ARRESTS_D": teds.ARRESTS.code(items.arrests_discharge) if items else MISSING,
        "FREQ1_D": teds.FREQ.code(summary.primary_frequency) if summary else MISSING,
        "FREQ_ATND_SELF_HELP_D": teds.SELF_HELP.code(summary.mutual_help) if summary else MISSING,
    }


def _episodes(clients, *, start: date, end: date):
    return (
        Episode.objects.filter(client__in=clients, admission_date__isnull=False)
        .filter(Q(admission_date__range=(start, end)) | Q(discharge_date__range=(start, end)))
        .select_related(
            "client", "demographics", "discharge_summary", "aftercare", "discharge_diagnosis"
        )
        .prefetch_related(
            Prefetch("referral", queryset=Referral.objects.prefetch_related("substances")),
            Prefetch(
                "diagnoses",
                queryset=Diagnosis.objects.primary().filter(status=Diagnosis.Status.CONFIRMED),
                to_attr="confirmed_primary",
            ),
        )
        .order_by("admission_date", "pk")
    )


def teds_records(clients, *, start: date, end: date) -> dict[str, list[dict]]:
    """The three files' rows, as {column name: value}: admissions in [start,
    end], discharges in it, and every episode with either. A fixed number of
    queries whatever the number of episodes."""
    provider = settings.TEDS_PROVIDER_ID or MISSING
    records: dict[str, list[dict]] = {ADMISSIONS: [], DISCHARGES: [], EPISODES: []}
    for episode in _episodes(clients, start=start, end=end):
        referral = getattr(episode, "referral", None)
        items = getattr(episode, "demographics", None)
        summary = getattr(episode, "discharge_summary", None)
        ids = {
            "PROVIDER_ID": provider,
            "CASEID": episode.case_id,
            "CLIENTID": episode.client.mrn,
            "ADMIT_DATE": episode.admission_date.isoformat(),
        }
        admission = {**ids, **_admission(episode, referral, items)}
        discharge = {**ids, **_discharge(episode, summary, items)}
        if start <= episode.admission_date <= end:
            records[ADMISSIONS].append({"TRANTYPE": "A", **admission})
        if episode.discharge_date and start <= episode.discharge_date <= end:
            records[DISCHARGES].append({"TRANTYPE": "D", **discharge})
        records[EPISODES].append({**admission, **discharge})
    return records


FILES = {
    ADMISSIONS: ("teds-a", teds_columns.ADMISSION),
    DISCHARGES: ("teds-d", teds_columns.DISCHARGE),
    EPISODES: ("teds", teds_columns.COMBINED),
}


def teds_files(records: dict[str, list[dict]], which: tuple[str, ...], *, suffix: str) -> dict:
    """{filename: (header, rows)} of the files asked for, for iop.exports."""
    files = {}
    for kind in which:
        stem, columns = FILES[kind]
        header = teds_columns.names(columns)
        files[f"{stem}-{suffix}.csv"] = (
            header,
            [[row[name] for name in header] for row in records[kind]],
        )
    return files


# The dashboard's previous name for the combined file's columns.
COLUMNS = teds_columns.names(teds_columns.COMBINED)
