"""Multi-factor authentication for staff (DOMAIN.md section 10): an
authenticator app (TOTP, django-otp) with single-use recovery codes, checked
after the password at every sign-in, and re-authentication before sensitive
changes and bulk exports."""
