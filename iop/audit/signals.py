"""Sign-in is when the session learns whether to offer emergency access in
the navigation: computed once here, so no page pays a permission query."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from iop.audit.emergency import SESSION_MAY_BREAK_GLASS, may_break_glass


@receiver(user_logged_in)
def _remember_break_glass_permission(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_MAY_BREAK_GLASS] = may_break_glass(user)
