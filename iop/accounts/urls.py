from django.urls import path

from iop.accounts import views
from iop.accounts.mfa import urls as mfa_urls

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    *mfa_urls.urlpatterns,
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", views.lockout_unlock_view, name="lockout-unlock"),
    path("session/status/", views.session_status, name="session-status"),
    path("session/keepalive/", views.session_keepalive, name="session-keepalive"),
]
