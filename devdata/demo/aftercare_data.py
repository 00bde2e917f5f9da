"""Fixed material for devdata.demo.aftercare: what each demo client's year of
aftercare looks like so far, and the counselor's wording of plans, check-ins,
outreach and discharge summaries. Every person and organisation named here
is invented; phone numbers are in the 555-0100..0199 block kept for fiction.
"""

# What happens in each aftercare client's past check-ins, by the client's
# order among the demo clients in aftercare of one counselor (the demo
# admits clients alternately to counselor1 and counselor2).
STEADY = "steady"  # every check-in completed, low or moderate risk
FLAGGED = "flagged"  # the last three missed: outreach open, the client flagged
OUTREACH = "outreach"  # the latest one missed: an open outreach task with attempts
REFERRAL = "referral"  # the latest one completed at high risk: referred on
REACHED = "reached"  # one missed earlier on; outreach reached the client
OVERDUE = "overdue"  # the latest past-due check-in not recorded yet
SCENARIOS = {
    "counselor1": (FLAGGED, OUTREACH, REFERRAL, STEADY),
    "counselor2": (REACHED, OVERDUE, STEADY, STEADY),
}
# Aftercare started after 12-16 weeks of the intensive phase, but at least
# this many days ago, so each story has the check-ins it needs.
INTENSIVE_WEEKS = (12, 16)
MIN_DAYS_IN_AFTERCARE = {FLAGGED: 35, REACHED: 28, OUTREACH: 21, OVERDUE: 21}
DEFAULT_MIN_DAYS = 14
# Share of ordinary completed check-ins rated moderate rather than low risk.
MODERATE_SHARE = 0.2

# The relapse-prevention plan, drawn per client.
RECOVERY_GOALS = (
    "Stay abstinent one day at a time and reach one year clean.",
    "Keep my job and get back to full-time hours.",
    "Rebuild trust with my kids; be at every weekend visit.",
    "Finish the GED classes I started during the program.",
    "Move out of my cousin's place into my own apartment.",
    "Keep going to two meetings a week and get a sponsor.",
    "Get my driver's license back and pay off the fines.",
    "Stay on my medication and keep every prescriber visit.",
)
TRIGGERS = (
    "Payday Fridays with cash in my pocket.",
    "Driving past the bar on the way home from work.",
    "Arguments with my ex about the kids.",
    "Old friends texting when they are using.",
    "Long weekends with nothing planned.",
    "Back pain after a double shift.",
    "Family gatherings where everyone drinks.",
    "Being alone at night after work.",
)
WARNING_SIGNS = (
    "Skipping meetings and telling myself I am too busy.",
    "Not sleeping; staying up late on my phone.",
    "Keeping secrets from my sponsor again.",
    "Thinking one time would not hurt.",
    "Isolating and not answering calls.",
    "Getting irritable with my family over small things.",
)
COPING_STEPS = (
    "Call my sponsor before I do anything else.",
    "Go to the 7 pm meeting at the community center.",
    "Urge surfing: wait 20 minutes and breathe.",
    "Leave the situation and go for a walk.",
    "Text the group chat from Social Support.",
    "Play the tape forward to the morning after.",
    "Eat, drink water and sleep before deciding anything.",
)
SPONSORS = ("Mike R.", "Teresa V.", "Glenn A.", "Shonda P.", "Luis M.", "Carol W.")

# Completed check-ins: the counselor's note, by risk level.
LOW_NOTES = (
    "Reports no use. Going to meetings; work is steady. Plan reviewed, no changes.",
    "Abstinent since last contact. Attending Social Support weekly. Sleeping better.",
    "No use. Got a sponsor last week and called them twice. Mood good.",
    "Reports no use or cravings worth mentioning. Picked up extra hours at work.",
    "Abstinent. Family visit went well. Reviewed warning signs; none present.",
    "No use. Started the GED class on Tuesdays. Keeps the meeting schedule.",
)
MODERATE_NOTES = (
    "No use, but strong cravings after an argument at home. Used urge surfing; "
    "agreed to call the sponsor daily this week.",
    "No use. Lost hours at work and worried about rent; missed two meetings. "
    "Problem-solved a budget and a meeting plan.",
    "Abstinent, but sleeping poorly and isolating. Reviewed the warning signs "
    "together; will return to the Tuesday meeting.",
    "No use. Old friend moved back to the neighbourhood and keeps texting. "
    "Practised refusal; agreed to block the number.",
)
HIGH_RISK_NOTE = (
    "Used {substance} on two days after a layoff; reports hopelessness but denies suicidal "
    "ideation. Safety and relapse-prevention plans reviewed; agreed to the referral "
    "and to call the sponsor daily until the evaluation."
)
REFERRAL_DETAILS = (
    "Psychiatric evaluation for depression at Eastside Behavioral Health",
    "Employment and housing support at Capital Area Workforce Center",
)
# How a counselor writes the client's primary substance (screening's TEDS
# referral) in a check-in; "alcohol" where the demo has no referral.
SUBSTANCE_WORDS = {
    "alcohol": "alcohol",
    "methamphetamine": "methamphetamine",
    "marijuana": "cannabis",
    "opioids": "fentanyl pills",
    "cocaine": "cocaine",
    "heroin": "heroin",
    "benzodiazepines": "alprazolam (not prescribed)",
}
MISSED_NOTES = (
    "No answer at the scheduled time; voicemail left.",
    "Did not come to the in-person check-in.",
    "Phone went straight to voicemail; text sent.",
)
UNREACHABLE_NOTES = (
    "Number out of service; emergency contact did not answer either.",
    "Three calls over the day, no answer; voicemail box full.",
)
# Outreach attempts after a missed check-in: (method, outcome, note).
ATTEMPTS = (
    ("phone", "no_answer", "Called twice, no voicemail set up."),
    ("text", "left_message", "Texted to ask for a call back."),
    ("phone", "left_message", "Left a voicemail with the clinic number."),
    ("email", "left_message", "Emailed a neutral check-in request."),
    ("letter", "left_message", "Mailed a letter asking to call the clinic."),
)
REACHED_ATTEMPT = (
    "phone",
    "reached",
    "Reached on the second call; had changed shifts. Next check-in confirmed.",
)

# Discharge summaries by TEDS reason code: the TEDS discharge fields drawn
# from the options, and the summary text ({weeks}: length of stay).
DISCHARGE = {
    1: {
        "employment": ("full_time", "full_time", "part_time"),
        "living_arrangement": ("independent",),
        "mutual_help": ("4_7", "8_30"),
        "use": False,
        "summary": (
            "Completed the intensive phase in {weeks} weeks and met the treatment-plan "
            "goals: abstinence confirmed by weekly drug tests, a sober support network "
            "and regular mutual-help attendance. Relapse-prevention plan in place. "
            "Continuing care: weekly Social Support and community meetings."
        ),
    },
    2: {
        "employment": ("unemployed", "part_time"),
        "living_arrangement": ("dependent", "independent"),
        "mutual_help": ("none", "1_3"),
        "use": True,
        "summary": (
            "Stopped attending after {weeks} weeks against the counselor's advice. "
            "Outreach by phone and letter went unanswered. Last drug test showed "
            "recent use. Discharged with information on how to return and on crisis lines."
        ),
    },
    3: {
        "employment": ("unemployed",),
        "living_arrangement": ("dependent", "homeless"),
        "mutual_help": ("none",),
        "use": True,
        "summary": (
            "Discharged by the program after {weeks} weeks for repeated violations of "
            "the participation agreement despite a behavioural contract. Referred to a "
            "higher level of care; may be re-referred after 30 days."
        ),
    },
    4: {
        "employment": ("part_time", "unemployed"),
        "living_arrangement": ("dependent",),
        "mutual_help": ("1_3", "4_7"),
        "use": False,
        "summary": (
            "Transferred after {weeks} weeks to a residential program closer to family. "
            "Records sent with the client's written consent (42 CFR Part 2). "
            "Engaged and abstinent at transfer."
        ),
    },
    5: {
        "employment": ("not_in_labor_force",),
        "living_arrangement": ("dependent",),
        "mutual_help": ("none",),
        "use": False,
        "summary": (
            "Incarcerated on an earlier warrant after {weeks} weeks in the program. "
            "Had been attending and abstinent. Program contact details left with the "
            "client's probation officer for re-referral on release."
        ),
    },
    6: {
        "employment": ("unemployed",),
        "living_arrangement": ("independent",),
        "mutual_help": ("none",),
        "use": True,
        "summary": (
            "Client died after {weeks} weeks in the program. Reported to the clinical director."
        ),
    },
    7: {
        "employment": ("full_time", "part_time"),
        "living_arrangement": ("independent",),
        "mutual_help": ("1_3", "4_7"),
        "use": False,
        "summary": (
            "Moved out of state for work after {weeks} weeks. Given a list of IOP "
            "programs and mutual-help meetings near the new address."
        ),
    },
}
