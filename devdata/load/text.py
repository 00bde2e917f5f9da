"""Invented names and phrase banks for the large-clinic generator.

Every name is made up by combination; phones use the 555-01xx block kept
for fiction and emails the reserved example.org domain, so nothing here can
reach a real person.
"""


def _words(names: str) -> tuple[str, ...]:
    return tuple(names.split())


FIRST_FEMALE = _words(
    "Abigail Adriana Alicia Amber Andrea Angela Ashley Beatriz Brenda Brianna Carla Carmen "
    "Caroline Cassandra Claudia Crystal Daniela Denise Diana Elena Erica Esperanza Gabriela "
    "Gloria Hannah Heather Imelda Irene Jasmine Jennifer Jessica Josefina Julia Karen Kayla "
    "Keisha Kimberly Laura Leticia Linda Lisa Lorena Lucia Marisol Megan Melissa Michelle "
    "Monica Nancy Natalie Nicole Olivia Patricia Paula Rachel Rebecca Rocio Rosa Samantha "
    "Sandra Sara Shannon Sofia Stephanie Tamara Teresa Tiffany Valeria Vanessa Veronica "
    "Victoria Wendy Yesenia Yolanda"
)
FIRST_MALE = _words(
    "Aaron Adrian Alberto Alejandro Andre Anthony Antonio Benjamin Brandon Brian Carlos "
    "Christopher Cody Curtis Daniel David Derrick Diego Dwayne Eduardo Emilio Eric Ernesto "
    "Esteban Francisco Gabriel Gerardo Gregory Hector Ignacio Isaac Jacob Jamal Jason Javier "
    "Jeffrey Jerome Jesus Joel Jonathan Jorge Jose Joshua Juan Justin Keith Kevin Luis Marcus "
    "Mario Matthew Miguel Nathan Omar Oscar Patrick Pedro Rafael Raymond Ricardo Robert Ruben "
    "Samuel Sergio Shawn Steven Terrence Timothy Travis Trevor Tyler Victor Wendell William"
)
LAST = _words(
    "Abernathy Acosta Aguilar Alvarado Anaya Arredondo Avila Baker Barnwell Benavides Bennett "
    "Blackwell Brannigan Bryant Caldwell Campbell Carrizales Castillo Chavez Coleman Cortez "
    "Crawford Cruz Delacroix Delgado Dominguez Dunn Ebberly Espinoza Estrada Feliciano "
    "Ferguson Fletcher Flores Foster Fuentes Garza Gibson Gonzalez Graham Griffin Guerrero "
    "Gutierrez Hamilton Harper Hawkins Hayes Henderson Herrera Hollings Holloway Huerta "
    "Jenkins Jimenez Keller Ketchum Kowalczyk Lambert Lindqvist Lozano Maldonado Marsh "
    "Martinez McAllister Medina Mejia Mendoza Mireles Montgomery Morales Moreno Munoz Navarro "
    "Nguyen Ochoa Olson Ortega Owens Padilla Palmer Patel Pena Perkins Porter Pruitt Quintero "
    "Ramirez Reeves Reyes Rios Robertson Rodriguez Rourke Salazar Sandoval Saucedo Schmidt "
    "Serrano Simmons Soto Stackhouse Stanley Sutton Thackeray Tolliver Torres Trevino Tucker "
    "Valdez Vargas Vasquez Vega Villarreal Wallace Warren Webb Wheeler Whitaker Zamarripa"
)
STREETS = (
    "Oak Hollow Dr",
    "Calle Mirasol",
    "Pecan Grove Ln",
    "Riverbend Ave",
    "Mesquite Trl",
    "Cedar Park Blvd",
    "Bluebonnet St",
    "Live Oak Ct",
    "Sunset Ridge Rd",
    "Lamar Blvd",
    "Cypress Creek Rd",
    "Magnolia Way",
)
RELATIONSHIPS = ("Spouse", "Partner", "Mother", "Father", "Sister", "Brother", "Friend", "Aunt")
CREDENTIALS = ("LCDC", "LPC", "LPC-A", "LCSW", "LMSW", "CADC", "LMFT")

PROBLEMS = (
    "Continued stimulant use despite consequences at work and home",
    "Daily alcohol use with withdrawal symptoms on stopping",
    "Opioid use disorder in early remission on medication",
    "Few sober supports; most friends still use",
    "Unstable housing puts recovery at risk",
    "Depressed mood and poor sleep in early recovery",
    "Cravings triggered by stress at work",
    "Conflict with partner about past use",
    "Legal consequences of use (pending DUI case)",
    "Cannabis use daily to manage anxiety",
)
GOALS = (
    "Maintain abstinence from all substances",
    "Build a sober support network",
    "Manage cravings without using",
    "Stabilise mood and sleep",
    "Secure stable, substance-free housing",
    "Repair relationships with family",
    "Meet court and probation requirements",
    "Return to steady work",
)
OBJECTIVES = (
    "Attend two mutual-help meetings a week and bring the signed sheet",
    "Provide negative weekly drug tests",
    "Identify five personal triggers and a coping step for each",
    "Call a sponsor or sober support before acting on a craving",
    "Complete the Early Recovery Skills group sessions",
    "Keep a daily schedule and review it with the counselor weekly",
    "Attend the Family Education group with a family member",
    "Score under 10 on the PHQ-9 at the next review",
    "Apply to two sober-living homes",
    "Take medication as prescribed and attend every prescriber visit",
)
INTERVENTIONS = (
    "Individual counseling using motivational interviewing",
    "Matrix Relapse Prevention group",
    "Random weekly drug testing with feedback",
    "Referral to a peer recovery coach",
    "Coordination with the prescriber on medication",
    "Family education and conjoint sessions",
    "Case management for housing and benefits",
)
FREQUENCIES = ("Weekly", "Twice a week", "Every two weeks", "Monthly", "As needed")

DAP_DATA = (
    "Client arrived on time and reported {days} days without use since the last session.",
    "Client discussed cravings at work this week and the steps taken to manage them.",
    "Client reviewed the weekly schedule and reported attending {meetings} meetings.",
    "Client talked about a conflict at home and how it affected mood and sleep.",
    "Client reported a lapse over the weekend and described the events leading up to it.",
    "Client described progress with the sober support network and a new sponsor.",
)
DAP_ASSESSMENT = (
    "Engaged and motivated; insight into triggers is improving.",
    "Ambivalent about abstinence; stage of change appears to be contemplation.",
    "Mood stable; no safety concerns voiced; coping skills used appropriately.",
    "Elevated stress with increased cravings; relapse risk moderate.",
    "Making steady progress toward the treatment-plan objectives.",
)
DAP_PLAN = (
    "Continue groups; review the trigger worksheet at the next session.",
    "Increase meetings to three a week; next session in two weeks.",
    "Coordinate with the prescriber; follow up on housing referral.",
    "Practise thought stopping daily; bring the craving log next time.",
    "Schedule a conjoint session with the partner.",
)
GROUP_SUMMARY = (
    "Group reviewed {topic}. Members shared examples from the past week and practised the "
    "skills in pairs.",
    "The session covered {topic}. Facilitator led a discussion and a short worksheet; "
    "members set one goal for the week.",
    "{topic}: members identified personal warning signs and planned coping steps.",
)
REMARK_LEAD = {
    "active": ("Shared openly about", "Led the discussion on", "Gave peers feedback about"),
    "prompted": ("Spoke when asked about", "Answered questions on", "Briefly described"),
    "attentive": ("Listened closely to", "Took notes on", "Followed the discussion of"),
    "withdrawn": ("Appeared distracted during", "Said little about", "Left early from"),
    "disruptive": ("Interrupted others during", "Was redirected twice during"),
}
REMARK_DETAIL = (
    "and linked it to a recent weekend",
    "and named a trigger at work",
    "and described a craving this week",
    "and mentioned support from a sponsor",
    "and set a goal for the coming week",
    "and related it to family stress",
    "and reported a meeting attended",
    "and asked for a follow-up session",
)
PLAN_TEXTS = {
    "recovery_goals": "Stay abstinent, keep attending Social Support and two meetings a week.",
    "triggers": "Payday, old friends from the neighbourhood, arguments at home.",
    "warning_signs": "Skipping meetings, isolating, sleeping poorly, romanticising past use.",
    "coping_steps": "Call the sponsor, go to a meeting, use the craving plan, exercise.",
    "people_to_call": "Sponsor, sister, the program's front desk.",
}
DISCHARGE_SUMMARY = {
    1: "Completed the program's treatment plan; stepped down with a continuing-care plan.",
    2: "Stopped attending against professional advice; outreach attempts did not re-engage.",
    3: "Discharged by the program after repeated violations of the treatment agreement.",
    4: "Transferred to another level of care better suited to current needs.",
    5: "Incarcerated; records forwarded with consent.",
    6: "Deceased; see the incident report.",
    7: "Discharged for another reason (moved out of the area).",
}
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
)
