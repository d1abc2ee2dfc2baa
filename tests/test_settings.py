"""Production posture: the settings as deployed pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import Client, login

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "monitor.example.nl",
    }
    for name in (
        "STATIC_MANIFEST",
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "EMAIL_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','srmonitor.settings'); django.setup()",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


@pytest.mark.django_db
def test_pages_with_personal_data_are_not_stored_and_carry_a_strict_csp(olga):
    response = login(Client(), olga).get(reverse("accounts:profile"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_demo_data_refuses_to_load_without_debug():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
