"""How much of an authorization is used: counted from the live charges that
draw on it, in the one query that lists the authorizations."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from billing.models import Authorization, Charge, UtilizationReview
from iop.accounts import roles
from iop.audit.policy import clients_visible_to
from iop.clients.models import Episode


def live_charges() -> QuerySet[Charge]:
    """Charges that count: not replaced by a later row, not voided."""
    return (
        Charge.objects.filter(superseded=False)
        .exclude(status=Charge.Status.VOIDED)
        .exclude(kind=Charge.Kind.VOID)
    )


def with_units_used(authorizations: QuerySet[Authorization]) -> QuerySet[Authorization]:
    """Annotate `units_used` (live charges' units) without a query per row."""
    used = (
        live_charges()
        .filter(authorization=OuterRef("pk"))
        .order_by()
        .values("authorization")
        .annotate(total=Sum("units"))
        .values("total")
    )
    return authorizations.annotate(
        units_used=Coalesce(Subquery(used, output_field=IntegerField()), Value(0))
    )


def active_on(authorizations: QuerySet[Authorization], day) -> QuerySet[Authorization]:
    return authorizations.filter(starts_on__lte=day, ends_on__gte=day)


# --- status and alerts (DOMAIN.md section 13) -------------------------------------------------

# A billing office asks for more units, or a concurrent review, before the
# authorization runs out: the thresholds the issue sets (80 % of the units,
# 7 days before the end, 3 days before a concurrent review), far enough
# ahead for a payer's usual 2-3 business-day turnaround on a review.
UNITS_ALERT_PERCENT = 80
ENDING_ALERT_DAYS = 7
REVIEW_ALERT_DAYS = 3


class Status:
    UPCOMING = "upcoming"
    ACTIVE = "active"
    ENDING_SOON = "ending_soon"
    EXHAUSTED = "exhausted"
    EXPIRED = "expired"

    LABELS = {
        UPCOMING: _("Not yet started"),
        ACTIVE: _("Active"),
        ENDING_SOON: _("Ending soon"),
        EXHAUSTED: _("Exhausted"),
        EXPIRED: _("Expired"),
    }
    FILTERS = (ACTIVE, ENDING_SOON, EXHAUSTED, EXPIRED)


def with_next_review(authorizations: QuerySet[Authorization]) -> QuerySet[Authorization]:
    """Annotate `next_review`: the next review date of the latest review
    recorded, else the one given with the authorization (append-only: a
    review never rewrites the authorization)."""
    latest = (
        UtilizationReview.objects.filter(authorization=OuterRef("pk"))
        .order_by("-reviewed_on", "-id")
        .values("next_review_on")[:1]
    )
    reviewed = UtilizationReview.objects.filter(authorization=OuterRef("pk"))
    return authorizations.annotate(
        next_review=Case(
            When(Exists(reviewed), then=Subquery(latest, output_field=DateField())),
            default=F("next_review_on"),
        ),
        extended=Exists(Authorization.objects.filter(extends=OuterRef("pk"))),
    )


def status_q(status: str, today: date) -> Q:
    """The authorizations of one status on `today`, for a queryset
    annotated by with_units_used."""
    exhausted = Q(units_used__gte=F("units_authorized"))
    running = Q(starts_on__lte=today, ends_on__gte=today) & ~exhausted
    soon = today + timedelta(days=ENDING_ALERT_DAYS)
    return {
        Status.EXPIRED: Q(ends_on__lt=today),
        Status.EXHAUSTED: Q(ends_on__gte=today) & exhausted,
        Status.ENDING_SOON: running & Q(ends_on__lte=soon),
        Status.ACTIVE: running & Q(ends_on__gt=soon),
        Status.UPCOMING: Q(starts_on__gt=today) & ~exhausted,
    }[status]


def status_of(authorization: Authorization, today: date) -> str:
    """The status of one authorization annotated by with_units_used."""
    if authorization.ends_on < today:
        return Status.EXPIRED
    if authorization.units_used >= authorization.units_authorized:
        return Status.EXHAUSTED
    if authorization.starts_on > today:
        return Status.UPCOMING
    if authorization.ends_on <= today + timedelta(days=ENDING_ALERT_DAYS):
        return Status.ENDING_SOON
    return Status.ACTIVE


def authorizations_listed(
    *, clients: QuerySet, today: date, payer=None, status: str = ""
) -> QuerySet[Authorization]:
    """The program's authorizations (of `clients`, the access policy's),
    with units used and next review, in one query whatever the charges."""
    listed = with_next_review(
        with_units_used(
            Authorization.objects.filter(coverage__client__in=clients).select_related(
                "coverage__client", "coverage__payer"
            )
        )
    )
    if payer is not None:
        listed = listed.filter(coverage__payer=payer)
    if status:
        listed = listed.filter(status_q(status, today))
    return listed.order_by("ends_on", "coverage__client__legal_last_name", "id")


@dataclass(frozen=True)
class Alert:
    kind: str
    authorization: Authorization
    message: str

    @property
    def client(self):
        return self.authorization.coverage.client


class AlertKind:
    UNITS = "units"
    ENDING = "ending"
    REVIEW = "review"

    LABELS = {
        UNITS: _("Units used"),
        ENDING: _("Ending soon"),
        REVIEW: _("Concurrent review due"),
    }


def _alerts_of(authorization: Authorization, today: date) -> list[Alert]:
    alerts = []
    used, authorized = authorization.units_used, authorization.units_authorized
    if used * 100 >= UNITS_ALERT_PERCENT * authorized:
        alerts.append(
            Alert(
                AlertKind.UNITS,
                authorization,
                _("%(used)d of %(authorized)d units used (%(percent)d %%).")
                % {"used": used, "authorized": authorized, "percent": used * 100 // authorized},
            )
        )
    if not authorization.extended and authorization.ends_on <= today + timedelta(
        days=ENDING_ALERT_DAYS
    ):
        alerts.append(
            Alert(
                AlertKind.ENDING,
                authorization,
                _("Ends on %(day)s.")
                % {"day": formats.date_format(authorization.ends_on, "Y-m-d")},
            )
        )
    review = authorization.next_review
    if review is not None and review <= today + timedelta(days=REVIEW_ALERT_DAYS):
        alerts.append(
            Alert(
                AlertKind.REVIEW,
                authorization,
                _("Concurrent review due %(day)s.") % {"day": formats.date_format(review, "Y-m-d")},
            )
        )
    return alerts


def authorization_alerts(today: date, *, clients: QuerySet) -> list[Alert]:
    """What needs doing about the authorizations of `clients` (a queryset
    within the access policy) on `today`: units at least 80 % used, an end
    within 7 days (unless extended), a concurrent review due within 3 days
    (or overdue). Expired authorizations are out of it. One query."""
    ending = today + timedelta(days=ENDING_ALERT_DAYS)
    review = today + timedelta(days=REVIEW_ALERT_DAYS)
    candidates = (
        with_next_review(
            with_units_used(
                Authorization.objects.filter(
                    coverage__client__in=clients, ends_on__gte=today
                ).select_related("coverage__client", "coverage__payer")
            )
        )
        .alias(used_hundredfold=F("units_used") * 100)
        .filter(
            Q(used_hundredfold__gte=F("units_authorized") * UNITS_ALERT_PERCENT)
            | Q(ends_on__lte=ending, extended=False)
            | Q(next_review__lte=review)
        )
        .order_by("ends_on", "id")
    )
    return [alert for authorization in candidates for alert in _alerts_of(authorization, today)]


def alert_counts(alerts: list[Alert]) -> dict[str, int]:
    counts = dict.fromkeys(AlertKind.LABELS, 0)
    for alert in alerts:
        counts[alert.kind] += 1
    return counts


def counselor_alerts(user, today: date) -> list[Alert]:
    """The alerts of the clients whose open episode `user` holds as primary
    counselor (their To do), within the access policy. One query."""
    held = Episode.objects.filter(client=OuterRef("pk"), primary_counselor=user).exclude(
        phase=Episode.Phase.DISCHARGED
    )
    return authorization_alerts(today, clients=clients_visible_to(user).filter(Exists(held)))


def digest_items(user) -> list[str]:
    """The daily digest's line: counts of alerts, never a client's name.
    Billing staff and administrators count the program's (the access
    policy's), a counselor their own clients'. One query."""
    today = timezone.localdate()
    if user.has_role(roles.BILLING, roles.ADMINISTRATOR):
        alerts = authorization_alerts(today, clients=clients_visible_to(user))
    elif user.is_counselor:
        alerts = counselor_alerts(user, today)
    else:
        return []
    counts = alert_counts(alerts)
    if not any(counts.values()):
        return []
    return [
        gettext(
            "Authorizations: %(units)d at 80 %% of their units or more, %(ending)d ending "
            "within 7 days, %(review)d concurrent reviews due within 3 days"
        )
        % {
            "units": counts[AlertKind.UNITS],
            "ending": counts[AlertKind.ENDING],
            "review": counts[AlertKind.REVIEW],
        }
    ]
