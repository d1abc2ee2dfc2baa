"""What a region's reader sees of it, as plain data: every report's rows (projecten, kandidaten, kosten, overlap),
the dashboard and each project's detailoverzicht. The round trip (test_region_round_trip.py) compares it between two
databases. Run as a script against the database of DATABASE_URL, it prints it as JSON:

    python -m tests.reporting.region_figures figures SLUG READER_EMAIL
    python -m tests.reporting.region_figures invite-and-figures SLUG COORDINATIEPUNT_EMAIL USER_EMAIL

The second first invites the accounts a region import brought in, as the coördinatiepunt does, and has one of them
activate from its welkomstmail, pair an authenticator and pass the login's two steps (the services behind the
pages); it prints who was invited and the figures the coördinatiepunt reads then (one process: Django starts once).

Rows are compared as a sorted list: two rows a report ties on (same name, same dates) come in database order, which
is the order of their ids, and ids differ between databases."""

import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):  # to the second, as the region workbook keeps a moment
        from django.utils import timezone

        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _sorted(rows: list[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def region_figures(slug: str, reader_email: str) -> dict[str, Any]:
    from django.utils import timezone

    from accounts.models import User
    from projects.models import Project
    from reporting.dashboard import dashboard_for
    from reporting.project_exports import overview_sheets
    from reporting.reports import REPORTS

    reader = User.objects.get(email=reader_email)
    reports = {name: _sorted([plain(row) for row in report.rows(reader, {})]) for name, report in REPORTS.items()}
    overviews = [
        {sheet.title: _sorted([plain(row) for row in sheet.rows]) for sheet in overview_sheets(reader, project)}
        for project in Project.objects.filter(region__slug=slug)
    ]
    return {
        "reports": reports,
        "dashboard": plain(dashboard_for(reader, timezone.localdate())),
        "detailoverzichten": _sorted(overviews),
    }


PASSWORD = "Overgestapt-uit-het-oude-systeem-2026"


def invite_and_log_in(coordinatiepunt_email: str, user_email: str) -> dict[str, Any]:
    import re

    from django.contrib.auth import authenticate
    from django.test import RequestFactory
    from django_otp.oath import totp

    from accounts import services
    from accounts.models import User
    from notifications.models import Mail

    coordinatiepunt = User.objects.get(email=coordinatiepunt_email)
    invited = services.imported_users_invite(by=coordinatiepunt)
    mail = Mail.objects.get(template="welkomstmail", to=[user_email])
    match = re.search(r"/activeren/([^/]+)/([^/]+)/", mail.text)
    assert match, mail.text
    from django.utils.http import urlsafe_base64_decode

    uid = int(urlsafe_base64_decode(match.group(1)))
    user = services.link_use(uid=uid, token=match.group(2), purpose="activation", new_password=PASSWORD)
    device = services.totp_device_for_setup(user=user)
    assert services.totp_confirm(user=user, token=f"{totp(device.bin_key):06d}")
    request = RequestFactory().post("/inloggen/", {"email": user_email, "password": PASSWORD})
    assert authenticate(request, email=user_email, password=PASSWORD) == user
    device.refresh_from_db()
    code = f"{totp(device.bin_key, drift=1):06d}"  # the next time step: the pairing used this one
    check = services.login_code_check(user=user, token=code)
    return {"invited": sorted(user.email for user in invited), "login": check.result.name}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    if command == "figures":
        answer = region_figures(*arguments)
    elif command == "invite-and-figures":
        slug, coordinatiepunt_email, user_email = arguments
        answer = {
            "invited": invite_and_log_in(coordinatiepunt_email, user_email),
            "figures": region_figures(slug, coordinatiepunt_email),
        }
    else:
        sys.exit(f"unknown command {command!r}: figures or invite-and-figures (see the module's docstring)")
    print(json.dumps(answer, sort_keys=True))
