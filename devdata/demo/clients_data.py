"""Fixed, fictitious people for `manage.py seed_demo`.

Every name here is invented; any likeness to a real person is coincidence.
Phone numbers use the 555-0100..0199 block reserved for fiction and emails
the reserved example.org / openiop.example domains, so nothing seeded can
reach anyone. Birth dates are written out (not drawn at random) because
legal name + date of birth is how seed_demo recognises a client it already
made: they must not shift when the command's random draws change.
"""

from datetime import date
from typing import NamedTuple

from iop.accounts import roles
from iop.clients.models import Episode


class DemoUser(NamedTuple):
    username: str
    first_name: str
    last_name: str
    role: str
    credentials: str = ""
    in_training: bool = False
    is_staff: bool = False
    licensed_to_diagnose: bool = False
    degree_level: str = ""  # accounts.DegreeLevel value
    # Fictitious individual NPIs near CMS's check-digit example 1234567893,
    # each with a valid check digit, so the demo's claims name a rendering
    # clinician (iop.accounts.npi).
    npi: str = ""


class DemoClient(NamedTuple):
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str  # Client.Sex value
    language: str  # Client.Language value
    preferred_name: str = ""
    gender_identity: str = ""  # Client.GenderIdentity value; derived from sex when blank


DEMO_USERS = (
    # is_staff lets the administrator into the Django admin, where staff and
    # roles are managed through the Administrator group's model permissions.
    DemoUser(
        "admin",
        "Diane",
        "Holloway",
        roles.ADMINISTRATOR,
        "LCSW",
        is_staff=True,
        degree_level="masters",
        npi="1234567802",
    ),
    DemoUser(
        "supervisor",
        "Gloria",
        "Ramírez",
        roles.SUPERVISOR,
        "LPC-S, LCDC",
        licensed_to_diagnose=True,
        degree_level="masters",
        npi="1234567810",
    ),
    DemoUser("intake", "Kevin", "Tran", roles.INTAKE),
    DemoUser(
        "counselor1",
        "Sarah",
        "Lindgren",
        roles.COUNSELOR,
        "LCDC",
        licensed_to_diagnose=True,
        degree_level="bachelors",
        npi="1234567828",
    ),
    # A counselor in training, so co-signature by the supervisor can be tried;
    # not licensed to diagnose, so the diagnoses they record are proposed.
    DemoUser(
        "counselor2",
        "Jamal",
        "Prescott",
        roles.COUNSELOR,
        "LCDC-I",
        in_training=True,
        degree_level="below_bachelors",
        npi="1234567844",
    ),
    # Billing staff: coverage, fee schedule and charges, never the chart.
    DemoUser("billing", "Renee", "Castillo", roles.BILLING),
)

# Forty clients. PHASE_PLAN below gives them their phase by position.
DEMO_CLIENTS = (
    # Screening: referred, not yet admitted.
    DemoClient("Marisol", "Quintero", date(1988, 4, 12), "female", "es"),
    DemoClient("Trevor", "Hollings", date(1979, 11, 3), "male", "en"),
    DemoClient("Keisha", "Barnwell", date(1992, 6, 27), "female", "en"),
    DemoClient("Héctor", "Villaseñor", date(1975, 2, 18), "male", "es"),
    DemoClient("Dana", "Kowalczyk", date(1990, 9, 9), "female", "en", "Dee", "non_binary"),
    DemoClient("Rubén", "Ochoa", date(1984, 12, 30), "male", "es"),
    DemoClient("Shannon", "McAllister", date(1983, 3, 21), "female", "en"),
    DemoClient("Curtis", "Ebberly", date(1969, 7, 14), "male", "en"),
    # Intensive phase; the first two are readmissions.
    DemoClient("Lorena", "Saucedo", date(1986, 1, 25), "female", "es"),
    DemoClient("Wendell", "Pruitt", date(1972, 10, 8), "male", "en"),
    DemoClient("Brianna", "Tolliver", date(1997, 5, 16), "female", "en", "Bri"),
    DemoClient("Alejandro", "Mireles", date(1994, 8, 2), "male", "en", "Alex"),
    DemoClient("Graciela", "Benavides", date(1966, 11, 19), "female", "es"),
    DemoClient("Jerome", "Stackhouse", date(1981, 4, 7), "male", "en"),
    DemoClient("Tamsin", "Rourke", date(1993, 2, 11), "female", "en"),
    DemoClient("Ignacio", "Feliciano", date(1978, 6, 5), "male", "es", "Nacho"),
    DemoClient("Courtney", "Abernath", date(1989, 12, 12), "female", "en"),
    DemoClient("Marcus", "Delacroix", date(1985, 9, 28), "male", "en"),
    DemoClient("Yesenia", "Carrizales", date(1998, 3, 3), "female", "es"),
    DemoClient("Owen", "Thackeray", date(1976, 8, 22), "male", "en"),
    DemoClient("Rocío", "Arredondo", date(1991, 10, 14), "female", "es"),
    DemoClient("Dwayne", "Ketchum", date(1970, 1, 30), "male", "en"),
    DemoClient("Heather", "Lindqvist", date(1987, 7, 7), "female", "en"),
    DemoClient("Esteban", "Zamarripa", date(1982, 5, 19), "male", "es"),
    # Aftercare: stepped down after the intensive phase.
    DemoClient("Natalie", "Brannigan", date(1995, 11, 26), "female", "en"),
    DemoClient("Rigoberto", "Anaya", date(1968, 2, 9), "male", "es"),
    DemoClient("Krista", "Vanderpool", date(1980, 6, 18), "female", "en"),
    DemoClient("Terrell", "Gaskins", date(1990, 4, 4), "male", "en"),
    DemoClient("Maribel", "Ontiveros", date(1977, 9, 13), "female", "es"),
    DemoClient("Logan", "Whitcomb", date(1999, 1, 21), "female", "en", "", "trans_man"),
    DemoClient("Paloma", "Cisneros", date(1984, 8, 31), "female", "en"),
    DemoClient("Franklin", "Oduya", date(1973, 12, 5), "male", "en", "Frank"),
    # Discharged, with a spread of TEDS discharge reasons.
    DemoClient("Araceli", "Montemayor", date(1989, 5, 27), "female", "es"),
    DemoClient("Bradley", "Husted", date(1986, 3, 15), "male", "en", "Brad"),
    DemoClient("Ciara", "Fennimore", date(1996, 7, 23), "female", "en"),
    DemoClient("Joaquín", "Estrada-Ruiz", date(1971, 10, 29), "male", "es"),
    DemoClient("Lakisha", "Prewitt", date(1983, 1, 8), "female", "en"),
    DemoClient("Dominic", "Sorrentino", date(1979, 4, 26), "male", "en", "Dom"),
    DemoClient("Elena", "Magallanes", date(1992, 12, 17), "female", "es"),
    DemoClient("Russell", "Tibbetts", date(1965, 6, 11), "male", "en"),
)

# Where each client of DEMO_CLIENTS ends up, by position: 8 in screening,
# 16 intensive, 8 in aftercare and 8 discharged for a spread of TEDS reasons.
FINAL_DISCHARGE_REASONS = (
    Episode.DischargeReason.COMPLETED,
    Episode.DischargeReason.COMPLETED,
    Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    Episode.DischargeReason.TERMINATED,
    Episode.DischargeReason.TRANSFERRED,
    Episode.DischargeReason.INCARCERATED,
    Episode.DischargeReason.OTHER,
)
PHASE_PLAN = (
    [(Episode.Phase.SCREENING, None)] * 8
    + [(Episode.Phase.INTENSIVE, None)] * 16
    + [(Episode.Phase.AFTERCARE, None)] * 8
    + [(Episode.Phase.DISCHARGED, reason) for reason in FINAL_DISCHARGE_REASONS]
)
# Positions of readmitted clients, with how their earlier episode ended.
READMISSIONS = {
    8: Episode.DischargeReason.LEFT_AGAINST_ADVICE,
    9: Episode.DischargeReason.TERMINATED,
}

STREETS = (
    "Oak Hollow Dr",
    "Calle Mirasol",
    "Pecan Grove Ln",
    "Riverbend Ave",
    "Mesquite Trl",
    "Lantana Ct",
    "Cedar Ridge Rd",
    "Bluebonnet Way",
)

# Emergency contacts: (first name, relationship, last name). A blank last
# name means the contact shares the client's.
EMERGENCY_CONTACTS = (
    ("Linda", "mother", ""),
    ("Carlos", "brother", ""),
    ("Angela", "spouse", ""),
    ("Ray", "father", ""),
    ("Beatriz", "sister", ""),
    ("Tom", "friend", "Whitfield"),
    ("Yolanda", "aunt", ""),
    ("Chris", "partner", "Navarro"),
)
