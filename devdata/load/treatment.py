"""Drug tests with a result per substance of the panel, medications for
addiction treatment, and mutual-help meetings.

Tests are weekly on a random weekday through the intensive phase and about
monthly in aftercare (DOMAIN.md section 2). A client's prescribed
medication shows as an expected positive; unexpected positives are rare
(a few percent of tests), more frequent early on and in the weeks before a
drop-out; a few specimens are invalid or refused.
"""

from devdata.load.context import DAY, Ctx, new_uuid
from iop.clients.models import DrugTest, DrugTestResult, Medication, MutualHelpMeeting

URINE = (
    "amphetamine",
    "methamphetamine",
    "cocaine",
    "opiates",
    "oxycodone",
    "fentanyl",
    "buprenorphine",
    "benzodiazepines",
    "cannabis",
    "alcohol_etg",
)
ORAL = ("amphetamine", "methamphetamine", "cocaine", "opiates", "cannabis", "benzodiazepines")
BREATH = ("breath_alcohol",)
PANELS = {"urine": URINE, "oral_fluid": ORAL, "breath": BREATH}
# What a lapse on the primary substance shows as on a drug test.
SHOWS_AS = {
    "alcohol": ("alcohol_etg", "breath_alcohol"),
    "methamphetamine": ("methamphetamine", "amphetamine"),
    "opioids": ("fentanyl", "oxycodone", "opiates"),
    "heroin": ("opiates", "fentanyl"),
    "cocaine": ("cocaine",),
    "marijuana": ("cannabis",),
    "benzodiazepines": ("benzodiazepines",),
    "other": ("cannabis", "benzodiazepines"),
}
# Medication: (drug, dose, schedule, shows on tests as, prescriber).
MAT = {
    "buprenorphine": ("16 mg", "Daily, sublingual", "buprenorphine", "Dr. A. Reyes (outside)"),
    "methadone": ("80 mg", "Daily at the opioid treatment program", "methadone", "City OTP"),
    "naltrexone_xr": ("380 mg", "Injection every 4 weeks", "", "Dr. L. Whitaker"),
    "naltrexone_oral": ("50 mg", "Daily", "", "Dr. L. Whitaker"),
    "acamprosate": ("666 mg", "Three times a day", "", "Dr. M. Patel (outside)"),
    "disulfiram": ("250 mg", "Daily", "", "Dr. M. Patel (outside)"),
}
OPIOID_MAT = (("buprenorphine", 60), ("methadone", 15), ("naltrexone_xr", 15), ("", 10))
ALCOHOL_MAT = (("naltrexone_oral", 20), ("acamprosate", 10), ("disulfiram", 5), ("", 65))
MEETINGS = (("aa", 45), ("na", 30), ("ca", 5), ("smart", 15), ("other", 5))
MEETING_NAMES = ("Serenity at Noon", "Downtown Big Book", "Fresh Start", "Tuesday Night Step")


def _test_days(rng, episode, clock) -> list[int]:
    """A random weekday of every intensive week, then about monthly."""
    last = min(episode.discharge or clock.today, clock.today)
    intensive_end = min(episode.intensive_end or last, last)
    days, week = [], episode.admission
    while week <= intensive_end:
        day = week + rng.randint(0, 4)
        day += max(0, 7 - clock.weekday(day)) if clock.weekday(day) > 4 else 0
        if day <= intensive_end and rng.random() < episode.attend + 0.08:
            days.append(day)
        week += 7
    day = intensive_end + rng.randint(20, 35)
    while day <= last:
        days.append(day)
        day += rng.randint(25, 35)
    return days


def seed_drug_tests(ctx: Ctx) -> None:
    rng = ctx.rng("drug-tests")
    clock, loader = ctx.clock, ctx.loader
    tests = [
        (episode, day) for episode in ctx.admitted() for day in _test_days(rng, episode, clock)
    ]
    first = loader.reserve(DrugTest, len(tests))
    rows, results = [], []
    expected = {"buprenorphine": "buprenorphine", "methadone": "methadone"}
    for offset, (episode, day) in enumerate(tests):
        test_id = first + offset
        specimen = rng.choices(("urine", "oral_fluid", "breath"), (80, 12, 8))[0]
        weekly = rng.random() < 0.95
        rows.append(
            (
                test_id,
                new_uuid(rng),
                episode.client.id,
                clock.date(day),
                specimen,
                rng.random() < 0.3,
                weekly,
                episode.counselor,
                clock.ts(day * DAY + rng.randint(9 * 60, 17 * 60)),
            )
        )
        panel = PANELS[specimen]
        prescribed = expected.get(episode.medication)
        if prescribed == "methadone" and specimen == "urine":
            panel = (*panel, "methadone")
        roll = rng.random()
        if roll < 0.01:
            results.extend((test_id, name, "refused", False) for name in panel)
            continue
        if roll < 0.02:
            results.extend((test_id, name, "invalid", False) for name in panel)
            continue
        weeks_in = (day - episode.admission) // 7
        chance = 0.1 if weeks_in < 3 else 0.04
        if episode.outcome == "dropped" and episode.discharge and episode.discharge - day < 21:
            chance = 0.3
        if not weekly:
            chance = 0.5  # tested for cause
        lapse = [name for name in SHOWS_AS[episode.client.substance] if name in panel]
        positive = rng.choice(lapse) if lapse and rng.random() < chance else None
        for name in panel:
            if name == prescribed:
                results.append((test_id, name, "positive", True))
            elif name == positive:
                results.append((test_id, name, "positive", False))
            else:
                results.append((test_id, name, "negative", False))
    loader.copy(
        DrugTest,
        (
            "id",
            "public_id",
            "client_id",
            "collected_on",
            "specimen",
            "observed",
            "random_selection",
            "recorded_by_id",
            "recorded_at",
        ),
        rows,
    )
    loader.copy(DrugTestResult, ("test_id", "substance", "result", "expected"), results)


def seed_medications(ctx: Ctx) -> None:
    """Medication for addiction treatment; run before the drug tests, which
    count a prescribed medication's positive as expected."""
    rng = ctx.rng("medications")
    clock, rows = ctx.clock, []
    for episode in ctx.admitted():
        substance = episode.client.substance
        if substance in ("opioids", "heroin"):
            options = OPIOID_MAT
        elif substance == "alcohol":
            options = ALCOHOL_MAT
        else:
            continue
        drug = rng.choices(*zip(*options, strict=True))[0]
        if not drug:
            continue
        episode.medication = drug
        dose, schedule, shows_as, prescriber = MAT[drug]
        start = episode.admission - rng.randint(0, 60)
        stop = None
        if episode.discharge and rng.random() < 0.5:
            stop = episode.discharge + rng.randint(0, 30)
            stop = stop if stop <= clock.today else None
        injection = None
        if drug == "naltrexone_xr" and stop is None:
            injection = clock.today + rng.randint(0, 27)
        rows.append(
            (
                new_uuid(rng),
                episode.client.id,
                drug,
                dose,
                schedule,
                prescriber,
                "outside" not in prescriber and drug != "methadone",
                clock.date(start),
                clock.date(stop) if stop else None,
                clock.date(injection) if injection else None,
                shows_as,
                episode.counselor,
                clock.ts(episode.admission * DAY + 14 * 60),
            )
        )
    ctx.loader.copy(
        Medication,
        (
            "public_id",
            "client_id",
            "drug",
            "dose",
            "schedule",
            "prescriber_name",
            "prescriber_internal",
            "start_date",
            "stop_date",
            "next_injection_due",
            "expected_substance",
            "recorded_by_id",
            "created_at",
        ),
        rows,
    )


def seed_meetings(ctx: Ctx) -> None:
    """Mutual-help meetings: about 1.5 a week in the intensive phase, one a
    week in aftercare, fewer for clients who are less engaged."""
    rng = ctx.rng("meetings")
    clock, rows = ctx.clock, []
    kinds, weights = zip(*MEETINGS, strict=True)
    for episode in ctx.admitted():
        last = min(episode.discharge or clock.today, clock.today)
        day = episode.admission
        while day <= last:
            aftercare = episode.step_down is not None and day >= episode.step_down
            rate = (1.0 if aftercare else 1.5) * episode.attend
            day += max(1, round(rng.expovariate(rate / 7)))
            if day > last:
                break
            kind = rng.choices(kinds, weights)[0]
            rows.append(
                (
                    new_uuid(rng),
                    episode.client.id,
                    clock.date(day),
                    kind,
                    rng.choice(MEETING_NAMES),
                    rng.random() < 0.4,
                    episode.counselor,
                    clock.ts(min(clock.now, (day + rng.randint(0, 6)) * DAY + 15 * 60)),
                )
            )
    ctx.loader.copy(
        MutualHelpMeeting,
        (
            "public_id",
            "client_id",
            "attended_on",
            "kind",
            "meeting_name",
            "verified",
            "recorded_by_id",
            "recorded_at",
        ),
        rows,
    )
