"""What the administrator's pages read about API clients: their use
(tokens, requests) and the disclosures their requests caused, each page in
a number of queries that does not grow with the clients or their traffic."""

from datetime import timedelta

from django.db import connection
from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from family.models import Disclosure
from interop.models import AccessToken, ApiClient, ApiRequest, ExportJob

RECENT_DAYS = 30


def _request_key(field: str) -> Func:
    """The ApiRequest public id a ledger row of the API names: the gate
    writes Disclosure.reference as "<ApiRequest public_id>:<client pk>"."""
    return Func(F(field), Value(":"), Value(1), function="split_part", output_field=CharField())


def _count(queryset) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("client").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def api_clients_with_use(queryset=None):
    """API clients annotated with tokens_issued, last_token_at and
    requests_recent (the last RECENT_DAYS days): one query, each figure a
    subquery served by the (client, time) indexes."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    tokens = AccessToken.objects.filter(client=OuterRef("pk"))
    return (queryset if queryset is not None else ApiClient.objects.all()).annotate(
        tokens_issued=_count(tokens),
        last_token_at=Subquery(tokens.order_by("-issued_at").values("issued_at")[:1]),
        requests_recent=_count(ApiRequest.objects.filter(client=OuterRef("pk"), at__gte=since)),
    )


# What an API ledger row's reference names ("<public id>:<client pk>"), each
# with the API client it belongs to: a request (interop.api.endpoint writes
# the ApiRequest's public id). The bulk export names its ExportJob instead
# (interop/export/writer.py): add ExportJob here where it exists.
REFERENCE_OWNERS = (ApiRequest, ExportJob)


def disclosure_counts(client_ids: list[int]) -> dict[int, int]:
    """Ledger rows caused by each API client, in one query.

    The ledger names the request (or export), not the client: a join on the
    reference's public id. A hash join of the clients' requests with the
    API's ledger rows (compared as text, so no reference is ever cast)
    costs one pass over the ledger whatever the number of clients."""
    if not client_ids:
        return {}
    quote = connection.ops.quote_name
    owners = " UNION ALL ".join(
        f"SELECT public_id, client_id FROM {quote(model._meta.db_table)} "  # noqa: S608
        "WHERE client_id = ANY(%s)"
        for model in REFERENCE_OWNERS
    )
    sql = (
        "SELECT r.client_id, count(*) "  # noqa: S608 -- table names only
        f"FROM {quote(Disclosure._meta.db_table)} d JOIN ({owners}) r "
        "ON r.public_id::text = split_part(d.reference, ':', 1) "
        "WHERE d.path = %s GROUP BY r.client_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(client_ids)] * len(REFERENCE_OWNERS) + [Disclosure.Path.API])
        return dict(cursor.fetchall())


def recent_requests(client: ApiClient, limit: int = 20):
    """The client's latest requests, each with how many resources it returned
    (counted in the database: the list of them can be thousands long)."""
    return (
        ApiRequest.objects.filter(client=client)
        .defer("returned")
        .annotate(
            returned_count=Func(F("returned"), function="cardinality", output_field=IntegerField())
        )
        .order_by("-at", "-id")[:limit]
    )


def recent_tokens(client: ApiClient, limit: int = 10):
    return AccessToken.objects.filter(client=client).defer("digest").order_by("-issued_at")[:limit]


def recent_disclosures(client: ApiClient, limit: int = 20) -> list[Disclosure]:
    """The latest ledger rows this client caused, with their clients."""
    keys = None
    for model in REFERENCE_OWNERS:
        owned = (
            model.objects.filter(client=client)
            .order_by()
            .annotate(key=Cast("public_id", CharField()))
            .values("key")
        )
        keys = owned if keys is None else keys.union(owned, all=True)
    return list(
        Disclosure.objects.filter(path=Disclosure.Path.API)
        .annotate(request_key=_request_key("reference"))
        .filter(request_key__in=keys)
        .select_related("client", "consent")
        .order_by("-disclosed_at", "-id")[:limit]
    )
