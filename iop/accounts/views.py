from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from iop.accounts import roles
from iop.accounts.decorators import role_required
from iop.accounts.forms import LoginForm
from iop.accounts.selectors import lockouts_current
from iop.accounts.services import lockout_unlock
from iop.accounts.sessions import seconds_left


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Each role lands on its dashboard: administrators on the program
        dashboard, everyone else on Home (a counselor's caseload)."""
        user = self.request.user
        if user.is_administrator and not user.is_counselor:
            return resolve_url("dashboard:program")
        return super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    """Signing out signs out everywhere: the user_logged_out receiver
    (iop/accounts/signals.py) ends the user's other sessions too."""


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE). The same for
    every username, known or not, so it confirms no account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)


@role_required(roles.ADMINISTRATOR)
def lockout_list(request):
    return render(
        request,
        "accounts/lockout_list.html",
        {"lockouts": lockouts_current(), "failure_limit": settings.AXES_FAILURE_LIMIT},
    )


def _is_ip_address(value: str) -> bool:
    # The lockout table's address column is inet: anything else fails the query.
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return False
    return True


@role_required(roles.ADMINISTRATOR)
@require_POST
def lockout_unlock_view(request):
    username = request.POST.get("username", "")
    ip_address = request.POST.get("ip_address", "")
    if not username or not ip_address or not _is_ip_address(ip_address):
        return HttpResponseBadRequest()
    lockout_unlock(username=username, ip_address=ip_address, actor=request.user, request=request)
    messages.success(
        request,
        _("%(username)s can sign in again from %(address)s.")
        % {"username": username, "address": ip_address},
    )
    return redirect("accounts:lockout-list")


@login_required
@require_GET
def session_status(request):
    """Seconds left in the session, for the timeout warning. A background
    request: asking does not count as activity."""
    return JsonResponse({"seconds_left": seconds_left(request.session)})


@login_required
@require_POST
def session_keepalive(request):
    """The "Stay signed in" button: a request of the person's own, so the session
    middleware has already counted it as activity."""
    return JsonResponse({"seconds_left": seconds_left(request.session)})
