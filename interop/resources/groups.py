"""Group (base FHIR R4 Group; US Core 6.1.0 profiles no Group): the
program's Matrix groups, so a bulk export can name one (`Group/{id}/$export`,
Bulk Data Access 2.0).

An actual group of persons: its name, whether it meets, and how many clients
are enrolled now. The member list is left out of the read: who attends a
substance use disorder group is each member's Part 2 record, disclosed only
by the group's export, member by member through the consent gate
(interop.export). So the resource itself is not client data.
"""

from django.db.models import Count, DateTimeField, Q, QuerySet, Value

from groups.models import Enrollment, RecurringGroup
from interop.api import params
from interop.api.registry import NOT_CLIENT_DATA, ResourceType, SearchParam, Source, register

# Base R4 Group (http://hl7.org/fhir/R4/group.html): no US Core profile.
PROFILE = "http://hl7.org/fhir/StructureDefinition/Group"


def members_now(group_public_id) -> QuerySet:
    """The client ids enrolled in the group now (active enrollments): the
    members a Group export reads, and what Group.quantity counts."""
    return Enrollment.objects.filter(
        group__public_id=group_public_id, status=Enrollment.Status.ACTIVE
    ).values("episode__client_id")


def _queryset():
    return RecurringGroup.objects.select_related("track").annotate(
        members=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ACTIVE)),
        # A recurring group keeps no time of last change: no meta.lastUpdated,
        # and an export's _since does not leave it out (Bulk Data 2.0 lets a
        # server include such resources whatever _since says).
        api_updated=Value(None, output_field=DateTimeField()),
    )


def to_fhir(group: RecurringGroup) -> dict:
    return {
        "active": group.active,
        "type": "person",
        "actual": True,
        "code": {"text": group.track.name},
        "name": group.name,
        "quantity": group.members,
    }


def _name(queryset, value):
    return queryset.filter(name__icontains=value)


GROUP = register(
    ResourceType(
        name="Group",
        profiles=[PROFILE],
        sources=[
            Source(
                queryset=_queryset,
                client_path=None,
                category=NOT_CLIENT_DATA,
                id_of=lambda group: str(group.public_id),
                id_filter=params.id_q,
                to_fhir=to_fhir,
                updated_field="api_updated",
                order=("name", "id"),
                filters={"name": _name},
            )
        ],
        params=[SearchParam("name", "string", "Part of the group's name.")],
        documentation=(
            "The program's Matrix groups; members are not listed. "
            "Group/[id]/$export exports the records of the clients enrolled now."
        ),
    )
)
