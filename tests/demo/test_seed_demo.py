import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from projects.models import Inzet, Project

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_data_loads_and_loads_again_without_duplicates(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = (User.objects.count(), Project.objects.count(), Inzet.objects.count())
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert counts == (User.objects.count(), Project.objects.count(), Inzet.objects.count())
    assert counts[1] == 2 and "wachtwoord: demo-" in first
    # New passwords each run, the same authenticator secrets.
    assert first != second and first.split("TOTP-sleutel: ")[1][:32] == second.split("TOTP-sleutel: ")[1][:32]
    assert all(user.email.endswith(".invalid") for user in User.objects.all())
