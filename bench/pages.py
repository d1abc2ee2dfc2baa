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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import OrganisationKind, User  # noqa: E402
from bench.common import logged_in  # noqa: E402
from projects.models import Project  # noqa: E402


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


def first_view(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    """The dashboard as the first view of the day: its five-minute cache is off."""
    from django.conf import settings

    kept = settings.DASHBOARD_CACHE_SECONDS
    settings.DASHBOARD_CACHE_SECONDS = 0
    try:
        return measure(client, url, repeat)
    finally:
        settings.DASHBOARD_CACHE_SECONDS = kept


def bench_user(kind: str) -> User | None:
    return User.objects.filter(email__endswith="@bench.invalid", organisation__kind=kind).order_by("pk").first()


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
    print(f"{Project.objects.count():,} projects; bench-wsp sees {visible.count():,} active projects")
    ids = ",".join(str(pk) for pk in visible.values_list("pk", flat=True))
    cases = [
        ("projecten list (WSP)", wsp, reverse("projects:list"), measure),
        ("projecten list sorted by SR actueel", wsp, reverse("projects:list") + "?sort=-sr_actueel", measure),
        ("projecten list, search", wsp, reverse("projects:list") + "?projectnaam=1", measure),
        (
            "admin changelist, same projects",
            admin,
            reverse("admin:projects_project_changelist") + f"?id__in={ids}",
            measure,
        ),
    ]
    # The busiest project of the WSP's region with at least 200 lines (the one it is shown).
    busiest = (
        Project.objects.filter(region=wsp.organisation.region, contacts__user=wsp)
        .annotate(lines=Count("inzet"))
        .filter(lines__gte=200)
        .order_by("lines")
        .first()
    )
    if busiest is not None:
        label = f"project detail, {busiest.lines} lines (WSP)"
        cases.append((label, wsp, reverse("projects:detail", args=[busiest.pk]), measure))
    coordinator = bench_user(OrganisationKind.COORDINATIEPUNT)
    on = bench_user(OrganisationKind.OPDRACHTNEMER)
    cases += [
        ("rapportage projecten (coördinatiepunt)", coordinator, reverse("reporting:projects"), measure),
        ("rapportage kandidaten (coördinatiepunt)", coordinator, reverse("reporting:kandidaten"), measure),
        ("kandidaten list (opdrachtnemer)", on, reverse("projects:kandidaat-list"), measure),
        ("e-mail outbox (coördinatiepunt)", coordinator, reverse("notifications:outbox"), measure),
    ]
    for role in (
        OrganisationKind.OPDRACHTGEVER,
        OrganisationKind.OPDRACHTNEMER,
        OrganisationKind.WSP,
        OrganisationKind.COORDINATIEPUNT,
    ):
        user = wsp if role == OrganisationKind.WSP else bench_user(role)
        cases.append((f"home dashboard, first view ({role})", user, reverse("home"), first_view))
        cases.append((f"home dashboard, cached ({role})", user, reverse("home"), measure))
    results = {}
    print(f"{'measurement':44} {'median':>9} {'p95':>9} {'queries':>8}")
    for label, user, url, how in cases:
        median, p95, queries = how(logged_in(user), url, args.repeat)
        results[label] = median
        print(f"{label:44} {median:7.0f}ms {p95:7.0f}ms {queries:8}")
    ratio = results["projecten list (WSP)"] / results["admin changelist, same projects"]
    print(f"portal list / admin changelist (median): {ratio:.2f} (target < 1)")


if __name__ == "__main__":
    main()
