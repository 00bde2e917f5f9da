"""The reminders API for other apps and the staff-facing services.

Other apps call reminders_schedule / reminders_reschedule / reminders_cancel
with who, what kind, when and where (no clinical words), and
reminders_cancel_for / reminders_readdress for what is queued for one
person; this app knows nothing of groups or aftercare."""

from iop.reminders.services.outbox import (
    messages_queue,
    reminders_cancel,
    reminders_cancel_for,
    reminders_readdress,
    reminders_reschedule,
    reminders_schedule,
)
from iop.reminders.services.staff import (
    HEARTBEAT_NAME,
    heartbeat_last,
    heartbeat_record,
    notifications_mark_read,
    notifications_unread,
    staff_alert_texts_queue,
    staff_notify,
)

__all__ = [
    "HEARTBEAT_NAME",
    "messages_queue",
    "heartbeat_last",
    "heartbeat_record",
    "notifications_mark_read",
    "notifications_unread",
    "reminders_cancel",
    "reminders_cancel_for",
    "reminders_readdress",
    "reminders_reschedule",
    "reminders_schedule",
    "staff_alert_texts_queue",
    "staff_notify",
]

from iop.reminders.services.dispatch import (  # noqa: E402
    oldest_due_pending_age,
    reminders_dispatch_due,
)

__all__ += ["oldest_due_pending_age", "reminders_dispatch_due"]
