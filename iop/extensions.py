"""The extension points the core offers to feature apps, in one module.

The core (iop.clients, iop.audit, iop.reminders) never imports the feature
apps (DESIGN.md): a feature app adds to the core's pages, access policy,
lifecycle and background work by registering an entry here, the plugin API
documented in one module as pretix documents its hooks (pretix/base/signals.py).
Each app registers in one module, `<app>/extensions.py`, whose `register()`
its AppConfig.ready() calls, and nowhere else (tests/test_extensions.py).

Every extension point is a `Registry` (iop/registry.py), and all behave the same:

- an entry is registered under a name; registering a name again replaces
  the entry and its order (a second ready(), or a test, does no harm);
- each entry has an explicit `order`; iteration goes by order, then name,
  never by the order in which apps happened to load;
- what an entry may cost is part of its contract: each extension point's
  docstring gives its query budget, and the tests of the page or task that
  calls it pin the counts.

The module imports no model, so any core module can import it at module
level without an import cycle.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict

from iop.registry import Registry

if TYPE_CHECKING:
    from django.db.models import Q
    from django.http import HttpRequest

# --- the client chart -------------------------------------------------------------------------

# (user, client) -> whether the user sees a chart section.
Visibility = Callable[[Any, Any], bool]


def everyone(user, client) -> bool:
    """The default visibility: whoever may open the chart sees the section."""
    return True


@dataclass(frozen=True)
class ChartSection:
    """A section of the client chart. Its name in CHART_SECTIONS is its key
    (the anchor `section-<name>` and the key timeline sources refer to)."""

    title: str
    template: str
    # (request, client, *, printing) -> the template's context, given as `section`.
    context: Callable[["HttpRequest", Any], dict[str, Any]]
    # Where it renders (CHART_REGIONS): "alerts" above the chart (emergency
    # access), "header" in the header that stays on screen (safety flags, in
    # a few words), "overview" on the Overview tab (rendered with the page),
    # "body" in a tab of the section navigation (loaded when opened).
    region: str = "body"
    visible: Visibility = everyone
    # A "body" section's tab: the name of the section heading the tab it
    # joins ("": it heads its own tab, named by `tab_title` or its title).
    tab: str = ""
    tab_title: str = ""


CHART_REGIONS = ("alerts", "header", "overview", "body")


CHART_SECTIONS: Registry[ChartSection] = Registry(
    "chart sections",
    """Sections of the client chart (iop.clients.chart.chart_sections).

    Entry: a ChartSection. `visible(user, client)` says whether the viewer
    sees it; the client comes from the access policy (client_get_for_user),
    which the viewer already passed. A section not visible is not rendered
    at all, not even its title, its context is not computed, and its
    timeline sources are not asked. `context(request, client, *, printing)` returns
    the dict its template receives as `section`; `printing` is True for the
    printed chart, which shows everything on one page (the timeline in full
    rather than loaded later).

    Regions and tabs: "alerts", "header" and "overview" sections render with
    the chart page; "body" sections form the section navigation, one tab per
    section unless a section names another's tab (`tab`: family's consents
    join the family tab). A tab is ordered by its first section and named
    by its heading section's `tab_title` (or title). A tab's sections are
    computed only when it is opened: its own URL, fetched by htmx
    (`clients:client-section`, a fragment of the chart's page view), or the
    page itself for a deep link (`?section=<tab>`); a tab with no section
    visible to the viewer is neither in the navigation nor reachable (404).
    A template rendered in the header receives `compact=True`, and its
    section renders again on the Overview with `compact=False`.

    Called: on every chart page (alerts, header, overview and the opened
    tab), each section fragment (its tab), the printed chart (all) and the
    timeline pages (visible only), in order; within a region, by order
    then name.

    Query budget: `visible` makes none for a client read through
    client_get_for_user (the common case; one at most otherwise);
    `context` makes a fixed number whatever the client's history, and none
    when the section is not visible.
    """,
)


@dataclass(frozen=True)
class TimelineEntry:
    """One documented item on the chart's chronological timeline. `url` is
    the page it links to; the timeline drops it (the entry shows as text)
    where the viewer may not open that page."""

    when: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineSource:
    """Where timeline entries come from: `entries(client, *, viewer, limit)`
    for the chart section named `section`."""

    section: str
    entries: Callable[..., list[TimelineEntry]]


TIMELINE_SOURCES: Registry[TimelineSource] = Registry(
    "timeline sources",
    """Sources of the chart's timeline (iop.clients.chart.chart_timeline).

    Entry: a TimelineSource. `entries(client, *, viewer, limit)` returns
    the client's entries as `viewer` sees them: at most the `limit` newest
    (`limit=None`: every one), in any order. The source is not asked where
    its chart section (`section`, a CHART_SECTIONS name) is not visible to
    the viewer. Links are checked against the roles of the page they lead
    to by the timeline; a source whose links depend on more than that (a
    group session the viewer does not run) leaves the url empty itself.

    Called: for the chart's timeline fragment, the timeline page and the
    printed chart, in order (which also orders entries of the same time).

    Query budget: a fixed number (one; two with a prefetch) whatever the
    client's history; the newest `limit` are chosen in the query.
    """,
)


# --- pages of a session -----------------------------------------------------------------------

# A section of a page another app owns: {"template": ..., "context": {...}},
# or None when it has nothing for that page.
PageSection = Callable[..., dict | None]

NOTE_SECTIONS: Registry[PageSection] = Registry(
    "session note sections",
    """Sections feature apps add to an individual session's note page
    (iop.clients.views.sessions), below the note.

    Entry: section(request, client, appointment, note) -> {"template": ...,
    "context": {...}} or None when it has nothing for that appointment.
    `note` is the SessionNote or None before one is written. A section
    posts to its own app's URLs.

    Called: on every GET and re-rendered POST of the page, in order.

    Query budget: a fixed number, and none for an appointment it does not
    concern.
    """,
)

SESSION_SECTIONS: Registry[PageSection] = Registry(
    "group session sections",
    """Sections other apps add to a group session's page (the groups app's
    session_detail), below the roster.

    Entry: section(request, session) -> {"template": ..., "context": {...}}
    or None when it has nothing for that session. A section posts to its
    own app's URLs.

    Called: on every GET and re-rendered POST of the page, in order.

    Query budget: a fixed number whatever the roster, and none for a
    session it does not concern.
    """,
)


# marker(client_ids, on_date) -> {client_id: [short labels]}
RosterMarker = Callable[[Iterable[int], date], dict[int, list[str]]]

ROSTER_MARKERS: Registry[RosterMarker] = Registry(
    "roster markers",
    """Short markers beside each client on a group session's roster (the
    groups app's session_detail and its attendance row), such as outcomes'
    "BAM due".

    Entry: marker(client_ids, on_date) -> {client_id: [short labels]}:
    a few words each, no score or clinical detail (the roster is read out
    in the room), for the clients among `client_ids` (those the viewer may
    name; the page has applied the access policy) that have one on
    `on_date` (the session's day). A client without a marker is left out.
    Call it through `roster_markers(...)`.

    Called: on every GET and re-rendered POST of the session page and on
    each attendance toggle (its one row), in order; labels of one client
    follow that order.

    Query budget: one query for the whole roster, whatever its size; none
    when `client_ids` is empty.
    """,
)


def roster_markers(client_ids: Iterable[int], on_date: date) -> dict[int, list[str]]:
    """Every ROSTER_MARKERS entry's labels per client, in order; no query
    for an empty roster."""
    client_ids = list(client_ids)
    merged: dict[int, list[str]] = {}
    if not client_ids:
        return merged
    for marker in ROSTER_MARKERS:
        for client_id, labels in marker(client_ids, on_date).items():
            merged.setdefault(client_id, []).extend(labels)
    return merged


def page_sections(registry: Registry[PageSection], *args) -> list[dict]:
    """What each section of `registry` has for this page, in order,
    without those that have nothing."""
    return [item for section in registry if (item := section(*args)) is not None]


# --- the episode of care ----------------------------------------------------------------------

# hook(*, actor, episode, ...) -> None
EpisodeHook = Callable[..., None]

ADMISSION_HOOKS: Registry[EpisodeHook] = Registry(
    "admission hooks",
    """What feature apps do when an episode is admitted
    (iop.clients.services.episode_admit).

    Entry: hook(*, actor, episode, request) -> None; `request` may be None
    (a service called outside a request). The episode has entered the
    intensive phase, with its admission date and primary counselor.

    Called: inside episode_admit's transaction, after the episode changed
    and was audited, in order: the admission and its consequences (group
    enrollment) commit together, and a hook that raises undoes them all.
    A hook writes its own audit rows.

    Query budget: a fixed number (bulk writes, never a query per row).
    """,
)

STEP_DOWN_HOOKS: Registry[EpisodeHook] = Registry(
    "step-down hooks",
    """What feature apps do when an episode steps down from the intensive
    phase to aftercare (iop.clients.services.episode_start_aftercare).

    Entry: hook(*, actor, episode, started_on, request) -> None;
    `started_on` is the first day of aftercare, `request` may be None.

    Called: inside episode_start_aftercare's transaction, after the episode
    changed and was audited, in order; a hook that raises undoes the step.

    Query budget: a fixed number (bulk writes, never a query per row).
    """,
)

DISCHARGE_HOOKS: Registry[EpisodeHook] = Registry(
    "discharge hooks",
    """What feature apps end when an episode is discharged
    (iop.clients.services.episode_discharge).

    Entry: hook(*, actor, episode, discharge_date, request) -> None;
    `request` may be None. A hook ends only its own app's rows (groups:
    the episode's active enrollments); the core itself cancels the
    episode's future appointments and the client's pending reminders.

    Called: inside episode_discharge's transaction, after the episode
    changed and was audited and its future appointments were cancelled,
    before the client's pending reminders are cancelled, in order: the
    discharge and everything it ends commit together, and a hook that
    raises undoes them all.

    Query budget: a fixed number (bulk updates, never a query per row).
    """,
)


# --- billable services -----------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFact:
    """A documented service as billing sees it: the facts a charge rests on
    (who, when, how long, what kind, signed or not), never the note's text.

    `source` names the record ("groups.attendance:<pk>",
    "clients.sessionnote:<pk>", "clients.drugtest:<pk>"); `date` is the
    local date the service started on (a session crossing midnight counts
    on the day it started); `minutes` are the minutes attended (0 for a
    collection); `kind` is one of SERVICE_KINDS; `suggested_code` the code
    the record itself carries, if any ("" otherwise)."""

    client_id: int
    episode_id: int
    source: str
    date: date
    starts_at: datetime
    minutes: int
    kind: str
    suggested_code: str = ""
    clinician_id: int | None = None
    cosigner_id: int | None = None
    signed: bool = False
    awaiting_cosignature: bool = False
    signed_late: bool = False
    mode: str = "in_person"  # or "video"


# What a ServiceFact's `kind` may be.
SERVICE_KINDS = ("group", "individual", "assessment", "family", "drug_test_collection")

# source(client_ids, start_date, end_date) -> the services of those clients
# that started on a day in [start_date, end_date] (both included).
ServiceSource = Callable[[Iterable[int], date, date], list[ServiceFact]]

BILLABLE_SERVICES: Registry[ServiceSource] = Registry(
    "billable services",
    """Where documented services come from, for drafting charges (billing's
    re-evaluation of a client's week).

    Entry: source(client_ids, start_date, end_date) -> list of ServiceFact,
    the services of those clients that started on a day between the two
    dates, both included: services attended (minutes > 0) or collected,
    signed or not (an unsigned service holds its day), never a service
    that did not take place (absent, excused, no-show, cancelled).

    Called: by the drafting service, inside the transaction of whatever
    signed or changed a service (SERVICES_CHANGED), or by a manual
    re-evaluation, in order.

    Query budget: a fixed number per call (one, two with a prefetch)
    whatever the number of clients and services.
    """,
)

# hook(*, client_ids, dates, actor) -> None
ServicesChangedHook = Callable[..., None]

SERVICES_CHANGED: Registry[ServicesChangedHook] = Registry(
    "services changed",
    """What feature apps do when documented services were signed or changed:
    a session note signed or co-signed, an appointment cancelled, a drug
    test recorded (iop.clients.services); a client added to or removed from
    a session's roster, a group session signed (all its attendance at
    once), co-signed or cancelled (groups.services). Saving unsigned
    attendance does not call it (the group page's save stays cheap): the
    day it holds is found unsigned by the next re-evaluation, at the latest
    when the session is signed. Signed notes are locked and addenda are
    text: no service corrects signed attendance.

    Entry: hook(*, client_ids, dates, actor) -> None; `client_ids` and
    `dates` are sets (every client concerned, every date of a service
    that changed); `actor` may be None (a task). Call it through
    `services_changed(...)`.

    Called: inside the transaction of the service that signed or changed,
    after its own writes and audit rows, in order: the signature and its
    consequences (charges drafted) commit together, and a hook that raises
    undoes them all.

    Query budget: a fixed number whatever the number of clients (a group
    session of 12 clients costs what one of 3 does).
    """,
)


def services_changed(*, client_ids: Iterable[int], dates: Iterable[date], actor=None) -> None:
    """Tell every SERVICES_CHANGED hook; nothing when nothing changed."""
    client_ids, dates = set(client_ids), set(dates)
    if not client_ids or not dates:
        return
    for hook in SERVICES_CHANGED:
        hook(client_ids=client_ids, dates=dates, actor=actor)


# --- the access policy ------------------------------------------------------------------------

# scope(user) -> a Q over Client naming the clients the user may see
# through a relationship the scope's app owns.
ClientScope = Callable[[Any], "Q"]

COUNSELOR_SCOPES: Registry[ClientScope] = Registry(
    "counselor scopes",
    """Ways in that widen a counselor's view of clients
    (iop.audit.policy.scopes_of), beside caseload, recently discharged and
    covering.

    Entry: scope(user) -> Q over Client. The name is the scope's name in
    the audit trail (a view event through it records `access: [name]`).

    Called: whenever the policy is asked about a counselor (every
    client-scoped read), in order; the order is that of `access_scopes`.

    Query budget: none. The Q is built without a query: subqueries only,
    preferably uncorrelated `pk__in` (see iop.audit.policy), evaluated
    inside the policy's one query.
    """,
)

INTAKE_SCOPES: Registry[ClientScope] = Registry(
    "intake scopes",
    """Ways in that widen intake staff's view beyond clients in screening
    (screening: clients they recently screened).

    Entry: scope(user) -> Q over Client; the name is the scope's name in
    the audit trail.

    Called: whenever the policy is asked about intake staff, in order.

    Query budget: none, as COUNSELOR_SCOPES.
    """,
)


# --- roles that do not read the clinical record ----------------------------------------------


@dataclass(frozen=True)
class RolePages:
    """Where a role that does not open the chart (iop.accounts.roles.RECORD_ROLES)
    goes instead: its home page and its page of one client, as URL names
    (the client's page takes `client_id`)."""

    roles: tuple[str, ...]
    home: str
    client: str


ROLE_PAGES: Registry[RolePages] = Registry(
    "role pages",
    """The home page and client page of a role that may not open the chart
    (billing: billing:home and billing:client), so the core's landing page
    and client search send such a user where they may go, never to a page
    that answers 403 (DESIGN.md: no link to what the viewer cannot open).

    Entry: a RolePages. The first entry, in order, whose roles the user holds
    wins; a user holding a role that reads the record never asks.

    Called: by the home page (iop.dashboard.views.home, a redirect) and the
    client list (iop.clients.views.records.client_list, each row's link).

    Query budget: none (URL names only).
    """,
)


def role_pages_for(user) -> RolePages | None:
    """The pages of the first registered role `user` holds, if any."""
    return next((pages for pages in ROLE_PAGES if user.has_role(*pages.roles)), None)


# --- reminders and the staff digest -----------------------------------------------------------


class Upcoming(TypedDict, total=False):
    """An appointment to remind of, as reminders_schedule takes it: an
    opaque key (no clinical words), when, where, and whom: the client
    (through their consented channels) and/or other `recipients`."""

    appointment_key: str
    starts_at: datetime
    location: str
    client: object
    recipients: list[dict]


# source(start, end) -> the appointments starting in [start, end)
ReminderSource = Callable[[datetime, datetime], Iterable[Upcoming]]

REMINDER_SOURCES: Registry[ReminderSource] = Registry(
    "reminder sources",
    """Where upcoming appointments come from, for the reminder planner
    (iop.reminders.services.planning.reminders_plan_upcoming).

    Entry: source(start, end) -> iterable of Upcoming for what starts in
    [start, end). The outbox's unique constraint makes planning the same
    appointment twice harmless.

    Called: by the periodic planning task in the worker, outside any
    request, in order.

    Query budget: a fixed number for the window plus a fixed number per
    appointment yielded (the roster of a group session).
    """,
)

# source(user) -> short lines for one staff member's digest
DigestSource = Callable[[Any], list[str]]

DIGEST_SOURCES: Registry[DigestSource] = Registry(
    "digest sources",
    """Lines of the daily staff digest (iop.reminders.sources.digest_lines).

    Entry: source(user) -> list of short lines: counts, never a client's
    name or any clinical detail, counted within the access policy
    (clients_visible_to(user)). An empty list adds nothing.

    Called: once per active staff member by the daily digest task, in
    order (the lines appear in that order).

    Query budget: a fixed number per staff member (one per line at most).
    """,
)


@dataclass(frozen=True)
class SendVerdict:
    """A send-time check's answer about one claimed reminder."""

    # Why it must not go out now (a short code, stored as the skip reason);
    # "" lets it go.
    refusal: str = ""
    # Run once the provider accepted the message, in the transaction that
    # marks the row sent (e.g. a disclosure ledger row); never for a row
    # that was not sent.
    on_sent: Callable[[], None] | None = None


# check(reminder, now) -> a verdict, or None when it has nothing to say
SendCheck = Callable[[Any, datetime], SendVerdict | None]

SEND_CHECKS: Registry[SendCheck] = Registry(
    "send-time checks",
    """What may still stop a reminder when it is sent: what was allowed when
    it was planned may not be any more (a consent expired by date).

    Entry: check(reminder, now) -> SendVerdict, or None for a reminder it
    has nothing to say about. A refusal ends the row "skipped" with the
    refusal as its reason; `on_sent` runs in the transaction that marks the
    row sent.

    Called: by the dispatcher for every claimed row, before the provider,
    in order (iop.reminders.services.dispatch).

    Query budget: none for a reminder it has nothing to say about (a
    client's reminder, for the family check); a fixed number otherwise.
    """,
)


@dataclass(frozen=True)
class RenderedMessage:
    """A message as the dispatcher sends it (`subject`, `body`) and as the
    outbox row keeps it (`stored_body`): the body with any secret it carries
    (a one-time link's token) replaced by REDACTED, so no usable secret ever
    rests in the database."""

    subject: str
    body: str
    stored_body: str


# What stands for a secret in a stored body; the reconciler reads it as
# "any URL-safe token" when it asks the SMS provider whether a message left.
REDACTED = "[redacted]"

# render(reminder, now) -> the message to send now
MessageRenderer = Callable[[Any, datetime], RenderedMessage]

MESSAGE_RENDERERS: Registry[MessageRenderer] = Registry(
    "message renderers",
    """How the dispatcher words an outbox row of a kind the reminders app does
    not own (iop.reminders.services.dispatch._render), keyed by the row's
    `kind` (outcomes: "measure_link", a self-report link).

    Entry: render(reminder, now) -> RenderedMessage. It may issue what the
    message carries at the moment of sending (outcomes issues the link's
    token then, so nothing usable waits in the outbox) and returns the
    body with that secret replaced by REDACTED as `stored_body`, which is
    what the row keeps. Text follows the reminders' rules (iop/reminders/
    texts.py): no clinical word, a neutral sender name only, 160
    characters at most for a text message.

    Called: by the dispatcher for a claimed row the send-time checks let go,
    just before the provider, outside any transaction; one entry per kind,
    so their order never matters. A send retried after
    a provider error renders again (a new token: the old one never left).
    After an interruption the reconciler matches the provider's copy
    against `stored_body`, REDACTED standing for any URL-safe token, so
    exactly-once holds as for other rows.

    Query budget: a fixed number per row (one conditional UPDATE).
    """,
)
