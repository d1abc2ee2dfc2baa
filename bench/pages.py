"""Benchmark: server time and query count of the busiest pages on the bench dataset.

Run after `bench/run manage.py bench_data --factor 1`:

    bench/run bench/pages.py --repeat 20

Per measurement it prints median and p95 server time (Django test client, in-process, no
network) and the query count; the projecten list is compared with the Django admin changelist
showing the same projects (the alternative a team would otherwise build on).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srmonitor.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import OrganisationKind, User  # noqa: E402
from projects.models import Project  # noqa: E402


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.EmailBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "bench", "confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    client.get(url)  # warm caches and connections
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()  # the test client needs it; nothing else changes
    wsp = User.objects.get(email="bench-wsp@bench.invalid")
    admin = User.objects.filter(email="bench-admin@bench.invalid").first() or User.objects.create_superuser(
        "bench-admin@bench.invalid", name="Bench beheer"
    )
    visible = Project.objects.for_user(wsp).active()
    print(f"bench-wsp sees {visible.count():,} active projects")
    ids = ",".join(str(pk) for pk in visible.values_list("pk", flat=True))
    cases = [
        ("projecten list (WSP)", wsp, reverse("projects:list")),
        ("projecten list sorted by SR actueel", wsp, reverse("projects:list") + "?sort=-sr_actueel"),
        ("projecten list, search", wsp, reverse("projects:list") + "?projectnaam=1"),
        ("admin changelist, same projects", admin, reverse("admin:projects_project_changelist") + f"?id__in={ids}"),
        ("home dashboard (WSP)", wsp, reverse("home")),
    ]
    busiest = visible.order_by("-pk").first()
    if busiest is not None:
        cases.append(("project detail (WSP)", wsp, reverse("projects:detail", args=[busiest.pk])))
    for role in (OrganisationKind.OPDRACHTGEVER, OrganisationKind.OPDRACHTNEMER, OrganisationKind.COORDINATIEPUNT):
        user = User.objects.filter(email__endswith="@bench.invalid", organisation__kind=role).first()
        if user is not None:
            cases.append((f"home dashboard ({role})", user, reverse("home")))
    results = {}
    print(f"{'measurement':42} {'median':>9} {'p95':>9} {'queries':>8}")
    for label, user, url in cases:
        median, p95, queries = measure(client_for(user), url, args.repeat)
        results[label] = median
        print(f"{label:42} {median:7.0f}ms {p95:7.0f}ms {queries:8}")
    ratio = results["projecten list (WSP)"] / results["admin changelist, same projects"]
    print(f"portal list / admin changelist (median): {ratio:.2f} (target < 1)")


if __name__ == "__main__":
    main()
