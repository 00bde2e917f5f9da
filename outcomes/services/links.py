"""Self-report links: queued through the reminders outbox, their token
issued when the message leaves, opened after the client confirms their date
of birth, answered once.

Invariants, each held by one conditional UPDATE rather than a read then a
write, so two requests (or a replayed POST) cannot both pass:
- the token exists only in the message: it is drawn when the dispatcher
  renders the row (MESSAGE_RENDERERS), and the database keeps its SHA-256;
- a link is live while not used, locked or cancelled and before its
  expiry; it is used once (`used_at` set where it was NULL, in the
  transaction that stores the answers and completes the due measure);
- the third wrong date of birth locks it (`failed_attempts` counted in SQL).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iop.audit.models import AuditEvent
from iop.audit.services import audit_record, audit_record_many
from iop.extensions import REDACTED, RenderedMessage, SendVerdict
from iop.reminders.services import messages_queue
from iop.reminders.services.outbox import client_channels
from outcomes.messages import link_message
from outcomes.models import DueMeasure, SelfReportLink
from outcomes.models.plan import Method
from outcomes.services.plan import matching_administrations
from screening.instruments.translations import languages_of
from screening.models import InstrumentAdministration
from screening.services.administrations import administration_record

KIND = "measure_link"
KEY_PREFIX = "measure-link:"
MAX_TRIES = 3
# secrets.token_urlsafe(32): 43 URL-safe characters. Anything else is not a
# token and is refused before any query.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


class LinkUnavailable(Exception):
    """The link was used, locked, cancelled or expired meanwhile."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _live(now: datetime | None = None):
    links = SelfReportLink.objects.filter(
        used_at__isnull=True, locked_at__isnull=True, cancelled_at__isnull=True
    )
    return links if now is None else links.filter(expires_at__gt=now)


def _language(client, instrument: str) -> str:
    preferred = client.preferred_language or "en"
    return preferred if preferred in languages_of(instrument) else "en"


def _links_and_messages(dues, *, requested_by=None):
    links, queued = [], []
    for due in dues:
        for channel, address in client_channels(due.client):
            link = SelfReportLink(
                due=due,
                channel=channel,
                language=_language(due.client, due.instrument),
                requested_by=requested_by,
            )
            links.append(link)
            queued.append(
                {
                    "key": f"{KEY_PREFIX}{link.public_id}",
                    "kind": KIND,
                    "channel": channel,
                    "client": due.client,
                    "recipient_key": f"client:{due.client_id}",
                    "address": address,
                    "language": link.language,
                }
            )
    return links, queued


def measure_links_send_due(*, today: date | None = None) -> int:
    """The day's links: for every open measure given by link, due by today,
    unanswered and without a live link, one link per channel the client
    consented to and one outbox row per link. Four queries (the measures,
    the links, the outbox rows, the audit rows) whatever their number.
    Returns the links queued."""
    today = today or timezone.localdate()
    dues = list(
        DueMeasure.objects.filter(
            status=DueMeasure.Status.OPEN,
            method=Method.LINK,
            due_on__lte=today,
            closes_on__gte=today,
        )
        .exclude(Exists(_live().filter(due=OuterRef("pk"))))
        .exclude(Exists(matching_administrations()))
        .select_related("client")
    )
    links, queued = _links_and_messages(dues)
    if not links:
        return 0
    with transaction.atomic():
        SelfReportLink.objects.bulk_create(links, batch_size=1000)
        messages_queue(messages=queued)
        audit_record_many(
            actor=None,
            action=AuditEvent.Action.CREATE,
            clients={link.due.client_id: link.due.client for link in links}.values(),
            details={"self_report_link": "queued"},
        )
    return len(links)


def measure_link_send(*, actor, due: DueMeasure, request=None) -> list[SelfReportLink]:
    """A counselor sends a link now: any live link of the measure is
    cancelled (its message, if still waiting, is then refused at send time)
    and a new one goes out on each channel the client consented to."""
    client = due.client
    if due.status != DueMeasure.Status.OPEN:
        raise ValidationError(_("This measure is no longer due."))
    if not client_channels(client):
        raise ValidationError(
            _("The client has not agreed to texts or email: give the measure in person.")
        )
    now = timezone.now()
    with transaction.atomic():
        # Two clicks on "Send a link now" wait for each other here.
        locked = DueMeasure.objects.select_for_update().filter(pk=due.pk)
        if locked.values_list("status", flat=True).first() != DueMeasure.Status.OPEN:
            raise ValidationError(_("This measure is no longer due."))
        _live().filter(due=due).update(cancelled_at=now)
        links, queued = _links_and_messages([due], requested_by=actor)
        SelfReportLink.objects.bulk_create(links)
        messages_queue(messages=queued, now=now)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=due,
            request=request,
            details={"self_report_link": "sent", "channels": [link.channel for link in links]},
        )
    return links


# --- sending: the outbox's renderer and send-time check --------------------------------------


def _link_id(reminder) -> str:
    return reminder.appointment_key.removeprefix(KEY_PREFIX)


def measure_link_check(reminder, now: datetime) -> SendVerdict | None:
    """SEND_CHECKS: a link whose measure was answered, or which a newer link
    replaced, is not sent. No query for other reminders."""
    if reminder.kind != KIND:
        return None
    still_wanted = _live().filter(public_id=_link_id(reminder), due__status=DueMeasure.Status.OPEN)
    return SendVerdict() if still_wanted.exists() else SendVerdict(refusal="measure_closed")


def measure_link_render(reminder, now: datetime) -> RenderedMessage:
    """MESSAGE_RENDERERS["measure_link"]: draw the token now, keep its hash
    and the 72-hour expiry on the link, and word the message; the stored
    copy has the token redacted. A new send (a retry) draws a new token and
    so voids one that never left."""
    token = secrets.token_urlsafe(32)
    issued = (
        _live()
        .filter(public_id=_link_id(reminder))
        .update(
            token_hash=token_digest(token),
            issued_at=now,
            expires_at=now + timedelta(hours=settings.SELFREPORT_LINK_HOURS),
        )
    )
    if not issued:
        raise LinkUnavailable(reminder.appointment_key)
    path = reverse("selfreport:open", args=[token])
    subject, body = link_message(
        channel=reminder.channel, language=reminder.language, url=f"{settings.SITE_URL}{path}"
    )
    return RenderedMessage(subject, body, body.replace(token, REDACTED))


# --- the client's side -------------------------------------------------------------------------


def link_for_token(token: str, *, now: datetime | None = None) -> SelfReportLink | None:
    """The live link this token opens, with its measure and client; None for
    anything else (unknown, expired, used, locked, cancelled, answered),
    which the page answers alike."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    digest = token_digest(token)
    link = (
        _live(now or timezone.now())
        .filter(token_hash=digest, due__status=DueMeasure.Status.OPEN)
        .select_related("due__client")
        .first()
    )
    # The index found it by equality; the comparison the decision rests on
    # takes the same time whatever the digests share.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def _audit(link: SelfReportLink, request, event: str, action=AuditEvent.Action.VIEW, **details):
    audit_record(
        actor=None,
        action=action,
        client=link.due.client,
        obj=link,
        request=request,
        details={"self_report_link": event, **details},
    )


def link_opened(*, link: SelfReportLink, request, page: str) -> None:
    """A page of the link was shown (audited, the client as its viewer)."""
    _audit(link, request, page)


def link_verify(*, link: SelfReportLink, date_of_birth: date, request=None) -> str:
    """Check the date of birth: "verified", "wrong" (tries remain) or
    "locked" (the third wrong one, or a link locked meanwhile). Every
    attempt is audited, never with the date given."""
    expected = link.due.client.date_of_birth
    given = date_of_birth.isoformat() if date_of_birth else ""
    matches = expected is not None and hmac.compare_digest(expected.isoformat(), given)
    now = timezone.now()
    with transaction.atomic():
        if matches:
            verified = _live(now).filter(pk=link.pk).update(verified_at=now)
            outcome = "verified" if verified else "locked"
            _audit(link, request, f"date of birth {outcome}", AuditEvent.Action.UPDATE)
            return outcome
        counted = (
            _live(now)
            .filter(pk=link.pk, failed_attempts__lt=MAX_TRIES)
            .update(
                failed_attempts=F("failed_attempts") + 1,
                locked_at=Case(When(failed_attempts__gte=MAX_TRIES - 1, then=now), default=None),
            )
        )
        tries = SelfReportLink.objects.filter(pk=link.pk).values_list(
            "failed_attempts", "locked_at"
        )[0]
        outcome = "locked" if not counted or tries[1] is not None else "wrong"
        _audit(
            link,
            request,
            "date of birth wrong",
            AuditEvent.Action.UPDATE,
            attempt=tries[0],
            locked=outcome == "locked",
        )
    link.failed_attempts = tries[0]
    return outcome


def link_submit(
    *, link: SelfReportLink, answers: dict, language: str, request=None
) -> InstrumentAdministration:
    """Store the client's answers once: the link is used, the administration
    recorded (scored; a safety flag raised and staff told at once where an
    answer calls for it) and the measure completed, in one transaction.
    Raises LinkUnavailable when the link was used (a replayed POST) or went
    out of date meanwhile, and InstrumentValidationError for answers that
    do not fit the instrument; nothing is stored then."""
    due = link.due
    now = timezone.now()
    with transaction.atomic():
        if not _live(now).filter(pk=link.pk).update(used_at=now):
            raise LinkUnavailable(str(link.public_id))
        administration = administration_record(
            actor=None,
            client=due.client,
            code=due.instrument,
            answers=answers,
            source=InstrumentAdministration.Source.LINK,
            language=language,
            request=request,
        )
        DueMeasure.objects.filter(pk=due.pk, status=DueMeasure.Status.OPEN).update(
            status=DueMeasure.Status.COMPLETED,
            administration=administration,
            completed_at=administration.administered_at,
        )
        # The same measure's link on the other channel has nothing left to do.
        _live().filter(Q(due=due) & ~Q(pk=link.pk)).update(cancelled_at=now)
        _audit(link, request, "answered", AuditEvent.Action.UPDATE, language=language)
    return administration
