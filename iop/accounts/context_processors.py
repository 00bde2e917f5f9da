from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iop.accounts import roles
from iop.reminders.services import notifications_unread

# The menus of the navigation bar, in their order. Grouping the pages keeps
# the bar on one line down to 1024 px wide for every role (the README's
# accessibility section); a menu that would hold one page is that page's link.
HOME = "home"
MY_WORK = "my-work"
CLIENTS = "clients"
PROGRAM = "program"
BILLING = "billing"
MENU_LABELS = {
    HOME: gettext_lazy("Home"),
    MY_WORK: gettext_lazy("My work"),
    CLIENTS: gettext_lazy("Clients"),
    BILLING: gettext_lazy("Billing"),
    PROGRAM: gettext_lazy("Program"),
}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class NavMenu:
    key: str
    label: str
    links: list[NavLink]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def _nav_entries(user, *, may_break_glass: bool) -> list[tuple[str, str, str]]:
    """The pages a role uses, as (menu, label, url): only what that role uses."""
    entries = [(HOME, _("Home"), reverse("dashboard:home"))]
    if user.has_role(roles.COUNSELOR):
        entries.append((MY_WORK, _("My day"), reverse("dashboard:my-day")))
    if user.has_role(*roles.CLINICIANS):
        entries.append((MY_WORK, _("To do"), reverse("dashboard:worklists")))
        entries.append((MY_WORK, _("Proposed diagnoses"), reverse("clients:diagnoses-proposed")))
        entries.append((MY_WORK, _("Groups"), reverse("groups:group-list")))
        entries.append((MY_WORK, _("Aftercare"), reverse("aftercare:worklist")))
    if user.has_role(roles.COUNSELOR) and not user.has_role(*roles.PROGRAM_WIDE_ROLES):
        # A counselor's outcomes are those of their own caseload.
        entries.append((MY_WORK, _("My outcomes"), reverse("dashboard:outcomes")))
    if user.has_role(roles.COUNSELOR):
        entries.append((CLIENTS, _("My caseload"), reverse("clients:client-list") + "?mine=1"))
    if user.has_role(*roles.ALL_ROLES):
        entries.append((CLIENTS, _("Find a client"), reverse("clients:client-list")))
    if user.has_role(roles.INTAKE, roles.SUPERVISOR):
        entries.append((CLIENTS, _("Screening worklist"), reverse("screening:worklist")))
        entries.append((CLIENTS, _("New referral"), reverse("screening:referral-create")))
    if may_break_glass and user.has_role(*roles.RECORD_ROLES):
        entries.append((CLIENTS, _("Emergency access"), reverse("audit:emergency-access")))
    if user.has_role(*roles.BILLING_STAFF):
        # URL names, not imports: the core does not import the billing app.
        entries.append((BILLING, _("Billing home"), reverse("billing:home")))
        entries.append((BILLING, _("Charges"), reverse("billing:charges")))
        entries.append((BILLING, _("Claims"), reverse("billing:claims")))
        entries.append((BILLING, _("Claim batches"), reverse("billing:batches")))
        entries.append((BILLING, _("Files received"), reverse("billing:inbound-files")))
        entries.append((BILLING, _("Payments to match"), reverse("billing:unmatched-payments")))
        entries.append((BILLING, _("Denials"), reverse("billing:denials")))
        entries.append((BILLING, _("Authorizations"), reverse("billing:authorizations")))
        entries.append((BILLING, _("Accounts receivable"), reverse("billing:receivables")))
        entries.append((BILLING, _("Billing dashboard"), reverse("billing:dashboard")))
        entries.append((BILLING, _("Payers"), reverse("billing:payer-list")))
        entries.append((BILLING, _("Fee schedule"), reverse("billing:fee-list")))
    if user.has_role(roles.ADMINISTRATOR, roles.SUPERVISOR):
        entries.append((PROGRAM, _("Program dashboard"), reverse("dashboard:program")))
        entries.append((PROGRAM, _("Outcomes"), reverse("dashboard:outcomes")))
    if user.has_role(roles.ADMINISTRATOR):
        # URL names, not imports: the core does not import outcomes.
        entries.append((PROGRAM, _("Measurement plan"), reverse("outcomes:plan")))
        entries.append((PROGRAM, _("Not-on-track rules"), reverse("outcomes:rules")))
        entries.append((PROGRAM, _("Audit trail"), reverse("audit:event-list")))
        # URL name, not an import: the core does not import interop.
        entries.append((PROGRAM, _("API clients"), reverse("interop:client-list")))
        entries.append((PROGRAM, _("System status"), reverse("dashboard:system-status")))
        entries.append((PROGRAM, _("Staff"), reverse("admin:accounts_user_changelist")))
        entries.append((PROGRAM, _("Lockouts"), reverse("accounts:lockout-list")))
    return entries


def _nav_menus(entries, *, current: str) -> list[NavMenu]:
    menus = []
    for key, menu_label in MENU_LABELS.items():
        links = [NavLink(label, url, url == current) for menu, label, url in entries if menu == key]
        if links:
            menus.append(NavMenu(key, str(menu_label), links))
    return menus


def navigation(request):
    user = getattr(request, "user", None)
    context = {
        "program_name": settings.PROGRAM_NAME,
        "nav_items": [],
        "nav_menus": [],
        "unread_notifications": 0,
    }
    if user is not None and user.is_authenticated:
        # Break-glass users: remembered in the session at sign-in (no query).
        may_break_glass = bool(request.session.get("audit.may_break_glass"))
        entries = _nav_entries(user, may_break_glass=may_break_glass)
        # Every page the role may open, flat (label, url), as the menus hold them.
        context["nav_items"] = [(label, url) for _menu, label, url in entries]
        context["nav_menus"] = _nav_menus(entries, current=request.get_full_path())
        # One small indexed count per page (partial index on unread rows).
        context["unread_notifications"] = notifications_unread(user).count()
    return context
