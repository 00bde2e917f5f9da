"""Family members of a client: register a new person, link a person already
known to the program (a sibling's parent), update contact details and the
family member's agreement to be contacted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from family.models import FamilyLink, FamilyMember
from iop.audit.models import AuditEvent
from iop.audit.services import audit_record
from iop.clients.models import Client
from iop.reminders.models import Reminder
from iop.reminders.services import reminders_cancel_for, reminders_readdress


def _clean(data: dict, relationship: str) -> dict:
    values = {name: data.get(name, "") for name in FamilyMember.DETAILS}
    for name in ("first_name", "last_name", "phone", "email"):
        values[name] = (values[name] or "").strip()
    values["sms_consent"] = bool(values["sms_consent"])
    values["email_consent"] = bool(values["email_consent"])
    values["preferred_language"] = values["preferred_language"] or Client.Language.ENGLISH
    errors = {}
    if not values["first_name"]:
        errors["first_name"] = _("Give the family member's first name.")
    if not values["last_name"]:
        errors["last_name"] = _("Give the family member's last name.")
    if relationship not in FamilyLink.Relationship.values:
        errors["relationship"] = _("Choose the relationship to the client.")
    if values["preferred_language"] not in Client.Language.values:
        errors["preferred_language"] = _("Choose a language.")
    if values["sms_consent"] and not values["phone"]:
        errors["phone"] = _("Text messages need a mobile phone number.")
    if values["email_consent"] and not values["email"]:
        errors["email"] = _("Email needs an email address.")
    if errors:
        raise ValidationError(errors)
    return values


def _queued_reminders_follow(member: FamilyMember, changed: list[str]) -> None:
    """Queued reminders go where the family member now agrees to be reached:
    a channel withdrawn is cancelled at once (the planner plans again
    whatever is still allowed), a changed address is used."""
    channels = (
        (Reminder.Channel.SMS, "sms_consent", "phone"),
        (Reminder.Channel.EMAIL, "email_consent", "email"),
    )
    for channel, consent, address in channels:
        if not getattr(member, consent):
            reminders_cancel_for(family_member=member, channel=channel, reason="contact_withdrawn")
        elif address in changed:
            reminders_readdress(
                family_member=member, channel=channel, address=getattr(member, address)
            )


def family_member_add(
    *, actor, client: Client, data: dict, relationship: str, request=None
) -> FamilyLink:
    """Register a person as family of `client`."""
    values = _clean(data, relationship)
    with transaction.atomic():
        member = FamilyMember(**values)
        if member.sms_consent or member.email_consent:
            member.contact_consent_at = timezone.now()
        member.save(force_insert=True)
        link = FamilyLink.objects.create(
            client=client, member=member, relationship=relationship, created_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=member,
            request=request,
            details={"relationship": relationship, "may_contact": member.may_contact},
        )
    return link


def family_member_link(
    *, actor, client: Client, member: FamilyMember, relationship: str, request=None
) -> FamilyLink:
    """Link a person already known to the program to another client. Nothing
    of the first client's record comes with them: consents, attendance and
    the ledger are per client."""
    if relationship not in FamilyLink.Relationship.values:
        raise ValidationError({"relationship": _("Choose the relationship to the client.")})
    with transaction.atomic():
        if FamilyLink.objects.filter(client=client, member=member).exists():
            raise ValidationError({"member": _("This person is already in the client's family.")})
        link = FamilyLink.objects.create(
            client=client, member=member, relationship=relationship, created_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            client=client,
            obj=member,
            request=request,
            details={"relationship": relationship, "linked": True},
        )
    return link


def family_member_update(
    *, actor, link: FamilyLink, data: dict, relationship: str, request=None
) -> FamilyLink:
    """Change contact details, contact agreement and the relationship. A
    withdrawn contact agreement cancels the member's queued reminders."""
    values = _clean(data, relationship)
    with transaction.atomic():
        member = FamilyMember.objects.select_for_update().get(pk=link.member_id)
        was_contactable = member.sms_consent or member.email_consent
        changed = [name for name, value in values.items() if getattr(member, name) != value]
        for name in changed:
            setattr(member, name, values[name])
        fields = [*changed, "updated_at"]
        if (member.sms_consent or member.email_consent) and (
            not was_contactable or {"sms_consent", "email_consent"} & set(changed)
        ):
            member.contact_consent_at = timezone.now()
            fields.append("contact_consent_at")
        member.save(update_fields=fields)
        if relationship != link.relationship:
            link.relationship = relationship
            link.save(update_fields=["relationship"])
            changed.append("relationship")
        if {"sms_consent", "email_consent", "phone", "email"} & set(changed):
            _queued_reminders_follow(member, changed)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            client=link.client,
            obj=member,
            request=request,
            details={"fields": sorted(changed)},
        )
    link.member = member
    return link
