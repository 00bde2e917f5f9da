"""Included by iop.accounts.urls, in its namespace. Every page under mfa/ is
reachable by a session that still owes its second factor."""

from django.urls import path

from iop.accounts.mfa import views

urlpatterns = [
    path("mfa/verify/", views.verify, name="mfa-verify"),
    path("mfa/enroll/", views.enroll, name="mfa-enroll"),
    path("me/", views.account, name="account"),
    path("me/email/", views.email_change, name="email-change"),
    path("me/recovery-codes/", views.recovery_codes, name="mfa-recovery-codes"),
    path("me/mfa/remove/", views.remove, name="mfa-remove"),
    path("reauthenticate/", views.reauth, name="reauth"),
]
