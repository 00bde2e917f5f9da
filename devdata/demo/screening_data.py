"""Fixed material for devdata.demo.screening: where each demo client in screening
stands, what the demo clients use, who referred them, the screener's wording,
and small functions that draw plausible answers and ratings. Every
organisation named here is invented.
"""

from random import Random

# How far the screening of each demo client still in screening has got, by
# (first name, last name) of devdata.demo.clients_data.DEMO_CLIENTS.
WAITING = "waiting"  # referred, not seen yet
DRAFT = "draft"  # screening in progress, some instruments given
FLAG_ADDRESSED = "flag_addressed"  # PHQ-9 item 9 flag, safety plan made, ratings done
FLAG_OPEN = "flag_open"  # C-SSRS moderate: the alert supervisors still have to see to
REFERRED = "referred"  # needs residential care: referred out, episode closed

SCENARIOS = {
    ("Marisol", "Quintero"): WAITING,
    ("Trevor", "Hollings"): DRAFT,
    ("Keisha", "Barnwell"): FLAG_ADDRESSED,
    ("Héctor", "Villaseñor"): WAITING,
    ("Dana", "Kowalczyk"): FLAG_OPEN,
    ("Rubén", "Ochoa"): DRAFT,
    ("Shannon", "McAllister"): REFERRED,
    ("Curtis", "Ebberly"): WAITING,
}

# Substances of the clients whose story needs particular ones; the others draw theirs.
FIXED_SUBSTANCES = {
    ("Trevor", "Hollings"): ("alcohol",),
    ("Keisha", "Barnwell"): ("alcohol", "cocaine"),
    ("Shannon", "McAllister"): ("alcohol", "benzodiazepines"),
}

# Primary substance at admission, weighted roughly like TEDS outpatient admissions.
PRIMARY_SUBSTANCES = {
    "alcohol": 40,
    "methamphetamine": 14,
    "marijuana": 12,
    "opioids": 12,
    "cocaine": 10,
    "heroin": 7,
    "benzodiazepines": 5,
}
OTHER_SUBSTANCES = ("alcohol", "marijuana", "cocaine", "benzodiazepines", "methamphetamine")
OPIOIDS = ("heroin", "opioids")
ROUTES = {
    "alcohol": ("oral",),
    "marijuana": ("smoking", "smoking", "oral"),
    "cocaine": ("inhalation", "inhalation", "smoking"),
    "heroin": ("injection", "inhalation", "smoking"),
    "opioids": ("oral", "oral", "inhalation"),
    "methamphetamine": ("smoking", "smoking", "injection", "inhalation"),
    "benzodiazepines": ("oral",),
}
# Age at first use, (earliest, latest).
FIRST_USE = {
    "alcohol": (12, 18),
    "marijuana": (12, 17),
    "cocaine": (16, 27),
    "heroin": (18, 30),
    "opioids": (17, 35),
    "methamphetamine": (15, 28),
    "benzodiazepines": (16, 35),
}
PRIMARY_FREQUENCIES = ("daily", "daily", "3_6_week", "3_6_week", "1_2_week")
OTHER_FREQUENCIES = ("3_6_week", "1_2_week", "1_2_week", "1_3_month", "1_3_month")

# (TEDS source, referred by): organisations are fictitious.
SOURCES = (
    ("self", ""),
    ("self", ""),
    ("self", "Found the program online"),
    ("justice", "Travis County Adult Probation"),
    ("justice", "Municipal court, DWI docket"),
    ("health_provider", "Emergency department, Riverbend Medical Center"),
    ("health_provider", "Oak Hollow Family Clinic"),
    ("sud_provider", "Hill Country Withdrawal Management"),
    ("employer", "Employee assistance program"),
    ("community", "Capital Area Recovery Alliance peer coach"),
)
EMPLOYMENT = ("full_time", "full_time", "part_time", "unemployed", "not_in_labor_force")
LIVING = ("independent", "independent", "independent", "dependent", "homeless")
EDUCATION = ("grade_8", "below_hs", "hs", "hs", "some_college", "some_college", "bachelor")

# The screener's justification of each rating, by dimension and rating 0-4.
JUSTIFICATIONS = {
    "D1": (
        ("No use in the past week; no withdrawal signs.",),
        (
            "Last use 4 days ago; mild sleep disturbance, no withdrawal signs.",
            "Some cravings and poor sleep; vitals normal, no withdrawal history.",
        ),
        ("Daily use until 2 days ago; tremor and sweating, CIWA-Ar review advised.",),
        ("Withdrawal signs with a history of complicated withdrawal.",),
        ("Severe withdrawal signs now.",),
    ),
    "D2": (
        ("No physical health concerns reported.",),
        (
            "Hypertension, controlled on medication; sees primary care.",
            "Chronic back pain, managed by primary care.",
        ),
        ("Liver enzymes raised at last check-up; needs medical follow-up.",),
        ("Unstable medical condition that needs close monitoring.",),
        ("Medical condition that needs hospital care.",),
    ),
    "D3": (
        ("No emotional or behavioural concerns.",),
        (
            "Low mood and worry; coping, no risk concerns.",
            "Some anxiety; manages daily life, no risk concerns.",
        ),
        (
            "Depressive and anxious symptoms that interfere with work; no current risk.",
            "Moderate depression per PHQ-9; would benefit from a co-occurring track.",
        ),
        ("Marked depression and panic; struggling to keep to a daily routine.",),
        ("Severe symptoms with imminent risk.",),
    ),
    "D4": (
        ("Asked for treatment and has a clear goal of stopping.",),
        (
            "Wants to stop; ready to attend the groups.",
            "Committed to change; arranged time off work for treatment.",
        ),
        (
            "Ambivalent: attends because of court conditions, open to trying.",
            "Unsure use is a problem; agrees to try the program.",
        ),
        ("Sees little need for change; came at family's insistence.",),
        ("Cannot follow through on outpatient care: left two programs in the past year.",),
    ),
    "D5": (
        ("Long abstinence; strong relapse-prevention skills.",),
        ("Three months abstinent before the recent lapse; knows triggers.",),
        (
            "Relapsed after earlier treatment; few coping skills yet.",
            "Continued use likely without structured support; strong cravings.",
        ),
        ("Unable to stop for more than a few days despite trying; high risk of relapse.",),
        ("Daily use despite repeated outpatient attempts; cannot abstain without 24-hour care.",),
    ),
    "D6": (
        ("Stable housing and supportive family.",),
        (
            "Lives with supportive partner; works full time.",
            "Supportive sister nearby; stable job.",
        ),
        (
            "Some friends still use; housing stable.",
            "Partner drinks at home; otherwise supportive.",
        ),
        ("Lives with people who use; no sober supports.",),
        ("Living environment unsafe for recovery; no sober housing available.",),
    ),
}

# When the program admits at 2.1 below a 2.5 recommendation.
BELOW_RECOMMENDATION_REASONS = (
    "Client declined partial hospitalization because of work hours; IOP with "
    "weekly review, step up if symptoms worsen.",
    "No partial hospitalization place this month; admitted to IOP with an extra "
    "individual session each week.",
)

# The referral to residential care: ratings that exceed the 2.5 caps.
REFERRED_RATINGS = {"D1": 2, "D2": 1, "D3": 3, "D4": 4, "D5": 4, "D6": 3}
REFERRED_TO = "Riverside Residential Treatment Center"
REFERRED_REASON = "Daily drinking with benzodiazepines and no sober support: residential first."

# C-SSRS screener answers: low (wish to be dead, no thoughts of suicide) and
# moderate (thoughts of suicide and of a method, no intent, plan or behaviour).
CSSRS_LOW = {"1": "yes", "2": "no", "6": "no"}
CSSRS_MODERATE = {"1": "yes", "2": "yes", "3": "yes", "4": "no", "5": "no", "6": "no"}

# D3 of the client whose PHQ-9 item 9 raised the flag.
FLAGGED_D3 = "Moderate depression; passive death wishes, safety plan made, no intent or plan."
SAFETY_PLAN_NOTE = (
    "Reviewed PHQ-9 item 9 with the client in private. Passive thoughts of being "
    "better off dead on several days in the past two weeks, worse when drinking; "
    "no plan, intent or past attempt. C-SSRS screener: low risk. Completed a "
    "safety plan together: warning signs, coping steps, sister as contact, 988 "
    "Suicide & Crisis Lifeline. Client agreed to keep medications at her sister's. "
    "Supervisor informed; counselor to review at the first session."
)


def ratings_for_iop(rng: Random) -> dict[str, int]:
    """Ratings that fit 2.1; about one in seven has a 3 that points to 2.5."""
    ratings = {"D1": rng.choice((0, 1, 1)), "D2": rng.choice((0, 1, 1, 2))}
    ratings |= {dimension: rng.choice((1, 2, 2)) for dimension in ("D3", "D4", "D5", "D6")}
    if max(ratings.values()) < 2:
        ratings["D5"] = 2
    if rng.random() < 0.15:
        ratings[rng.choice(("D3", "D5"))] = 3
    return ratings


def justified(rng: Random, ratings: dict[str, int]) -> dict[str, tuple[int, str]]:
    return {
        dimension: (rating, rng.choice(JUSTIFICATIONS[dimension][rating]))
        for dimension, rating in ratings.items()
    }


def substance_instrument(rng: Random, primary: str, *, heavy: bool = False) -> tuple[str, dict]:
    """AUDIT for a client whose primary substance is alcohol, else DAST-10."""
    if primary == "alcohol":
        low = 1 if heavy else 0  # heavy: zone IV, otherwise mostly zones II-IV
        answers = {"1": rng.randint(2 + low, 4), "2": rng.randint(1 + low, 3 + low)}
        answers["3"] = rng.randint(1 + low, 3 + low)
        answers |= {key: rng.randint(low, 2 + low) for key in "45678"}
        return "AUDIT", answers | {"9": rng.choice((0, 0, 2, 4)), "10": rng.choice((2, 4))}
    # Item 1 (used drugs) is always yes; item 3 is reversed ("no" scores).
    problems = {
        "1",
        *rng.sample(list("23456789") + ["10"], rng.randint(6, 8) if heavy else rng.randint(2, 5)),
    }
    answers = {str(key): "yes" if str(key) in problems else "no" for key in range(1, 11)}
    answers["3"] = "no" if "3" in problems else "yes"
    return "DAST-10", answers


def spread(rng: Random, keys: str, total: int) -> dict[str, int]:
    """Answers 0-3 to `keys` that add up to `total` (capped at 3 each)."""
    answers = dict.fromkeys(keys, 0)
    for _ in range(min(total, 3 * len(answers))):
        answers[rng.choice([key for key, points in answers.items() if points < 3])] += 1
    return answers


def phq9(rng: Random, total: int, *, item9: int = 0) -> dict:
    answers = spread(rng, "12345678", total - item9) | {"9": item9}
    difficulty = ("not_difficult", "somewhat", "very", "extremely")[min(total // 7, 3)]
    return answers | {"difficulty": difficulty}
