"""Production settings pass `manage.py check --deploy` with warnings counted
as failures (DOMAIN.md section 10). The check runs in a child process on
iop.settings (not the test settings) with what a deployment sets: DEBUG off,
a long random secret and its host names."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# The test settings relax these through the environment, and the browser
# tests set DJANGO_ALLOW_ASYNC_UNSAFE (any DJANGO_* goes); a deployment does not.
RELAXED_FOR_TESTS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "DEVDATA",
}


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in RELAXED_FOR_TESTS and not key.startswith("DJANGO_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="iop.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="openiop.example.org",
        **overrides,
    )
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_a_deployment_that_turns_security_off():
    result = _check_deploy(SECURE_SSL_REDIRECT="0", SECURE_HSTS_PRELOAD="0")
    assert result.returncode != 0
    assert "security.W008" in result.stderr
    assert "security.W021" in result.stderr
