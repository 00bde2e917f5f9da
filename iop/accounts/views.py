from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from iop.accounts.forms import LoginForm


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
    pass
