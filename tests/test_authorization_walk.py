"""Every URL in the URLconf × every role: the answer each must get.

A new URL without an expectation here fails `test_every_url_has_an_expectation_for_every_role`,
so nobody can add a page without deciding who may open it. Objects of another organisation
or region answer 404, exactly like objects that don't exist.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import Client, login

ROLES = ("anonymous", "opdrachtgever", "opdrachtnemer", "wsp", "coordinatiepunt", "superuser")
ALL_LOGGED_IN = {role: 200 for role in ROLES if role != "anonymous"}
LOGIN_REDIRECT = {"anonymous": 302}


@dataclass
class Case:
    """One way to open a URL (its arguments chosen from the cast) and the status per role."""

    expect: dict[str, int]
    kwargs: Callable[[dict], dict] = lambda cast: {}
    label: str = ""
    post_only: bool = False


def public(status: int = 200, logged_in: int | None = None) -> dict[str, int]:
    return {role: (logged_in if logged_in is not None and role != "anonymous" else status) for role in ROLES}


def portal(**overrides: int) -> dict[str, int]:
    return {**LOGIN_REDIRECT, **ALL_LOGGED_IN, **overrides}


def user_pk(name: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk}


def obj(name: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk}


# Users seated in a region see only its objects; opdrachtnemers and beheer read every region.
OWN_REGION_ONLY = {"opdrachtgever": 404, "wsp": 404, "coordinatiepunt": 404}


def csr_edits() -> dict[str, int]:
    return portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, superuser=404)


def nobody_edits() -> dict[str, int]:
    return portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404, superuser=404)


FAKE_LINK = {"uidb64": "MQ", "token": "abc-123"}

# Expectations per URL name. The cast (see `cast` below): Olga is opdrachtgever in Drenthe,
# Otto opdrachtnemer working in Drenthe, Wim WSP Drenthe, Cora coördinatiepunt Drenthe, the
# superuser is functioneel beheer. Olga's colleague sits in her organisation; Gerda is an
# opdrachtgever in Groningen (another region); Nina (neighbour) another opdrachtgever in Drenthe.
EXPECTATIONS: dict[str, list[Case]] = {
    "home": [Case(portal())],
    "accounts:login": [Case(public(200, logged_in=302))],
    "accounts:login-code": [Case(public(302))],  # no password step in progress
    "accounts:logout": [Case(portal(**dict.fromkeys(ALL_LOGGED_IN, 405)))],
    "accounts:activate": [Case(public(200), lambda cast: FAKE_LINK, "invalid link")],
    "accounts:password-reset": [Case(public(200), lambda cast: FAKE_LINK, "invalid link")],
    "accounts:set-password": [Case(public(200))],  # no link in session: explains the link is dead
    "accounts:totp-setup": [Case(public(302))],  # no setup in progress
    "accounts:password-forgotten": [Case(public(200))],
    "accounts:help": [Case(public(200))],
    "accounts:profile": [Case(portal())],
    "accounts:user-list": [Case(portal())],
    "accounts:user-create": [Case(portal())],
    "accounts:user-detail": [
        Case(portal(), lambda cast: {"pk": cast["me"].pk}, "self"),
        Case(portal(), lambda cast: {"pk": cast["colleague"].pk}, "colleague"),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404),
            user_pk("neighbour"),
            "other organisation, same region",
        ),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404), user_pk("gerda"), "other region"
        ),
        Case(portal(**dict.fromkeys(ALL_LOGGED_IN, 404)), lambda cast: {"pk": 999_999}, "does not exist"),
    ],
    "accounts:user-reset-authenticator": [
        # Only the coördinatiepunt; others are sent back with the reason.
        Case(
            portal(opdrachtgever=302, opdrachtnemer=302, wsp=302, coordinatiepunt=200),
            lambda cast: {"pk": cast["colleague"].pk},
            "colleague",
        ),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=200),
            user_pk("neighbour"),
            "same region",
        ),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404), user_pk("gerda"), "other region"
        ),
    ],
    "reporting:index": [Case(portal())],
    # Policy and content: every logged-in user reads their own region; opdrachtnemers and
    # functioneel beheer read every region. Only the region's coördinatiepunt edits (404 for others).
    "policy:beleid": [Case(portal())],
    "policy:beleid-version": [
        Case(portal(), obj("version_drenthe"), "own region"),
        Case(portal(**OWN_REGION_ONLY), obj("version_groningen"), "other region"),
    ],
    "policy:beleid-edit": [
        Case(csr_edits(), obj("version_drenthe"), "own region"),
        Case(nobody_edits(), obj("version_groningen"), "other region"),
    ],
    "policy:beleid-publish": [Case(csr_edits())],
    "policy:rekenhulp": [Case(portal())],
    "policy:news": [Case(portal())],
    "policy:news-detail": [
        Case(portal(), obj("news_drenthe"), "own region, published"),
        Case(portal(**OWN_REGION_ONLY), obj("news_groningen"), "other region"),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, superuser=404),
            obj("news_future"),
            "not yet published",
        ),
    ],
    "policy:news-create": [Case(csr_edits())],
    "policy:news-edit": [
        Case(csr_edits(), obj("news_drenthe"), "own region"),
        Case(nobody_edits(), obj("news_groningen"), "other region"),
    ],
    "policy:info": [Case(portal())],
    "policy:info-detail": [
        Case(portal(), obj("info_drenthe"), "own region"),
        Case(portal(**OWN_REGION_ONLY), obj("info_groningen"), "other region"),
    ],
    "policy:info-create": [Case(csr_edits())],
    "policy:info-edit": [
        Case(csr_edits(), obj("info_drenthe"), "own region"),
        Case(nobody_edits(), obj("info_groningen"), "other region"),
    ],
    "policy:contact": [Case(portal())],
    "policy:contact-edit": [Case(csr_edits())],
    "admin-login": [Case(public(302))],
    "health": [Case(public(200))],
}

# Projects (SPEC §2): a project is seen by its contactpersonen and by the coördinatiepunt of its
# region; beheer sees all. An action that the role may not do on a project it does see sends it
# back to the project with the reason (302); a project it doesn't see is 404.
SEES_PROJECT = portal()
SEES_OTHER_ORG = portal(opdrachtgever=404, opdrachtnemer=404, wsp=404)
SEES_GRONINGEN = portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404)
POST_ONLY = portal(**dict.fromkeys(ALL_LOGGED_IN, 405))


def only(allowed: dict[str, int], seen: dict[str, int]) -> dict[str, int]:
    """Seen but not allowed: 302; allowed: the given status; not seen: 404."""
    return {role: allowed.get(role, 302) if seen[role] == 200 else seen[role] for role in ROLES}


def project(name: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk}


def project_and(name: str, key: str, child: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk, key: cast[child].pk}


ON_PROJECTS: dict[str, dict[str, int]] = {
    "project": SEES_PROJECT,
    "project_other_org": SEES_OTHER_ORG,
    "project_groningen": SEES_GRONINGEN,
}


def per_project(allowed: dict[str, int]) -> list[Case]:
    return [Case(only(allowed, seen), project(name), name) for name, seen in ON_PROJECTS.items()]


EXPECTATIONS.update(
    {
        "projects:list": [Case(portal())],
        "projects:finished": [Case(portal())],
        "projects:create": [Case(portal(opdrachtnemer=404, wsp=404, superuser=404))],
        "projects:detail": [Case(seen, project(name), name) for name, seen in ON_PROJECTS.items()],
        "projects:edit": [
            Case(only({"opdrachtgever": 200, "coordinatiepunt": 200}, SEES_PROJECT), project("project"), "own"),
            Case(only({"coordinatiepunt": 200}, SEES_OTHER_ORG), project("project_other_org"), "other org"),
            Case(only({}, SEES_GRONINGEN), project("project_groningen"), "other region"),
        ],
        "projects:contact-add": per_project(
            dict.fromkeys(("opdrachtgever", "opdrachtnemer", "wsp", "coordinatiepunt"), 200)
        ),
        "projects:contact-invite": per_project(
            dict.fromkeys(("opdrachtgever", "opdrachtnemer", "wsp", "coordinatiepunt"), 200)
        ),
        "projects:note-add": [Case(POST_ONLY, project("project"))],
        "projects:document-add": per_project(ALL_LOGGED_IN),
        "projects:document-download": [
            Case(SEES_PROJECT, project_and("project", "document_pk", "document"), "own"),
            Case(
                portal(**dict.fromkeys(ALL_LOGGED_IN, 404)),
                lambda cast: {"pk": cast["project_other_org"].pk, "document_pk": cast["document"].pk},
                "document of another project",
            ),
        ],
        "projects:document-delete": [Case(SEES_PROJECT, project_and("project", "document_pk", "document"), "own")],
        "projects:inzet-create": per_project({"opdrachtnemer": 200}),
        "projects:inzet-detail": [Case(SEES_PROJECT, project_and("project", "inzet_pk", "inzet_open"))],
        "projects:inzet-edit": [
            Case(
                only({"opdrachtnemer": 200}, SEES_PROJECT),
                project_and("project", "inzet_pk", "inzet_open"),
                "ingevoerd",
            ),
            Case(only({}, SEES_PROJECT), project_and("project", "inzet_pk", "inzet_validated"), "gevalideerd"),
        ],
        "projects:inzet-delete": [
            Case(
                only({"opdrachtnemer": 200}, SEES_PROJECT),
                project_and("project", "inzet_pk", "inzet_open"),
                "ingevoerd",
            ),
            Case(only({}, SEES_PROJECT), project_and("project", "inzet_pk", "inzet_validated"), "gevalideerd"),
        ],
        "projects:inzet-validate": [Case(POST_ONLY, project_and("project", "inzet_pk", "inzet_open"))],
        "projects:inzet-return": [
            Case(
                only({"wsp": 200, "coordinatiepunt": 200}, SEES_PROJECT),
                project_and("project", "inzet_pk", "inzet_open"),
                "ingevoerd",
            ),
            Case(only({}, SEES_PROJECT), project_and("project", "inzet_pk", "inzet_validated"), "gevalideerd"),
        ],
        "projects:approve": [Case(POST_ONLY, project("project"))],
        "projects:close": [Case(POST_ONLY, project("project"))],
        # The cast's project is still active: nothing to judge yet.
        "projects:verwijtbaarheid": per_project({}),
        "projects:kandidaat-list": [Case(portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404))],
        "projects:kandidaat-create": [Case(portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404))],
        "projects:kandidaat-edit": [
            Case(
                portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404),
                lambda cast: {"kandidaat_pk": cast["kandidaat"].pk},
                "own",
            ),
            Case(
                portal(**dict.fromkeys(ALL_LOGGED_IN, 404)),
                lambda cast: {"kandidaat_pk": cast["other_kandidaat"].pk},
                "other opdrachtnemer",
            ),
        ],
    }
)

# E-mail (the outbox): only the coördinatiepunt (own region) and functioneel beheer (all regions).
# The mail preview (`mail_preview:*`, at __mail__/) is mounted only with DEBUG on, so it is not
# in the URLconf the walk sees; tests/reporting/test_mail_preview.py checks that it is absent.
EXPECTATIONS.update(
    {
        "notifications:outbox": [Case(portal(opdrachtgever=404, opdrachtnemer=404, wsp=404))],
        "notifications:resend": [Case(POST_ONLY, lambda cast: {"pk": 999_999}, "GET on any mail")],
    }
)

# Reports, exports and the dashboard keep their expectations next to their tests.
from tests.reporting import walk_dashboard, walk_exports, walk_reports  # noqa: E402

for _area in (walk_reports, walk_exports, walk_dashboard):
    EXPECTATIONS.update(_area.expectations(sys.modules[__name__]))

# The Django admin: only functioneel beheer (superuser, two-factor verified) gets in.
ADMIN_EXPECT = portal(opdrachtgever=302, opdrachtnemer=302, wsp=302, coordinatiepunt=302)
ADMIN_SAMPLES = ["admin:index", "admin:accounts_user_changelist", "admin:accounts_authevent_changelist"]


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_has_an_expectation_for_every_role():
    portal_names = {name for name in url_names() if not name.startswith("admin:")}
    missing = portal_names - set(EXPECTATIONS)
    assert not missing, f"URLs without authorization expectations: {sorted(missing)}"
    stale = set(EXPECTATIONS) - portal_names
    assert not stale, f"Expectations for URLs that no longer exist: {sorted(stale)}"
    for name, cases in EXPECTATIONS.items():
        for case in cases:
            assert set(case.expect) == set(ROLES), f"{name} {case.label}: roles {set(ROLES) - set(case.expect)} missing"


@pytest.fixture
def cast(olga, otto, wim, cora, gerda, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import OrganisationKind
    from policy.models import InfoPage, NewsItem, PolicyVersion
    from tests.factories import OrganisationFactory, UserFactory

    today = timezone.localdate()
    drenthe, groningen = olga.region, gerda.region
    neighbour_org = OrganisationFactory(
        name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER, region=olga.region
    )
    from tests.projects.cast import projects_cast

    return {
        **projects_cast(olga=olga, otto=otto, wim=wim, gerda=gerda),
        "neighbour": UserFactory(name="Nina Buur", organisation=neighbour_org),
        "version_drenthe": PolicyVersion.objects.get(region=drenthe),
        "version_groningen": PolicyVersion.objects.get(region=groningen),
        "news_drenthe": NewsItem.objects.create(region=drenthe, title="Nieuws Drenthe", body="Tekst"),
        "news_future": NewsItem.objects.create(
            region=drenthe, title="Nog niet", body="Tekst", publish_date=today + timedelta(days=3)
        ),
        "news_groningen": NewsItem.objects.create(region=groningen, title="Nieuws Groningen", body="Tekst"),
        "info_drenthe": InfoPage.objects.create(region=drenthe, title="Handleiding Drenthe", body="Tekst"),
        "info_groningen": InfoPage.objects.create(region=groningen, title="Handleiding Groningen", body="Tekst"),
        "opdrachtgever": olga,
        "opdrachtnemer": otto,
        "wsp": wim,
        "coordinatiepunt": cora,
        "superuser": admin_user,
        "olga": olga,
        "gerda": gerda,
        "colleagues": {
            "opdrachtgever": UserFactory(organisation=olga.organisation),
            "opdrachtnemer": UserFactory(organisation=otto.organisation),
            "wsp": UserFactory(organisation=wim.organisation),
            "coordinatiepunt": UserFactory(organisation=cora.organisation),
            "superuser": UserFactory(organisation=cora.organisation),
        },
    }


def client_for(role: str, cast: dict) -> Client:
    client = Client()
    return client if role == "anonymous" else login(client, cast[role])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_url(role, cast):
    client = client_for(role, cast)
    failures = []
    for name, cases in EXPECTATIONS.items():
        for case in cases:
            view_cast = {
                **cast,
                "me": cast.get(role) or cast["olga"],
                "colleague": cast["colleagues"].get(role, cast["olga"]),
            }
            url = reverse(name, kwargs=case.kwargs(view_cast))
            status = client.get(url).status_code
            if status != case.expect[role]:
                failures.append(
                    f"{name} ({case.label or 'no arguments'}) {url}: expected {case.expect[role]}, got {status}"
                )
    for name in ADMIN_SAMPLES:
        status = client.get(reverse(name)).status_code
        if status != ADMIN_EXPECT[role]:
            failures.append(f"{name}: expected {ADMIN_EXPECT[role]}, got {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_admin_refuses_a_superuser_session_without_two_factor(admin_user):
    client = Client()
    client.force_login(admin_user, backend="accounts.backends.EmailBackend")  # no verified device in session
    assert client.get(reverse("admin:index")).status_code == 302
