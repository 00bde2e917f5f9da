"""OpenIOP settings, read from the environment only (django-environ).

Every variable is documented in the README's configuration table. Development
defaults are safe for a laptop; with DEBUG off, SECRET_KEY has no default and
start-up stops without it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    # No default: a production deployment without a secret must not start.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The name shown in the page header and, when set to something neutral, in
# reminders. Reminders never show it unless REMINDER_SENDER_NAME is set.
PROGRAM_NAME = env("PROGRAM_NAME", default="OpenIOP")
# The provider identifier the state assigned the program, written in every
# TEDS record (TEDS State Instruction Manual, System Data Set); -9 when unset.
TEDS_PROVIDER_ID = env("TEDS_PROVIDER_ID", default="")
# Where in-person services are billed (CMS Place of Service Code Set):
# 57 non-residential substance abuse treatment facility, or 11 office.
BILLING_PLACE_OF_SERVICE = env("BILLING_PLACE_OF_SERVICE", default="57")
# The billing provider printed on superbills: the program's legal name,
# address, type 2 NPI (its check digit verified at start-up,
# billing/provider.py), federal tax ID (EIN) and NUCC taxonomy code. The
# defaults are demo values; a clinic sets its own.
BILLING_PROVIDER_NAME = env("BILLING_PROVIDER_NAME", default="OpenIOP Demo Recovery Center")
BILLING_PROVIDER_ADDRESS = env(
    "BILLING_PROVIDER_ADDRESS", default="100 Main Street, Suite 200, Springfield, IL 62701"
)
BILLING_PROVIDER_NPI = env("BILLING_PROVIDER_NPI", default="1234567893")
BILLING_PROVIDER_TAX_ID = env("BILLING_PROVIDER_TAX_ID", default="12-3456789")
# NUCC Health Care Provider Taxonomy: 261QR0405X, Ambulatory Health Care
# Facilities / Clinic/Center / Rehabilitation, Substance Use Disorder.
BILLING_PROVIDER_TAXONOMY = env("BILLING_PROVIDER_TAXONOMY", default="261QR0405X")
# What a client statement shows on its outside (the envelope window, the
# header): a neutral name and a remit-to address that say nothing of
# substance use treatment (42 CFR Part 2); the provider's legal name above
# may. Defaults are demo values.
BILLING_STATEMENT_NAME = env("BILLING_STATEMENT_NAME", default="Springfield Health Services")
BILLING_STATEMENT_ADDRESS = env("BILLING_STATEMENT_ADDRESS", default=BILLING_PROVIDER_ADDRESS)
# The billing provider's address as 837P loop 2010AA writes it (N3/N4): the
# street, city, two-letter state and a nine-digit ZIP (ZIP+4, which
# 005010X222A1 requires of the billing provider); checked at start-up.
BILLING_PROVIDER_STREET = env("BILLING_PROVIDER_STREET", default="100 Main Street")
BILLING_PROVIDER_CITY = env("BILLING_PROVIDER_CITY", default="Springfield")
BILLING_PROVIDER_STATE = env("BILLING_PROVIDER_STATE", default="IL")
BILLING_PROVIDER_ZIP = env("BILLING_PROVIDER_ZIP", default="627011234")
# Electronic claims (ASC X12 837P 005010X222A1, billing/x12/): the
# interchange sender and receiver ids (ISA06/ISA08, GS02/GS03, qualifier
# ZZ), the receiver's name (loop 1000B), the submitter's contact (loop
# 1000A PER), and ISA15 (T test, P production).
X12_SENDER_ID = env("X12_SENDER_ID", default="OPENIOPDEMO")
X12_RECEIVER_ID = env("X12_RECEIVER_ID", default="CLEARINGHOUSE")
X12_RECEIVER_NAME = env("X12_RECEIVER_NAME", default="Demo Clearinghouse")
X12_CONTACT_NAME = env("X12_CONTACT_NAME", default="Billing Office")
X12_CONTACT_PHONE = env("X12_CONTACT_PHONE", default="2175550100")
X12_USAGE_INDICATOR = env("X12_USAGE_INDICATOR", default="T")
# The clearinghouse channel (billing/clearinghouse.py): off while the URL
# is empty; then batches are downloaded and uploaded by hand.
CLEARINGHOUSE_URL = env("CLEARINGHOUSE_URL", default="")
CLEARINGHOUSE_TOKEN = env("CLEARINGHOUSE_TOKEN", default="")
CLEARINGHOUSE_TIMEOUT_SECONDS = env.int("CLEARINGHOUSE_TIMEOUT_SECONDS", default=30)
# Days a denied line has on the denials worklist before it is overdue,
# counted from the day the remittance is posted (billing/services/denials.py).
DENIAL_WORK_DAYS = env.int("DENIAL_WORK_DAYS", default=30)

# The program's usual drug-test panel: the specimen the test form starts with
# and the substances its "All negative" shortcut records (codes of
# iop.clients.models.Substance; checked at start-up by iop/clients/panel.py).
DRUG_TEST_SPECIMEN = env("DRUG_TEST_SPECIMEN", default="urine")
DRUG_TEST_PANEL = env.list(
    "DRUG_TEST_PANEL",
    default=[
        "amphetamine",
        "methamphetamine",
        "cocaine",
        "opiates",
        "oxycodone",
        "fentanyl",
        "buprenorphine",
        "methadone",
        "benzodiazepines",
        "cannabis",
        "alcohol_etg",
    ],
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    # Before iop.accounts, whose admin module unregisters their device admins.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "iop.accounts",
    "iop.audit",
    "iop.clients",
    "iop.reminders",
    "iop.dashboard",
    "screening",
    "groups",
    "family",
    "aftercare",
    "billing",
    "outcomes",
    "interop",
    # Login throttling by username and address (DOMAIN.md section 10).
    "axes",
]

# seed_demo and seed_load (the devdata app): on in the quick start and the
# tests, off in the production image, which leaves the folder out.
DEVDATA = env.bool("DEVDATA", default=DEBUG)
if DEVDATA:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    # First: a NUL in a header, a cookie, the path or a parameter is a 400
    # before anything reads it (PostgreSQL cannot take it; iop/request_guard.py).
    "iop.request_guard.RejectNulCharactersMiddleware",
    # Browser features the app does not use are off (PERMISSIONS_POLICY_DISABLED).
    "iop.permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header, with a per-request nonce.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After a change, the user's pages read the primary until the replica
    # has replayed it (iop/replica.py; nothing without a replica).
    "iop.replica.ReadYourWritesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A clinic device in kiosk mode reaches its questionnaire and the lock
    # screen only; needs the session, the user and messages.
    "outcomes.middleware.KioskMiddleware",
    # Idle and absolute session limits; needs the user and messages.
    "iop.accounts.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iop.accounts.middleware.NoStoreForAuthenticatedMiddleware",
    "iop.accounts.mfa.middleware.MFARequiredMiddleware",
    # Last, as django-axes requires: turns a locked-out attempt into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iop.urls"
WSGI_APPLICATION = "iop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iop.accounts.context_processors.navigation",
            ],
        },
    },
]

# PostgreSQL only. The Makefile sets DATABASE_URL to a private server under
# var/ when it is unset, so this default is only reached by hand-run commands.
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/openiop"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL's JIT compiles short dashboard queries for longer than they run
# (measured in tests/perf: a 36 ms query took 973 ms with it). Off by default.
if not env.bool("POSTGRES_JIT", default=False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# An optional streaming replica (a hot standby of the primary) for the
# dashboards, drill-downs, exports and the FHIR bulk export (iop/replica.py).
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }
    # A replica that is down must not hold a page for long.
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": 2,
    }
DATABASE_ROUTERS = ["iop.replica.PrimaryReplicaRouter"]
# Skipped when further behind than this; its state is checked this often.
REPLICA_MAX_LAG_SECONDS = env.int("REPLICA_MAX_LAG_SECONDS", default=60)
REPLICA_CHECK_SECONDS = env.int("REPLICA_CHECK_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# django-axes refuses a locked-out username and address before the password
# is checked; ModelBackend does the checking.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Multi-factor authentication (DOMAIN.md section 10): every staff account
# enrolls an authenticator app (TOTP) and confirms each sign-in with a code.
# On by default in production; the quick start (DEBUG=1) leaves it off so the
# demo accounts sign in with a password. A user who enrolled anyway is asked.
REQUIRE_MFA = env.bool("REQUIRE_MFA", default=not DEBUG)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env("MFA_ISSUER", default=PROGRAM_NAME)
# Wrong codes lock a device out for 1, 2, 4, 8... seconds (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Changing one's email or second factor, and bulk exports, ask again for the
# password (and a code) when the last confirmation is older than this.
REAUTH_MAX_AGE_SECONDS = env.int("REAUTH_MAX_AGE_SECONDS", default=5 * 60)

# Idle logoff at 15 minutes (HIPAA 164.312(a)(2)(iii) automatic logoff) and an
# absolute limit of 10 hours, enforced by iop.accounts.sessions, which signs the
# person out with an explanation and an audit row. The session is saved (its
# expiry pushed forward) only on a person's own requests, never on background
# polling, so SESSION_SAVE_EVERY_REQUEST stays off. The stored session outlives
# the idle limit a little so the middleware, not a silent expiry, ends it.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=15 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
# Activity is recorded (the session written) at most this often: a session
# ends up to this much before its idle limit, never after, and a person's
# page views do not each write their session row.
SESSION_ACTIVITY_RESOLUTION_SECONDS = env.int("SESSION_ACTIVITY_RESOLUTION_SECONDS", default=60)
SESSION_COOKIE_AGE = 2 * SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Kiosk mode (outcomes): a clinic device handed to a client locks itself
# after this long without a request (outcomes.middleware).
KIOSK_TIMEOUT_SECONDS = env.int("KIOSK_TIMEOUT_SECONDS", default=10 * 60)

# Login throttling (django-axes): 5 failures for one username from one address
# lock that pair for 15 minutes; others keep signing in. A failure counts until
# AXES_COOLOFF_TIME after the pair's latest failure (see the README).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused without restarting its 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "iop.accounts.views.lockout_response"
AXES_CLIENT_IP_CALLABLE = "iop.accounts.client_ip.client_ip"
# Sign-ins are in the audit trail; lockouts are managed on the app's own page.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Reverse proxies in front of the app that append the peer's address to
# X-Forwarded-For: 0 uses the connection's address, 1 the right-most entry.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles"))
# Files that hold protected health information (insurance card images):
# kept outside MEDIA_ROOT and the static files, never served by a URL of
# their own, only by views that apply the access policy (billing.storage).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve static files from the finders when no collectstatic has run (tests,
# quick start); production images run collectstatic at build time.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console output in development, SMTP in production.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is broker and result store. Tasks take ids, are idempotent and
# time-limited (STYLE.md); the beat schedule lives in iop/celery.py.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# Production hardening; `manage.py check --deploy` is clean with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Preload by default, as HSTS covers subdomains already; a deployment whose
# domain must not enter the browsers' preload list sets SECURE_HSTS_PRELOAD=0
# (and check --deploy then warns, as it should).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent as Permissions-Policy with an empty allowlist each: nothing in the app
# uses them (iop/permissions_policy.py). Only names Chromium recognises: an
# unknown one is reported on the console of every page.
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

# Content-Security-Policy (django-csp): everything from this origin only, no
# inline script, style element or style attribute (tests scan every template),
# and a per-request nonce on the pages' <script> tags.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # Bootstrap's CSS draws its icons from data: URLs; the favicon is data:.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# No client data in logs (iop/logging.py): every handler carries the filter
# that removes exception messages, query strings, request bodies and SQL
# parameters. Django's own loggers write through the root's handler instead
# of the unfiltered ones Django installs (a console, and mail to ADMINS).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_client_data": {"()": "iop.logging.RedactClientDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_client_data"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # django-axes logs every sign-in at INFO; the audit trail has them.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
# Error reports are not mailed (ADMINS stays empty); any report built shows no
# POST value and no local variable.
ADMINS = []
DEFAULT_EXCEPTION_REPORTER_FILTER = "iop.logging.SafeExceptionReporterFilter"

# `manage.py backup_database` (make backup) writes here, owner-only files.
BACKUP_DIR = env("BACKUP_DIR", default=str(BASE_DIR / "var" / "backups"))

# Program settings with defaults from DOMAIN.md (documented in the README).
MUTUAL_HELP_PER_WEEK = env.int("MUTUAL_HELP_PER_WEEK", default=2)
# Days after a discharge during which the counselor who held the episode may
# still open the record (read, addenda): the access policy's last scope.
RECENT_DISCHARGE_ACCESS_DAYS = env.int("RECENT_DISCHARGE_ACCESS_DAYS", default=90)

# Reminders (DOMAIN.md section 8). Client reminders go out these many hours
# before an appointment, never inside the quiet hours (local time).
REMINDER_OFFSETS_HOURS = env.list("REMINDER_OFFSETS_HOURS", cast=int, default=[24, 2])
QUIET_HOURS_START = env.int("QUIET_HOURS_START", default=21)
QUIET_HOURS_END = env.int("QUIET_HOURS_END", default=8)
# A neutral sender name shown in reminders; empty shows none (42 CFR Part 2).
REMINDER_SENDER_NAME = env("REMINDER_SENDER_NAME", default="")
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
# A discreet text ("an alert needs your attention", no client data) to the
# primary counselor and supervisors with a mobile number when a safety flag
# is raised; off by default (the in-app notification is always made).
SAFETY_ALERT_SMS = env.bool("SAFETY_ALERT_SMS", default=False)

# The address clients reach the app at, for links sent by text or email
# (self-report links); no trailing slash.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")
# The clinic's phone, shown to a client beside the 988 Lifeline when their
# own answer raised a safety flag (link or clinic tablet; "" leaves it out).
CLINIC_PHONE = env("CLINIC_PHONE", default="")
# Self-report links (outcomes): valid this many hours after they are sent;
# requests to the link pages allowed per client address and per link in
# SELFREPORT_RATE_WINDOW seconds (counted in Redis).
SELFREPORT_LINK_HOURS = env.int("SELFREPORT_LINK_HOURS", default=72)
SELFREPORT_RATE_PER_ADDRESS = env.int("SELFREPORT_RATE_PER_ADDRESS", default=60)
SELFREPORT_RATE_PER_LINK = env.int("SELFREPORT_RATE_PER_LINK", default=30)
SELFREPORT_RATE_WINDOW = env.int("SELFREPORT_RATE_WINDOW", default=600)
# A request holding a NUL is refused before any middleware reads it
# (iop/request_guard.py); under these prefixes by the named view instead.
REQUEST_GUARD_REFUSALS = {"/fhir/": "interop.views.api.refused_unreadable"}
# The FHIR API (interop): requests each registered client may make per
# minute (counted in Redis; over it, 429), token requests per address per
# minute, and how long a bulk export's files are kept for download.
FHIR_RATE_PER_MINUTE = env.int("FHIR_RATE_PER_MINUTE", default=600)
FHIR_TOKEN_RATE_PER_MINUTE = env.int("FHIR_TOKEN_RATE_PER_MINUTE", default=60)
FHIR_EXPORT_RETENTION_HOURS = env.int("FHIR_EXPORT_RETENTION_HOURS", default=24)
FHIR_EXPORT_DIR = env("FHIR_EXPORT_DIR", default=str(BASE_DIR / "var" / "fhir-export"))
REMINDER_PROVIDER_TIMEOUT = env.float("REMINDER_PROVIDER_TIMEOUT", default=10.0)
REMINDER_MESSAGE_ID_DOMAIN = env("REMINDER_MESSAGE_ID_DOMAIN", default="reminders.invalid")
REMINDER_SMS_FILE = env("REMINDER_SMS_FILE", default=str(BASE_DIR / "var" / "outbox" / "sms.jsonl"))
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="")
# Twilio when configured, else messages are written to REMINDER_SMS_FILE.
REMINDER_SMS_BACKEND = env(
    "REMINDER_SMS_BACKEND",
    default=(
        "iop.reminders.channels.TwilioSmsBackend"
        if TWILIO_ACCOUNT_SID
        else "iop.reminders.channels.FileSmsBackend"
    ),
)

# Aftercare check-ins: (from month, to month, step) from the step-down date.
AFTERCARE_SCHEDULE = [(0, 1, "1w"), (1, 3, "2w"), (3, 12, "1m")]
AFTERCARE_CHECKIN_HOUR = env.int("AFTERCARE_CHECKIN_HOUR", default=10)
