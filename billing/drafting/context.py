"""What drafting reads, loaded in a fixed number of queries whatever the
number of clients: the service facts of the weeks concerned, the clients'
coverages, the episodes' diagnoses, the fee schedule, the authorizations
with their units used, and the live charges already drafted."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q

from billing.codes import DEGREE_MODIFIERS
from billing.models import Authorization, Charge, Coverage, FeeRate, Payer
from billing.selectors.authorizations import live_charges, with_units_used
from iop.clients.models import Diagnosis
from iop.extensions import BILLABLE_SERVICES, ServiceFact

DEGREE_LEVEL_MODIFIERS = frozenset(modifier.value for modifier in DEGREE_MODIFIERS.values())


@dataclass
class DraftingContext:
    start: date
    end: date
    facts: list[ServiceFact] = field(default_factory=list)
    coverages: dict[int, list[Coverage]] = field(default_factory=dict)
    diagnoses: dict[int, list[Diagnosis]] = field(default_factory=dict)
    rates: list[FeeRate] = field(default_factory=list)
    authorizations: dict[int, list[Authorization]] = field(default_factory=dict)
    live: dict[tuple[int, date], list[Charge]] = field(default_factory=dict)
    # Rendering clinicians: pk -> (credentials, degree level).
    clinicians: dict[int, tuple[str, str]] = field(default_factory=dict)

    def primary_coverage(self, client_id: int, day: date) -> Coverage | None:
        """The client's coverage in force on `day`, primary first (the same
        rule as Coverage.objects.on, applied to the coverages loaded once)."""
        in_force = [
            c
            for c in self.coverages.get(client_id, [])
            if c.effective_from <= day and (c.effective_to is None or c.effective_to >= day)
        ]
        in_force.sort(key=lambda c: (c.order, c.effective_from))
        return in_force[0] if in_force else None

    def rate(self, payer: Payer | None, code: str, modifiers: list[str], day: date):
        """The rate of the code with exactly these modifiers on `day`, else
        without the degree-level modifier (it names who rendered the service,
        and a schedule may or may not price it apart), else the code's rate
        without modifiers; self-pay and grant payers (and no payer) use the
        program's rate (FeeRate with no payer)."""
        payer_id = None if payer is None or payer.bills_clients else payer.pk
        wanted = sorted(modifiers)
        candidates = [
            r
            for r in self.rates
            if r.payer_id == payer_id
            and r.code == code
            and r.effective_from <= day
            and (r.effective_to is None or r.effective_to >= day)
        ]
        without_degree = [m for m in wanted if m not in DEGREE_LEVEL_MODIFIERS]
        for match in (wanted, without_degree, []):
            found = [r for r in candidates if sorted(r.modifiers) == match]
            if found:
                return max(found, key=lambda r: r.effective_from)
        return None

    def diagnosis_codes(self, episode_id: int, day: date) -> list[str]:
        """The episode's confirmed diagnoses current on `day`, by rank: up to
        the claim's 4 diagnosis pointers."""
        current = [
            d
            for d in self.diagnoses.get(episode_id, [])
            if d.date_made <= day and (d.date_resolved is None or d.date_resolved > day)
        ]
        current.sort(key=lambda d: (d.rank, d.pk))
        return [d.icd10_code for d in current][:4]


def drafting_context(client_ids: set[int], start: date, end: date) -> DraftingContext:
    context = DraftingContext(start=start, end=end)
    for source in BILLABLE_SERVICES:
        context.facts.extend(source(client_ids, start, end))
    context.facts.sort(key=lambda f: (f.client_id, f.starts_at, f.source))
    overlapping = Q(effective_from__lte=end) & (
        Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    )
    coverages = list(
        Coverage.objects.filter(overlapping, client_id__in=client_ids).select_related("payer")
    )
    for coverage in coverages:
        context.coverages.setdefault(coverage.client_id, []).append(coverage)
    episode_ids = {fact.episode_id for fact in context.facts}
    for diagnosis in Diagnosis.objects.filter(
        episode_id__in=episode_ids, status=Diagnosis.Status.CONFIRMED
    ):
        context.diagnoses.setdefault(diagnosis.episode_id, []).append(diagnosis)
    payer_ids = {c.payer_id for c in coverages}
    context.rates = list(
        FeeRate.objects.filter(overlapping).filter(
            Q(payer_id__in=payer_ids) | Q(payer__isnull=True)
        )
    )
    authorizations = with_units_used(
        Authorization.objects.filter(
            coverage_id__in=[c.pk for c in coverages if c.payer.requires_authorization],
            starts_on__lte=end,
            ends_on__gte=start,
        )
    )
    for authorization in authorizations:
        context.authorizations.setdefault(authorization.coverage_id, []).append(authorization)
    for charge in (
        live_charges()
        .filter(client_id__in=client_ids, service_date__gte=start, service_date__lte=end)
        .prefetch_related("evidence")
        .order_by("service_date", "pk")
    ):
        context.live.setdefault((charge.client_id, charge.service_date), []).append(charge)
    if any(c.payer.credential_modifier for c in coverages):
        clinician_ids = {fact.clinician_id for fact in context.facts if fact.clinician_id}
        context.clinicians = {
            pk: (credentials, degree)
            for pk, credentials, degree in get_user_model()
            .objects.filter(pk__in=clinician_ids)
            .values_list("pk", "credentials", "degree_level")
        }
    return context
