"""Settings for the test run: the production settings module with test-only
values supplied through the same environment variables, plus fast hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# Tests sign in with force_login; MFA's own tests turn it on.
os.environ.setdefault("REQUIRE_MFA", "0")
# seed_demo, seed_load and their tests (tests/devdata); DEBUG is off here.
os.environ.setdefault("DEVDATA", "1")
# The self-report pages' request limits are tested on their own
# (tests/outcomes/test_pages.py); route checks and fuzzing must not hit them.
os.environ.setdefault("SELFREPORT_RATE_PER_ADDRESS", "1000000")
os.environ.setdefault("SELFREPORT_RATE_PER_LINK", "1000000")
# So are the FHIR API's (tests/interop/test_search.py, test_tokens.py).
os.environ.setdefault("FHIR_RATE_PER_MINUTE", "1000000")
os.environ.setdefault("FHIR_TOKEN_RATE_PER_MINUTE", "1000000")
# seed_demo writes the demo FHIR clients' private keys here, not into the
# checkout's var/demo-fhir/ the quick start's curl example reads.
os.environ.setdefault(
    "DEMO_FHIR_DIR", os.path.join(tempfile.gettempdir(), f"openiop-demo-fhir-{os.getpid()}")
)

from iop.settings import *  # noqa: E402, F403

# Hashing strength is not under test; speed is.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S105

# No collectstatic in tests: templates resolve static files from the finders.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - worker and live-server threads must not hold the test database open

# The suite runs without a read replica (everything on the primary);
# tests/test_replica.py connects to the one DATABASE_REPLICA_URL names itself.
DATABASES.pop("replica", None)  # noqa: F405

# Every request of a person records their activity (one session write each),
# as the query counts pinned throughout the suite were measured; the minute's
# resolution of production is tested in tests/accounts/test_sessions.py.
SESSION_ACTIVITY_RESOLUTION_SECONDS = 0
