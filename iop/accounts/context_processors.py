from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from iop.accounts import roles
from iop.reminders.services import notifications_unread


def _nav_items(user):
    """The navigation a role sees: only what that role uses."""
    items = [(_("Home"), reverse("dashboard:home"))]
    if user.has_role(roles.COUNSELOR):
        items.append((_("My day"), reverse("dashboard:my-day")))
        items.append((_("To do"), reverse("dashboard:worklists")))
        items.append((_("My caseload"), reverse("clients:client-list") + "?mine=1"))
    if user.has_role(*roles.CLINICIANS):
        items.append((_("Groups"), reverse("groups:group-list")))
        items.append((_("Aftercare"), reverse("aftercare:worklist")))
    if user.has_role(roles.SUPERVISOR) and not user.has_role(roles.COUNSELOR):
        items.append((_("To do"), reverse("dashboard:worklists")))
    if user.has_role(*roles.ALL_ROLES):
        items.append((_("Clients"), reverse("clients:client-list")))
    if user.has_role(roles.INTAKE, roles.SUPERVISOR):
        items.append((_("Screening worklist"), reverse("screening:worklist")))
        items.append((_("New referral"), reverse("screening:referral-create")))
    if user.has_role(roles.ADMINISTRATOR, roles.SUPERVISOR):
        items.append((_("Program dashboard"), reverse("dashboard:program")))
    if user.has_role(roles.ADMINISTRATOR):
        items.append((_("Audit trail"), reverse("audit:event-list")))
        items.append((_("System status"), reverse("dashboard:system-status")))
        items.append((_("Staff"), reverse("admin:accounts_user_changelist")))
        items.append((_("Lockouts"), reverse("accounts:lockout-list")))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    context = {"program_name": settings.PROGRAM_NAME, "nav_items": [], "unread_notifications": 0}
    if user is not None and user.is_authenticated:
        context["nav_items"] = _nav_items(user)
        # Break-glass users: remembered in the session at sign-in (no query).
        if request.session.get("audit.may_break_glass"):
            context["nav_items"].append((_("Emergency access"), reverse("audit:emergency-access")))
        # One small indexed count per page (partial index on unread rows).
        context["unread_notifications"] = notifications_unread(user).count()
    return context
