"""The receivables ledger read as one row per charge: what the charge
counts for, what was posted against it, and what the payer and the client
still owe. Every figure of the A/R page is an aggregate over these rows, in
one query whatever the number of charges or postings.

Definitions (the A/R page's help text says the same):

- A charge counts as a receivable once it has been billed: sent to the payer
  (exported, paid or denied); for a self-pay or grant payer, which the
  program bills directly (Payer.bills_clients), once it is ready, since no
  claim leaves for them. Drafted, held and batched charges are not
  receivables yet.
- Its amount counts until a later row cancels it: a void row (from the
  moment it is written: the clinic no longer claims the money) or a
  correction once that correction is billed in its place (the replacement
  claim went out). Until then a sent charge that a redraft superseded still
  counts: its claim is still at the payer. A charge superseded before it was
  billed never counted.
- Postings count on the charge they were posted to, whatever became of it:
  money received for a charge later voided or corrected stays on the books
  until the payer's reversal posts (the charge shows a credit meanwhile).
- Payer balance = amount counted - payer payments - adjustments (CO, OA, PI)
  - patient responsibility (PR moves the amount to the client).
  Client balance = patient responsibility - client payments.
  For a self-pay payer the whole charge is the client's: client balance =
  amount counted - payer payments - adjustments - client payments, payer
  balance 0 (a grant is the funder's to pay, like an insurer's).
  Negative balances are credits and are shown as such, never hidden.
- As of a date: charges with a date of service after it and postings dated
  after it are left out; a charge's status is today's (the ledger keeps no
  history of statuses).
- Aging buckets by date of service: 0-30, 31-60, 61-90, 91-120 and over 120
  days before the as-of date (day 30 is in 0-30, day 121 over 120).

How the rows are computed. The posting totals are correlated subqueries
over Posting (charge_id is indexed). Django inlines an annotation's whole
expression wherever another annotation, a filter or an aggregate refers to
it, and PostgreSQL evaluates each inlined subquery again: balances derived
from the four totals with F() cost a dozen subqueries per charge in every
aggregate. So each balance is written directly as the amount counted less
ONE weighted sum of postings (payer balance: counted - payer payments -
adjustments - patient responsibility; client balance: patient
responsibility - client payments, or for self-pay counted - payer payments
- adjustments - client payments), never from the other annotations, and
the report sums only payer and client balances (their sum is the balance).
An aggregate over the rows evaluates at most one posting subquery per
balance it sums, whatever the number of charges; the four single totals are
computed only where rows are listed. The alternative, one LEFT JOIN on a
derived table of per-charge totals, would need raw SQL in place of these
querysets (the ORM puts no subquery in FROM) for every consumer, with its
own access filtering; at the clinic sizes this serves, the indexed
subqueries evaluated once are not the bottleneck."""

import datetime
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from billing.models import Charge, Payer, Posting

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)

SENT = (Charge.Status.EXPORTED, Charge.Status.PAID, Charge.Status.DENIED)
BILLS_CLIENTS = (Payer.Kind.SELF_PAY, Payer.Kind.GRANT)

# (key, label, oldest day in the bucket, newest day), by age in days.
BUCKETS = (
    ("0-30", "0–30", 0, 30),
    ("31-60", "31–60", 31, 60),
    ("61-90", "61–90", 61, 90),
    ("91-120", "91–120", 91, 120),
    ("120+", "over 120", 121, None),
)
BUCKET_KEYS = tuple(key for key, *_rest in BUCKETS)


def billed_q(prefix: str = "") -> Q:
    """Billed: sent to the payer, or ready for a payer the program bills
    directly (self-pay, grant)."""
    return Q(**{f"{prefix}status__in": SENT}) | Q(
        **{f"{prefix}status": Charge.Status.READY, f"{prefix}payer__kind__in": BILLS_CLIENTS}
    )


def counts_q() -> Q:
    """The charge's amount counts in A/R (see the module's definitions)."""
    cancelled = Charge.objects.filter(replaces=OuterRef("pk")).filter(
        Q(kind=Charge.Kind.VOID) | billed_q()
    )
    live = Q(superseded=False)
    sent_not_yet_replaced = Q(superseded=True, status__in=SENT) & ~Exists(cancelled)
    return billed_q() & ~Q(kind=Charge.Kind.VOID) & (live | sent_not_yet_replaced)


def _posted(as_of: datetime.date, *kinds: str, less: tuple[str, ...] = ()) -> Coalesce:
    """One correlated sum over the charge's postings dated up to `as_of`:
    the amounts of the `kinds` added, those of the `less` kinds taken away.
    Zero without postings."""
    amount = F("amount")
    if less:
        amount = Case(When(kind__in=less, then=-F("amount")), default=F("amount"))
    total = (
        Posting.objects.filter(
            charge=OuterRef("pk"), kind__in=(*kinds, *less), posted_on__lte=as_of
        )
        .order_by()
        .values("charge")
        .annotate(total=Sum(amount, output_field=MONEY))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _bucket(as_of: datetime.date) -> Case:
    whens = [
        When(
            service_date__gte=as_of - datetime.timedelta(days=newest),
            then=Value(key),
        )
        for key, _label, _oldest, newest in BUCKETS
        if newest is not None
    ]
    return Case(*whens, default=Value(BUCKETS[-1][0]), output_field=CharField())


def ledger_rows(charges: QuerySet[Charge], *, as_of: datetime.date) -> QuerySet[Charge]:
    """`charges` (already within the access policy) that carry a balance as
    of `as_of`: those whose amount counts and those with postings, each
    annotated with counted, payer_paid, adjusted, patient_resp, client_paid,
    payer_balance, client_balance, balance and bucket."""
    has_postings = Exists(Posting.objects.filter(charge=OuterRef("pk"), posted_on__lte=as_of))
    self_pay = Q(payer__kind=Payer.Kind.SELF_PAY)
    counted = Case(
        When(counts_q(), then=Coalesce(F("amount"), Value(ZERO))),
        default=Value(ZERO),
        output_field=MONEY,
    )
    # Each balance is the amount counted less one weighted sum of postings,
    # never built from the other annotations (see the module's docstring).
    received = _posted(
        as_of, Posting.Kind.PAYER_PAYMENT, Posting.Kind.ADJUSTMENT, Posting.Kind.PATIENT_PAYMENT
    )
    return (
        charges.filter(service_date__lte=as_of)
        .filter(counts_q() | Q(has_postings))
        .annotate(
            counted=counted,
            payer_paid=_posted(as_of, Posting.Kind.PAYER_PAYMENT),
            adjusted=_posted(as_of, Posting.Kind.ADJUSTMENT),
            patient_resp=_posted(as_of, Posting.Kind.PATIENT_RESPONSIBILITY),
            client_paid=_posted(as_of, Posting.Kind.PATIENT_PAYMENT),
            balance=counted - received,
            client_balance=Case(
                When(self_pay, then=counted - received),
                default=_posted(
                    as_of,
                    Posting.Kind.PATIENT_RESPONSIBILITY,
                    less=(Posting.Kind.PATIENT_PAYMENT,),
                ),
                output_field=MONEY,
            ),
            payer_balance=Case(
                When(self_pay, then=Value(ZERO)),
                default=counted
                - _posted(
                    as_of,
                    Posting.Kind.PAYER_PAYMENT,
                    Posting.Kind.ADJUSTMENT,
                    Posting.Kind.PATIENT_RESPONSIBILITY,
                ),
                output_field=MONEY,
            ),
            bucket=_bucket(as_of),
        )
    )
