"""Fixed data for the demo groups seeded by devdata.demo.groups: the weekly schedule
and the phrase banks group notes and participation lines are written from.

Remarks are assembled from a template of the client's participation level, a
reference to the session's topic and a personal detail, so that no two
clients of one session get the same line (payers deny cloned notes, and
session_sign refuses them). Details are neutral in gender and invented.
"""

from datetime import time
from typing import NamedTuple


class GroupPlan(NamedTuple):
    name: str
    track: str  # Track.code
    weekday: int  # RecurringGroup.Weekday value, Monday = 0
    start: time
    facilitator: str  # demo username
    co_facilitator: str | None = None
    room: str = ""
    video_link: str = ""


MAPLE = "Room 2 (Maple)"
CEDAR = "Room 1 (Cedar)"
WILLOW = "Room 3 (Willow)"
COMMUNITY = "Community Room"

# The counselors who hold caseloads. Each runs the groups of their own
# clients (a morning and an evening Relapse Prevention pair, a Social Support
# group), so that neither sees the other's clients through a group (the
# access policy's group scope) and the demo shows the policy: counselor1
# opens none of counselor2's clients, and the other way round. The
# supervisor, who sees the whole program anyway, runs the groups both
# caseloads share and co-leads the trainee's RP groups.
CASELOAD_COUNSELORS = ("counselor1", "counselor2")

# A recurring group meets on one weekday, so the Matrix Monday/Friday groups
# are pairs. ERS comes before RP on the same mornings (DOMAIN.md section 2).
# It is for everyone in their first four weeks, so one pair serves both
# caseloads: a counselor's own would stand empty in the weeks when none of
# their clients is new.
GROUPS = (
    GroupPlan("ERS Monday AM", "ers", 0, time(9), "supervisor", room=MAPLE),
    GroupPlan("ERS Friday AM", "ers", 4, time(9), "supervisor", room=MAPLE),
    GroupPlan("RP Monday AM", "rp", 0, time(10), "counselor1", room=CEDAR),
    GroupPlan("RP Friday AM", "rp", 4, time(10), "counselor1", room=CEDAR),
    GroupPlan("RP Monday PM", "rp", 0, time(18), "counselor2", "supervisor", room=CEDAR),
    GroupPlan("RP Friday PM", "rp", 4, time(18), "counselor2", "supervisor", room=CEDAR),
    GroupPlan(
        "Family Education Wednesday",
        "family",
        2,
        time(18),
        "supervisor",
        room=COMMUNITY,
        video_link="https://meet.openiop.example/family-education",
    ),
    # Social Support holds about ten (its track's size limit). Enrollment runs
    # from week 13 for 36 weeks, so the demo's aftercare clients and those
    # reaching week 13 within the eight weeks ahead need three groups: one of
    # each counselor's and the supervisor's, before Family Education.
    GroupPlan("Social Support Tuesday", "social", 1, time(17), "counselor1", room=WILLOW),
    GroupPlan("Social Support Wednesday", "social", 2, time(16), "supervisor", room=WILLOW),
    GroupPlan("Social Support Thursday", "social", 3, time(17), "counselor2", room=WILLOW),
)

# Added for counselor1 on the seeding day's weekday when none of the groups
# above meets then, so My day always shows a group to document.
EXTRA_GROUP_NAME = "RP {weekday} AM"
EXTRA_GROUP = GroupPlan("", "rp", 0, time(10), "counselor1", room=CEDAR)

# The one group session cancelled in the demo, weeks before the seeding day.
CANCELLED_GROUP = "Social Support Tuesday"
CANCELLED_WEEKS_AGO = 5
CANCEL_REASON = "Facility closed: ice storm warning"

# Attendance statuses and their weights, for most clients and for the few
# who struggle to come (overall about 80% present, 7% late, 8% absent, 5% excused).
STATUS_WEIGHTS = {"present": 82, "late": 7, "absent": 6, "excused": 5}
STRUGGLING_STATUS_WEIGHTS = {"present": 66, "late": 9, "absent": 17, "excused": 8}
STRUGGLING_SHARE = 0.2
PARTICIPATION_WEIGHTS = {
    "active": 40,
    "prompted": 30,
    "attentive": 20,
    "withdrawn": 8,
    "disruptive": 2,
}

# Individual remarks by participation level. {topic} is the quoted topic
# title (or "today's topic"); {risk} a trigger or stressor and {progress} a
# step forward from the client's own story; family remarks take {detail}.
REMARKS = {
    "active": (
        "Shared openly about {risk} and applied the material on {topic} to it; set a plan "
        "for the week.",
        "Led part of the discussion on {topic} with an example about {risk}; named two "
        "coping strategies.",
        "Gave supportive feedback to peers; related {topic} to {progress}.",
        "Completed the worksheet on {topic} and described {risk} as a current trigger.",
        "Volunteered for a refusal-skills role-play around {risk}; engaged throughout the "
        "session on {topic}.",
        "Reported {progress} at check-in; linked it to {topic} and to the plan goal of a "
        "daily schedule.",
        "Spoke about {risk} and named early warning signs discussed under {topic}.",
        "Encouraged newer members by describing {progress}; engaged in the discussion of {topic}.",
    ),
    "prompted": (
        "Shared briefly when prompted about {risk}; agreed that {topic} fits the current "
        "situation.",
        "Needed prompting to join in; when asked, connected {topic} to {risk}.",
        "Answered the facilitator's questions on {topic}; mentioned {progress} without "
        "going into detail.",
        "Quiet at first, then described {risk} when asked; took the handout on {topic} home.",
        "Participated when called on during {topic}; identified {risk} as a risk for the "
        "coming weekend.",
        "When prompted, talked about {progress} and how it relates to {topic}.",
    ),
    "attentive": (
        "Listened attentively during {topic}; shared little but wrote about {risk} on the "
        "worksheet.",
        "Attentive and took notes on {topic}; said {risk} is something to work on in "
        "individual sessions.",
        "Little verbal sharing during {topic}; mentioned {progress} at check-out.",
        "Followed the discussion of {topic} closely; acknowledged {risk} when peers raised "
        "similar issues.",
    ),
    "withdrawn": (
        "Appeared tired and distracted during {topic}; briefly mentioned {risk}. Counselor "
        "to follow up individually.",
        "Withdrawn during {topic}; reported {risk} at check-in. Individual session offered "
        "this week.",
        "Limited engagement in {topic}, left the room twice; said {risk} is weighing "
        "heavily. No safety concerns voiced when asked.",
    ),
    "disruptive": (
        "Side conversations during {topic}, redirected twice; raised {risk} at check-out "
        "and accepted feedback.",
        "Argued with a peer early in {topic}; settled after redirection and talked about {risk}.",
    ),
}

FAMILY_REMARKS = {
    "active": (
        "Engaged with a relative present; discussed {detail} and how {topic} applies at home.",
        "Asked good questions during {topic}; with family talked through {detail}.",
        "Shared with the group about {detail}; a family member added their view during {topic}.",
    ),
    "prompted": (
        "Spoke when prompted about {detail}; the relative present asked questions about {topic}.",
        "Needed encouragement to share, then described {detail} in relation to {topic}.",
    ),
    "attentive": (
        "Attended with a relative and listened during {topic}; raised {detail} with the "
        "facilitator afterwards.",
        "Took notes during {topic}; said the family will keep talking about {detail}.",
    ),
    "withdrawn": (
        "Quiet; a relative did most of the talking about {detail}. Will revisit {topic} in "
        "an individual session.",
        "Seemed uncomfortable during {topic} when {detail} came up; counselor to check in.",
    ),
    "disruptive": (
        "Tense exchange with a relative about {detail}; facilitator de-escalated and "
        "refocused on {topic}.",
    ),
}

# Each client's story: a few risks and steps forward drawn from these.
STORY_RISKS = 3
STORY_PROGRESS = 2
RISKS = (
    "a craving after payday",
    "weekend plans with old using friends",
    "stress from a new work schedule",
    "conflict with a roommate",
    "a court date next month",
    "poor sleep since stopping use",
    "walking past the liquor aisle at the grocery store",
    "boredom on evenings alone",
    "frustration with probation requirements",
    "guilt about missed family events",
    "back pain and worry about pain medication",
    "money worries while paying off old debts",
    "an upcoming holiday gathering where relatives drink",
    "loneliness after moving into sober housing",
    "a close call at a coworker's party",
    "anger after an argument with a sibling",
    "euphoric recall when hearing an old song",
    "cravings that come with afternoon fatigue",
    "shame about a lapse two weeks ago",
    "a friend who still uses calling often",
    "grief over a parent's death last year",
    "pressure from a partner who still drinks",
    "restlessness on Sunday afternoons",
    "tension at home after a long work trip",
)
PROGRESS = (
    "reconnecting with an adult child",
    "picking up a 30-day chip at a home group",
    "deleting a dealer's number",
    "a first meeting with a new sponsor",
    "a new route home that avoids the old bar",
    "a job interview lined up for this week",
    "a good check-in with the case manager",
    "starting to exercise in the mornings",
    "a daily schedule that now fills the evenings",
    "getting a driver's license reinstated",
    "returning to a hobby from before using",
    "an honest talk with a supervisor at work",
    "cooking regular meals again",
    "attending two mutual-help meetings this week",
    "a child's school event attended sober",
    "plans to go back to school",
)

# Family Education: the relatives are in the room, so remarks speak of them.
FAMILY_DETAILS = (
    "a spouse's questions about enabling",
    "keeping alcohol out of the house",
    "an adult child's anger about the past",
    "a sibling who wants to help but does not know how",
    "a partner's worry about relapse warning signs",
    "a family rule about money",
    "the grandparent caring for the children",
    "rebuilding routines at home",
    "a relative's doubt that recovery will last",
    "planning a sober family birthday",
    "talking with the children about treatment",
    "a parent's fear of another overdose",
    "sharing the recovery schedule with the family",
    "visits from a cousin who still uses",
    "trust around car keys and money",
    "who to call when cravings hit at night",
    "boundaries with relatives who drink",
    "the strain of the past year on the marriage",
    "how to respond together to a lapse",
)

# Shared group notes, by track. {topic} is the topic label; {members} and
# {clients} say how many attended ("1 member", "6 members").
SUMMARIES = {
    "ers": (
        "Early Recovery Skills, {topic}. {members} attended. Reviewed the handout; each "
        "member named a personal example and scheduled the next 48 hours with the "
        "scheduling worksheet. Homework: mark high-risk times on the weekly schedule.",
        "Early Recovery Skills, {topic}; {members} present. The facilitator presented the "
        "material; members discussed how it applies in the first weeks of abstinence and "
        "set one concrete goal for the coming days.",
        "Early Recovery Skills session on {topic} ({members}). Members practised the skill "
        "and reported back to the group; questions about cravings and sleep were addressed.",
    ),
    "rp": (
        "Relapse Prevention, {topic}. {members} attended. Check-in on use, cravings and "
        "meetings since the last group, then discussion of the topic with personal "
        "examples. Members identified warning signs and matching coping steps.",
        "Relapse Prevention group, topic {topic}; {members} present. Reviewed the handout; "
        "members shared recent high-risk situations and peers gave feedback. Closing: each "
        "member stated one commitment until the next session.",
        "Relapse Prevention, {topic} ({members}). Facilitator and co-leader led the "
        "discussion; members connected the topic to their relapse prevention plans and "
        "updated them where needed.",
    ),
    "family": (
        "Family Education, {topic}. {clients} attended with family members. Presentation "
        "followed by open questions; families discussed how the topic shows up at home and "
        "what support looks like.",
        "Family Education session, topic {topic}; {clients} and their relatives present, "
        "some by video. Discussion focused on communication and realistic expectations in "
        "early recovery.",
    ),
    "social": (
        "Social Support, {topic}. {members} attended. Open discussion led by members; the "
        "facilitator kept the focus on building a sober support network and on plans for "
        "the week.",
        "Social Support group, topic {topic}; {members} present. Members shared "
        "experiences, offered each other support and exchanged phone numbers for the "
        "weekend.",
    ),
}
