"""What the screening services share: the audit call and the lock on a
completed (signed) screening."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from iop.audit.services import audit_record
from screening.models import Screening


def audit(*, actor, action, client, obj, request=None, **details):
    audit_record(
        actor=actor, action=action, client=client, obj=obj, request=request, details=details
    )


def ensure_draft(screening: Screening) -> None:
    if screening.is_completed:
        raise ValidationError(_("This screening is completed and signed; add an addendum instead."))
