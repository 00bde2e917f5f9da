"""What every part of the generator shares: the scale, the clock, the
generated people and episodes, and the loader.

Days are proper ordinals (date.toordinal()) and moments are minute stamps
(day * 1440 + minute of the day, local time), so the generator compares
and adds plain integers; they become text only when a row is written.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from devdata.load.copy import Loader

DAY = 1440  # minutes
YEARS = 3
HISTORY_DAYS = 365 * YEARS
# Group sessions and appointments are planned this far ahead of today.
HORIZON_DAYS = 28


@dataclass(frozen=True)
class Scale:
    """How big the clinic is: everything follows the number of clients."""

    clients: int
    audit_per_client: float = 200

    @property
    def counselors(self) -> int:
        return max(4, round(self.clients / 125))

    @property
    def supervisors(self) -> int:
        return max(1, self.clients // 1000)

    @property
    def intake(self) -> int:
        return max(1, self.clients // 1000)

    @property
    def administrators(self) -> int:
        return max(1, self.clients // 2500)

    @property
    def billing(self) -> int:
        return max(1, self.clients // 1500)

    @property
    def groups(self) -> int:
        return max(8, self.clients // 33)

    @property
    def audit_events(self) -> int:
        return round(self.clients * self.audit_per_client)


@dataclass(slots=True)
class Client:
    id: int
    public_id: str
    sex: str
    language: str
    phone: str
    email: str
    sms: bool
    email_ok: bool
    substance: str  # primary substance at the first referral (ReferralSubstance value)
    birth: int
    referral_stamp: int = 0


@dataclass(slots=True)
class Episode:
    id: int
    public_id: str
    client: Client
    referral: int
    admission: int | None = None
    step_down: int | None = None  # aftercare start
    discharge: int | None = None
    reason: int | None = None
    outcome: str = ""  # completed, transferred, dropped, terminated, other
    phase: str = "screening"
    counselor: int | None = None
    level: str = ""  # level of care at admission
    attend: float = 0.85  # chance of attending a group or session
    objectives: list[int] = field(default_factory=list)  # of the first plan
    medication: str = ""  # MAT drug, if any

    @property
    def intensive_end(self) -> int | None:
        """Last day of the intensive phase (None: still in it)."""
        if self.step_down is not None:
            return self.step_down - 1
        return self.discharge

    def in_care(self, day: int) -> bool:
        if self.admission is None or day < self.admission:
            return False
        return self.discharge is None or day <= self.discharge


@dataclass
class Staff:
    counselors: list[int] = field(default_factory=list)
    supervisors: list[int] = field(default_factory=list)
    intake: list[int] = field(default_factory=list)
    administrators: list[int] = field(default_factory=list)
    billing: list[int] = field(default_factory=list)
    in_training: set[int] = field(default_factory=set)
    usernames: dict[int, str] = field(default_factory=dict)


class Clock:
    """Local days and minute stamps to the text PostgreSQL reads, with the
    program's UTC offset of each day (daylight saving time included)."""

    def __init__(self, now: datetime):
        self.zone = ZoneInfo(settings.TIME_ZONE)
        local = timezone.localtime(now, self.zone)
        self.today = local.date().toordinal()
        self.now = self.today * DAY + local.hour * 60 + local.minute
        self.start = self.today - HISTORY_DAYS
        self.horizon = self.today + HORIZON_DAYS
        self._days: dict[int, tuple[str, str]] = {}

    def _day(self, day: int) -> tuple[str, str]:
        cached = self._days.get(day)
        if cached is None:
            moment = date.fromordinal(day)
            noon = datetime(moment.year, moment.month, moment.day, 12, tzinfo=self.zone)
            offset = noon.utcoffset()
            minutes = int(offset / timedelta(minutes=1))
            sign = "-" if minutes < 0 else "+"
            cached = (moment.isoformat(), f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}")
            self._days[day] = cached
        return cached

    def date(self, day: int) -> str:
        return self._day(day)[0]

    def ts(self, stamp: int, second: int = 0) -> str:
        """A minute stamp as a timestamp with time zone."""
        day, minute = divmod(stamp, DAY)
        iso, offset = self._day(day)
        return f"{iso} {minute // 60:02d}:{minute % 60:02d}:{second:02d}{offset}"

    def weekday(self, day: int) -> int:
        return (day - 1) % 7  # Monday = 0, as date.weekday()


def new_uuid(rng: random.Random) -> str:
    """A version-4 UUID from the generator's seed (reproducible)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Ctx:
    scale: Scale
    seed: int
    clock: Clock
    loader: Loader
    staff: Staff = field(default_factory=Staff)
    clients: list[Client] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    # What the outbox sends reminders for, since reminders were switched on.
    # Groups phase: (session public_id, start stamp, status, location, [Client]).
    group_sessions: list = field(default_factory=list)
    # Appointments phase: (public_id, Client, start stamp, status, location).
    appointments: list = field(default_factory=list)
    # Aftercare phase: (check-in public_id, Client, stamp, status).
    check_ins: list = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """A generator per phase, so changing one phase leaves the others' data alone."""
        return random.Random(f"{self.seed}:{name}")  # noqa: S311 -- synthetic data, not a secret

    def admitted(self) -> list[Episode]:
        return [episode for episode in self.episodes if episode.admission is not None]


def sign_note(ctx: Ctx, rng, start: int, end: int, author: int, recent: bool):
    """Signature fields of a note whose service ran from `start` to `end`:
    (signed_by, signed_at, late, cosign_required, cosigned_by, cosigned_at),
    or None when it is still unsigned. Most notes are signed within hours,
    a few after 72 (late); recent ones are often still open; a counselor in
    training's notes wait for a supervisor's co-signature (SignableNote)."""
    clock = ctx.clock
    if rng.random() > (0.45 if recent else 0.985):
        return None
    roll = rng.random()
    delay = (
        rng.randint(5, 240)
        if roll < 0.7
        else rng.randint(240, 2880)
        if roll < 0.92
        else rng.randint(2880, 4300)
        if roll < 0.97
        else rng.randint(4330, 12000)
    )
    signed = end + delay
    if signed > clock.now:
        return None
    training = author in ctx.staff.in_training
    cosigned = signed + rng.randint(60, 4000) if training else None
    if cosigned is not None and (cosigned > clock.now or rng.random() < 0.05):
        cosigned = None
    return (
        author,
        clock.ts(signed),
        signed > start + 72 * 60,
        training,
        rng.choice(ctx.staff.supervisors) if cosigned else None,
        clock.ts(cosigned) if cosigned else None,
    )


# The signature fields of a note not signed yet.
UNSIGNED = (None, None, False, False, None, None)
