"""The columns of the TEDS export, named as TEDS names them, in the order
they are written: the admission record (TEDS-A), the discharge record
(TEDS-D), and both together. The README's table is generated from here
(manage.py teds_columns), with each coded column's value labels."""

from dataclasses import dataclass

from iop.clients.teds import demographics as d
from iop.clients.teds import lists as lists
from iop.clients.teds.codebook import MISSING, Codes, yes_no_labels
from iop.clients.teds.diagnosis import DSMCRIT_LABELS


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    codes: Codes | None = None
    # A column whose values are not a coded list: what it holds.
    values: str = ""
    # A coded column without a choice list of its own (DSMCRIT, REASON).
    labels: dict[int, str] | None = None

    def value_labels(self) -> dict[int, str]:
        return dict(self.codes.labels if self.codes else self.labels or {})


TRANSACTION_TYPES = {"A": "Admission", "D": "Discharge"}
REASON_LABELS = {
    1: "Treatment completed",
    2: "Dropped out of treatment",
    3: "Terminated by facility",
    4: "Transferred to another treatment program or facility",
    5: "Incarcerated",
    6: "Death",
    7: "Other",
}

_TRANTYPE = Column("TRANTYPE", "Transaction type", values="A admission, D discharge")
_IDS = (
    Column("PROVIDER_ID", "Provider identifier", values="the TEDS_PROVIDER_ID setting"),
    Column("CASEID", "Case (episode) identifier", values="record number + 2-digit episode number"),
    Column("CLIENTID", "Client identifier", values="the client's record number"),
    Column("ADMIT_DATE", "Date of admission", values="YYYY-MM-DD"),
)


def _substance(rank: int) -> tuple[Column, ...]:
    which = {1: "Primary", 2: "Secondary", 3: "Tertiary"}[rank]
    return (
        Column(f"SUB{rank}", f"{which} substance at admission", lists.SUB),
        Column(f"ROUTE{rank}", f"Route of administration ({which.lower()})", lists.ROUTE),
        Column(f"FREQ{rank}", f"Frequency of use, past 30 days ({which.lower()})", lists.FREQ),
        Column(f"FRSTUSE{rank}", f"Age at first use ({which.lower()})", values="age in years"),
    )


ADMISSION = (
    _TRANTYPE,
    *_IDS,
    Column("DOB", "Date of birth", values="YYYY-MM-DD"),
    Column("AGE", "Age at admission", values="years"),
    Column("GENDER", "Sex", d.SEX),
    Column("RACE", "Race", d.RACE),
    Column("ETHNIC", "Ethnicity", d.ETHNIC),
    Column("MARSTAT", "Marital status", d.MARSTAT),
    Column("EDUC", "Education", lists.EDUC),
    Column("EMPLOY", "Employment status at admission", lists.EMPLOY),
    Column("DETNLF", "Detailed not in labor force", d.DETNLF),
    Column("PREG", "Pregnant at admission", d.PREG),
    Column("VET", "Veteran status", d.VET),
    Column("LIVARAG", "Living arrangements at admission", lists.LIVARAG),
    Column("PRIMINC", "Source of income/support", d.PRIMINC),
    Column("ARRESTS", "Arrests in the past 30 days at admission", d.ARRESTS),
    Column("SERVICES", "Type of treatment service/setting at admission", lists.SERVICES),
    Column("METHUSE", "Medication-assisted opioid therapy planned", labels=yes_no_labels()),
    Column("DAYWAIT", "Days waiting to enter treatment", values="days from referral"),
    Column("PSOURCE", "Referral source", lists.PSOURCE),
    Column("NOPRIOR", "Previous substance use treatment episodes", values="0-5 (5: five or more)"),
    *_substance(1),
    *_substance(2),
    *_substance(3),
    Column("DSMCRIT", "DSM diagnosis (the episode's primary diagnosis)", labels=DSMCRIT_LABELS),
    Column("HLTHINS", "Health insurance at admission", d.HLTHINS),
    Column("PRIMPAY", "Payment source, primary (expected or actual)", d.PRIMPAY),
    Column(
        "FREQ_ATND_SELF_HELP",
        "Attendance at self-help groups, past 30 days at admission",
        lists.SELF_HELP,
    ),
)

DISCHARGE = (
    _TRANTYPE,
    *_IDS,
    Column("DISC_DATE", "Date of discharge", values="YYYY-MM-DD"),
    Column("REASON", "Reason for discharge", labels=REASON_LABELS),
    Column("LOS", "Length of stay", values="days from admission to discharge"),
    Column("SERVICES_D", "Type of treatment service/setting at discharge", lists.SERVICES),
    Column("EMPLOY_D", "Employment status at discharge", lists.EMPLOY),
    Column("LIVARAG_D", "Living arrangements at discharge", lists.LIVARAG),
    Column("ARRESTS_D", "Arrests in the past 30 days at discharge", d.ARRESTS),
    Column("FREQ1_D", "Frequency of use at discharge (primary substance)", lists.FREQ),
    Column(
        "FREQ_ATND_SELF_HELP_D",
        "Attendance at self-help groups, past 30 days at discharge",
        lists.SELF_HELP,
    ),
)

# Both records of an episode in one row: the admission's columns, then the
# discharge's own (no transaction type: each row is a whole episode).
_ADMISSION_NAMES = {column.name for column in ADMISSION}
COMBINED = tuple(column for column in ADMISSION if column is not _TRANTYPE) + tuple(
    column for column in DISCHARGE if column.name not in _ADMISSION_NAMES
)


def names(columns) -> list[str]:
    return [column.name for column in columns]


def markdown_table() -> str:
    """The README's table: every column of the combined file, what it holds
    or its codes with the codebook's labels, and -9 for missing."""
    lines = ["| column | item | values (-9: missing) |", "|---|---|---|"]
    for column in (_TRANTYPE, *COMBINED):
        labels = column.value_labels()
        values = "; ".join(f"{code} {label}" for code, label in labels.items()) or column.values
        lines.append(f"| `{column.name}` | {column.description} | {values} |")
    return "\n".join(lines) + "\n"


__all__ = ["ADMISSION", "COMBINED", "DISCHARGE", "MISSING", "Column", "markdown_table", "names"]
