from django.urls import path

from iop.accounts import views
from iop.accounts.mfa import urls as mfa_urls

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    *mfa_urls.urlpatterns,
]
