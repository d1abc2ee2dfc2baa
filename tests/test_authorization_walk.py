"""Every URL in the URLconf × every role × GET and POST: the answer each must get.

A new URL without an expectation here fails `test_every_url_has_an_expectation_for_every_role`,
so nobody can add a page without deciding who may open it (and what a POST to it does). Objects
of another organisation or region answer 404, exactly like objects that don't exist
(tests/security/test_matrix_unknown_ids.py tries the ids around every object of the cast).

Every object in the cast carries a distinctive name (`NAMES`), with the roles that may read it.
The walk reads every answer — pages, Excel files, PDFs, background exports — and fails on a name
the role must not see; tests/security/test_matrix_mails.py does the same for every mail.
"""

import functools
import io
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from tests.conftest import Client, login
from tests.pages import pdf_text as pdftotext
from tests.reporting.test_region_import_projects import midden_utrecht_workbook

ROLES = ("anonymous", "opdrachtgever", "opdrachtnemer", "wsp", "coordinatiepunt", "superuser")
ALL_LOGGED_IN = {role: 200 for role in ROLES if role != "anonymous"}
LOGIN_REDIRECT = {"anonymous": 302}


@dataclass
class Case:
    """One way to open a URL (its arguments chosen from the cast) and the status per role.

    The answer to an empty POST follows from `expect` by the rules of `post_expect`; `post` states
    it where those rules don't give it. An empty POST changes nothing, except for the roles in
    `post_acts` (a confirmation page: the empty POST *is* the action). `post_data` is what an allowed
    role naturally sends; it must be carried out (302, something saved), for `post_allowed` or else
    every logged-in role whose empty POST gets the form back (200)."""

    expect: dict[str, int]
    kwargs: Callable[[dict], dict] = lambda cast: {}
    label: str = ""
    post_only: bool = False
    post: dict[str, int] | None = None
    post_acts: tuple[str, ...] = ()
    post_data: Callable[[dict], dict] | None = None
    post_allowed: tuple[str, ...] | None = None


def post_expect(case: Case) -> dict[str, int]:
    """The answer to an empty POST per role: stated on the case, or derived from the GET answer.

    GET 404 → 404 (what a role doesn't see stays unseen); GET 302 → 302 (anonymous visitors go to
    the login page, a role that sees but may not act goes back with the reason); GET 200 → 200 (the
    form again with its errors: an empty form saves nothing). No rule for GET 405 (POST-only URLs):
    those state their POST answer."""
    answers = {}
    for role in ROLES:
        if case.post is not None and role in case.post:
            answers[role] = case.post[role]
        elif case.expect[role] in (200, 302, 404):
            answers[role] = case.expect[role]
    return answers


def post_allowed(case: Case) -> tuple[str, ...]:
    """The roles that send `post_data` and must see it carried out."""
    if case.post_data is None:
        return ()
    if case.post_allowed is not None:
        return case.post_allowed
    return tuple(role for role, status in post_expect(case).items() if status == 200 and role != "anonymous")


def with_post(cases: list[Case], **fields: object) -> list[Case]:
    """The same cases with POST fields set (for cases built by a helper such as `per_project`)."""
    for case in cases:
        for field, value in fields.items():
            setattr(case, field, value)
    return cases


def public(status: int = 200, logged_in: int | None = None) -> dict[str, int]:
    return {role: (logged_in if logged_in is not None and role != "anonymous" else status) for role in ROLES}


def portal(**overrides: int) -> dict[str, int]:
    return {**LOGIN_REDIRECT, **ALL_LOGGED_IN, **overrides}


def user_pk(name: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk}


def obj(name: str) -> Callable[[dict], dict]:
    return lambda cast: {"pk": cast[name].pk}


def every_logged_in(status: int) -> dict[str, int]:
    return dict.fromkeys(ALL_LOGGED_IN, status)


# Users seated in a region see only its objects; opdrachtnemers and beheer read every region.
OWN_REGION_ONLY = {"opdrachtgever": 404, "wsp": 404, "coordinatiepunt": 404}


def coordinatiepunt_edits() -> dict[str, int]:
    return portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, superuser=404)


def nobody_edits() -> dict[str, int]:
    return portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404, superuser=404)


FAKE_LINK = {"uidb64": "MQ", "token": "abc-123"}
GUIDES = ("opdrachtnemer", "wsp", "opdrachtgever", "coordinatiepunt")  # a handleiding per role


def handleiding_cases() -> list[Case]:
    """Every logged-in user reads the guide of every role (page and PDF, GET only); no other guide exists."""
    read_only = every_logged_in(405)
    cases = [Case(portal(), lambda cast, role=role: {"role": role}, role, post=read_only) for role in GUIDES]
    return [*cases, Case(portal(**every_logged_in(404)), lambda cast: {"role": "beheer"}, "no guide", post=read_only)]


def _organisation_of_me(cast: dict) -> int:
    """The organisation a role invites a colleague into (beheer has none: the coördinatiepunt's)."""
    return (cast["me"].organisation or cast["coordinatiepunt"].organisation).pk


def _own_password_change(cast: dict) -> dict:
    from tests.factories import PASSWORD

    current = "Beheer-wachtwoord-2026" if cast["me"].is_superuser else PASSWORD  # tests/conftest.py's admin_user
    return {
        "current_password": current,
        "new_password1": "Ander-wachtwoord-2027",
        "new_password2": "Ander-wachtwoord-2027",
    }


def _pdf() -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer, stream = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(stream)
    return SimpleUploadedFile("verslag.pdf", stream.getvalue(), content_type="application/pdf")


# Expectations per URL name. The cast (see `cast` below): Olga is opdrachtgever in Drenthe,
# Otto opdrachtnemer working in Drenthe, Wim WSP Drenthe, Cora coördinatiepunt Drenthe, the
# superuser is functioneel beheer. Olga's colleague sits in her organisation; Gerda is an
# opdrachtgever in Groningen (another region); Nina (neighbour) another opdrachtgever in Drenthe.
EXPECTATIONS: dict[str, list[Case]] = {
    "home": [Case(portal())],
    "accounts:login": [Case(public(200, logged_in=302))],
    "accounts:login-code": [Case(public(302))],  # no password step in progress
    # Logging out is a POST (it ends the session: the one thing an empty POST here does).
    "accounts:logout": [
        Case(
            portal(**every_logged_in(405)),
            post=every_logged_in(302),
            post_acts=tuple(ALL_LOGGED_IN),
        )
    ],
    "accounts:activate": [Case(public(200), lambda cast: FAKE_LINK, "invalid link")],
    "accounts:password-reset": [Case(public(200), lambda cast: FAKE_LINK, "invalid link")],
    "accounts:set-password": [Case(public(200))],  # no link in session: explains the link is dead
    "accounts:totp-setup": [Case(public(302))],  # no setup in progress
    "accounts:password-forgotten": [Case(public(200))],
    "accounts:help": [Case(public(200))],
    "accounts:profile": [Case(portal())],
    # Wachtwoord wijzigen: everyone logged in, of their own account only (there is nothing to pick).
    "accounts:password-change": [Case(portal(), post_data=_own_password_change)],
    "accounts:user-list": [Case(portal())],
    "accounts:user-create": [
        Case(
            portal(),
            post_data=lambda cast: {
                "name": "Nieuwe Collega",
                "email": "nieuwe.collega@example.invalid",
                "organisation": _organisation_of_me(cast),
            },
        )
    ],
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
        # Only the coördinatiepunt (and beheer, everywhere); others are sent back with the reason.
        # The confirmation page's empty POST is the reset.
        Case(
            portal(opdrachtgever=302, opdrachtnemer=302, wsp=302, coordinatiepunt=200),
            lambda cast: {"pk": cast["colleague"].pk},
            "colleague",
            post={"coordinatiepunt": 302, "superuser": 302},
            post_acts=("coordinatiepunt", "superuser"),
        ),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=200),
            user_pk("neighbour"),
            "same region",
            post={"coordinatiepunt": 302, "superuser": 302},
            post_acts=("coordinatiepunt", "superuser"),
        ),
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404),
            user_pk("gerda"),
            "other region",
            post={"superuser": 302},
            post_acts=("superuser",),
        ),
    ],
    "reporting:index": [Case(portal())],
    # Uitnodigingen versturen to the accounts of a region import: the coördinatiepunt and beheer; the POST sends.
    "accounts:users-invite": [
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404),
            post={"coordinatiepunt": 302, "superuser": 302},
            post_acts=("coordinatiepunt", "superuser"),
        )
    ],
    # A whole region (issue #32): its coördinatiepunt exports its own, functioneel beheer any.
    "reporting:region-export-start": [
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404),
            post_data=lambda cast: {"region": cast["coordinatiepunt"].region.pk},
        )
    ],
    # Bringing a region in (issue #32): functioneel beheer only; everyone else 404, the upload's page too.
    "reporting:region-import-upload": [
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404),
            post_data=lambda cast: {"file": SimpleUploadedFile("regio.xlsx", midden_utrecht_workbook())},
        )
    ],
    "reporting:region-import-result": [
        Case(
            portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404),
            obj("region_import"),
            post=every_logged_in(405),
        )
    ],
    "reporting:region-import-commit": [
        Case(
            portal(**dict.fromkeys(ALL_LOGGED_IN, 405)),
            obj("region_import"),
            post=portal(opdrachtgever=404, opdrachtnemer=404, wsp=404, coordinatiepunt=404, superuser=302),
            post_acts=("superuser",),
        )
    ],
    # Policy and content: every logged-in user reads their own region; opdrachtnemers and
    # functioneel beheer read every region. Only the region's coördinatiepunt edits (404 for others).
    "policy:beleid": [Case(portal())],
    "policy:beleid-version": [
        Case(portal(), obj("version_drenthe"), "own region"),
        Case(portal(**OWN_REGION_ONLY), obj("version_groningen"), "other region"),
    ],
    "policy:beleid-edit": [
        Case(
            coordinatiepunt_edits(),
            obj("version_drenthe"),
            "own region",
            post_data=lambda cast: {"text": "## Nieuwe tekst", "revision": cast["version_drenthe"].revision},
        ),
        Case(nobody_edits(), obj("version_groningen"), "other region"),
    ],
    "policy:beleid-publish": [Case(coordinatiepunt_edits())],
    "policy:beleid-workbook": [Case(coordinatiepunt_edits(), post=every_logged_in(405))],
    "policy:beleid-workbook-upload": [Case(coordinatiepunt_edits())],
    "policy:beleid-workbook-preview": [Case(coordinatiepunt_edits(), obj("policy_upload"), "own upload")],
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
    "policy:news-create": [
        Case(
            coordinatiepunt_edits(),
            post_data=lambda cast: {
                "title": "Nieuw bericht",
                "body": "Tekst",
                "publish_date": timezone.localdate().isoformat(),
            },
        )
    ],
    "policy:news-edit": [
        Case(coordinatiepunt_edits(), obj("news_drenthe"), "own region"),
        Case(nobody_edits(), obj("news_groningen"), "other region"),
    ],
    "policy:info": [Case(portal())],
    "policy:info-detail": [
        Case(portal(), obj("info_drenthe"), "own region"),
        Case(portal(**OWN_REGION_ONLY), obj("info_groningen"), "other region"),
    ],
    "policy:info-create": [Case(coordinatiepunt_edits())],
    "policy:info-edit": [
        Case(coordinatiepunt_edits(), obj("info_drenthe"), "own region"),
        Case(nobody_edits(), obj("info_groningen"), "other region"),
    ],
    # The handleiding per role: every logged-in user reads the guide of every role, as page and as PDF.
    "policy:handleiding": handleiding_cases(),
    "handleiding-pdf": handleiding_cases(),
    "policy:contact-details": [Case(portal())],
    "policy:contact-details-edit": [Case(coordinatiepunt_edits())],
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


CONTACT_ROLES = ("opdrachtgever", "opdrachtnemer", "wsp", "coordinatiepunt")
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
        # Each role adds a colleague of its own organisation: every role that may add may add those.
        "projects:contact-add": with_post(
            per_project(dict.fromkeys(CONTACT_ROLES, 200)), post_data=lambda cast: {"user": cast["colleague"].pk}
        ),
        "projects:contact-invite": with_post(
            per_project(dict.fromkeys(CONTACT_ROLES, 200)),
            post_data=lambda cast: {
                "organisation": _organisation_of_me(cast),
                "name": "Nieuwe Contactpersoon",
                "email": "nieuwe.contactpersoon@example.invalid",
            },
        ),
        # Interne notities: not the opdrachtnemer, nor beheer (no organisation): back with the reason.
        "projects:note-add": [
            Case(
                POST_ONLY,
                project("project"),
                post={"opdrachtgever": 200, "opdrachtnemer": 302, "wsp": 200, "coordinatiepunt": 200, "superuser": 302},
                post_data=lambda cast: {"notitie-text": "Een nieuwe notitie"},
            )
        ],
        "projects:document-add": with_post(per_project(ALL_LOGGED_IN), post_data=lambda cast: {"file": _pdf()}),
        "projects:document-download": [
            Case(SEES_PROJECT, project_and("project", "document_pk", "document"), "own"),
            Case(
                portal(**dict.fromkeys(ALL_LOGGED_IN, 404)),
                lambda cast: {"pk": cast["project_other_org"].pk, "document_pk": cast["document"].pk},
                "document of another project",
            ),
        ],
        # A confirmation page: the empty POST removes the document.
        "projects:document-delete": [
            Case(
                SEES_PROJECT,
                project_and("project", "document_pk", "document"),
                "own",
                post=every_logged_in(302),
                post_acts=tuple(ALL_LOGGED_IN),
            )
        ],
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
                post={"opdrachtnemer": 302},
                post_acts=("opdrachtnemer",),
            ),
            Case(only({}, SEES_PROJECT), project_and("project", "inzet_pk", "inzet_validated"), "gevalideerd"),
        ],
        # Without the revision the WSP saw, a validation is sent back to the line with the reason.
        "projects:inzet-validate": [
            Case(
                POST_ONLY,
                project_and("project", "inzet_pk", "inzet_open"),
                post=every_logged_in(302),
                post_data=lambda cast: {"revision": cast["inzet_open"].revision},
                post_allowed=("wsp", "coordinatiepunt"),
            )
        ],
        "projects:inzet-return": [
            Case(
                only({"wsp": 200, "coordinatiepunt": 200}, SEES_PROJECT),
                project_and("project", "inzet_pk", "inzet_open"),
                "ingevoerd",
                post_data=lambda cast: {"reason": "Loonstrook ontbreekt", "revision": cast["inzet_open"].revision},
            ),
            Case(only({}, SEES_PROJECT), project_and("project", "inzet_pk", "inzet_validated"), "gevalideerd"),
        ],
        # The invulbestand (issue #29): its template for the opdrachtnemer and, on its behalf, the coördinatiepunt;
        # upload and check for the opdrachtnemer; a check is its uploader's own (404 to anyone else).
        "projects:invulbestand-template": [
            Case(
                only({"opdrachtnemer": 200, "coordinatiepunt": 200}, seen),
                project(name),
                name,
                post=every_logged_in(405),
            )
            for name, seen in ON_PROJECTS.items()
        ],
        "projects:invulbestand-upload": with_post(
            per_project({"opdrachtnemer": 200}), post_data=lambda cast: {"file": _invulbestand_csv(cast)}
        ),
        **{
            url: [
                Case(
                    portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404),
                    project_and("project", "upload_pk", "invulbestand"),
                    "own",
                    post=every_logged_in(405),
                ),
                Case(
                    portal(**every_logged_in(404)),
                    project_and("project", "upload_pk", "invulbestand_colleague"),
                    "a colleague's",
                    post=every_logged_in(405),
                ),
                Case(
                    portal(**every_logged_in(404)),
                    project_and("project_other_org", "upload_pk", "invulbestand"),
                    "on another project",
                    post=every_logged_in(405),
                ),
            ]
            for url in ("projects:invulbestand-result", "projects:invulbestand-errors")
        },
        # Regels toevoegen is a POST; the cast's file has an error, so the opdrachtnemer is sent back to it.
        "projects:invulbestand-commit": [
            Case(
                POST_ONLY,
                project_and("project", "upload_pk", "invulbestand"),
                "own",
                post=portal(opdrachtgever=404, opdrachtnemer=302, wsp=404, coordinatiepunt=404, superuser=404),
            ),
            Case(
                POST_ONLY,
                project_and("project", "upload_pk", "invulbestand_colleague"),
                "a colleague's",
                post=every_logged_in(404),
            ),
        ],
        # The cast's project has a line that is not validated yet: nobody may approve, so nobody may close.
        "projects:approve": [Case(POST_ONLY, project("project"), post=every_logged_in(302))],
        "projects:close": [Case(POST_ONLY, project("project"), post=every_logged_in(302))],
        # The cast's project is still active: nothing to judge yet.
        "projects:verwijtbaarheid": per_project({}),
        "projects:kandidaat-list": [Case(portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404))],
        "projects:kandidaat-create": [
            Case(
                portal(opdrachtgever=404, wsp=404, coordinatiepunt=404, superuser=404),
                post_data=lambda cast: {
                    "initials": "K.",
                    "surname": "Nieuwkomer",
                    "birth_date": "2001-02-03",
                    "doelgroep": "stagiair",
                },
            )
        ],
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
        "notifications:resend": [
            Case(POST_ONLY, lambda cast: {"pk": 999_999}, "GET on any mail", post=every_logged_in(404))
        ],
    }
)

# Reports, exports and the dashboard keep their expectations next to their tests.
from tests.reporting import walk_dashboard, walk_exports, walk_reports  # noqa: E402

for _area in (walk_reports, walk_exports, walk_dashboard):
    EXPECTATIONS.update(_area.expectations(sys.modules[__name__]))

# URL names whose 200 answer is not a page: a file (Excel, PDF, an uploaded document) or the health check's JSON.
# The walk checks that each answers so and nothing else does; tests/browser/test_every_page.py leaves them to it.
NOT_PAGES = {
    "handleiding-pdf",
    "health",
    "policy:beleid-workbook",
    "projects:document-download",
    "projects:invulbestand-errors",
    "projects:invulbestand-template",
    "reporting:export-download",
    "reporting:kandidaten-export",
    "reporting:kosten-export",
    "reporting:overlap-export",
    "reporting:project-akkoord",
    "reporting:project-overview",
    "reporting:projects-export",
}

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
            no_post = set(ROLES) - set(post_expect(case))
            assert not no_post, f"{name} {case.label}: no POST expectation for {sorted(no_post)} (state `post=`)"
            assert set(case.post_acts) <= set(ALL_LOGGED_IN), f"{name} {case.label}: post_acts names unknown roles"


# --- Names: who may read what ----------------------------------------------------------------

OG, ON, WSP, CP, SU = ROLES[1:]
# Readers of mails only (tests/security/test_matrix_mails.py): a person in Groningen (Gerda, its
# WSP); Nina of the neighbouring municipality; Anton, the WSP accountmanager of Kade Brinkerveld.
GRONINGEN, NINA, ANTON = "groningen", "nina", "anton"
# The coördinatiepunt of a fourth region, added as functioneel beheer adds one (issue #31): it walks every URL
# too (`test_the_fourth_region_sees_nothing_of_the_others`), and no one of the other regions sees its data.
UTRECHT = "utrecht"
ON_PROJECT = frozenset({OG, ON, WSP, CP, SU})  # Brug Veenhoven: Olga, Otto and Wim are contactpersoon
CREATORS = frozenset({OG, CP, SU, GRONINGEN, UTRECHT})  # pick any opdrachtnemer when making a project (SPEC §4)
DRENTHE = ON_PROJECT | {NINA, ANTON}  # the region's news and information pages
KADE = frozenset({CP, SU, ANTON})  # Kade Brinkerveld: its accountmanager and the coördinatiepunt

# (cast key, field, name, who may read it). The last word of each name is its token: the walk looks
# for the token (in any case) in every answer, so a name split over lines or escaped still counts.
# Who reads what follows SPEC §2 and the docstring of tests/projects/cast.py: a project and
# everything on it is for its contactpersonen and the coördinatiepunt of its region; accounts for
# colleagues and the coördinatiepunt of the region; the project form offers every opdrachtnemer
# and the region's WSP accountmanagers to whoever makes projects; kandidaten are seen on the lines
# of projects one sees, and interne notities never by the opdrachtnemer. (The overlap report shows
# a WSP lines on other projects of its region; the cast has no overlap, so none may show.)
NAMES: list[tuple[str, str, str, frozenset[str]]] = [
    ("project", "name", "Brug Veenhoven PRJVEENZQ", ON_PROJECT),
    ("project_other_org", "name", "Kade Brinkerveld PRJKADEZQ", KADE),
    ("project_groningen", "name", "Haven Noorderdal PRJGRONZQ", frozenset({SU, GRONINGEN})),
    ("olga.organisation", "name", "Gemeente Veenhoven ORGVEENZQ", ON_PROJECT),
    ("opdrachtnemer.organisation", "name", "Hunzebouw ORGHUNZEZQ", ON_PROJECT | CREATORS),
    ("wsp.organisation", "name", "WSP Drenthe ORGWSPDZQ", ON_PROJECT | {ANTON}),
    ("neighbour.organisation", "name", "Gemeente Brinkerveld ORGNINAZQ", frozenset({CP, SU, NINA})),
    ("project_other_org.opdrachtgever", "name", "Gemeente Kadewijk ORGKADEZQ", KADE),
    ("project_other_org.opdrachtnemer", "name", "Andere Aannemer ORGANDERZQ", CREATORS | KADE),
    ("project_groningen.opdrachtnemer", "name", "Noordbouw ORGNOORDZQ", CREATORS),
    ("project_groningen.accountmanager.organisation", "name", "WSP Groningen ORGWSPGZQ", frozenset({SU, GRONINGEN})),
    ("gerda.organisation", "name", "Gemeente Noorderdal ORGGERDAZQ", frozenset({SU, GRONINGEN})),
    ("olga", "name", "Olga Opdracht USROLGAZQ", ON_PROJECT),
    ("opdrachtnemer", "name", "Otto Nemer USROTTOZQ", ON_PROJECT),
    ("wsp", "name", "Wim Werkgever USRWIMZQ", ON_PROJECT | {ANTON}),
    # The coördinatiepunt's staff sign what they do in the region: a judgement, a reset (mails and history).
    ("coordinatiepunt", "name", "Cora Coördinator USRCORAZQ", DRENTHE),
    ("gerda", "name", "Gerda Noord USRGERDAZQ", frozenset({SU, GRONINGEN})),
    ("neighbour", "name", "Nina Buur USRNINAZQ", frozenset({CP, SU, NINA})),
    ("colleagues.opdrachtgever", "name", "Oscar Collega USRCOLOGZQ", frozenset({OG, CP, SU})),
    # The opdrachtnemer's people: any contactpersoon who may add contacts may add them (SPEC §2).
    ("colleagues.opdrachtnemer", "name", "Onno Collega USRCOLONZQ", ON_PROJECT),
    ("colleagues.wsp", "name", "Willem Collega USRCOLWSPZQ", frozenset({OG, WSP, CP, SU, ANTON})),
    ("colleagues.coordinatiepunt", "name", "Carla Collega USRCOLCSRZQ", frozenset({CP, SU})),
    ("colleagues.superuser", "name", "Chris Collega USRCOLSUZQ", frozenset({CP, SU})),
    ("project_other_org.accountmanager", "name", "Anton Manager USRAM2ZQ", frozenset({OG, WSP, CP, SU, ANTON})),
    ("project_groningen.accountmanager", "name", "Greet Manager USRAM3ZQ", frozenset({SU, GRONINGEN})),
    ("superuser", "name", "Beheerder USRBEHEERZQ", frozenset({SU})),
    ("kandidaat", "surname", "Jansen KNDJANSENZQ", ON_PROJECT),
    # An uploaded invulbestand is for its uploader only, until its lines are added (issue #30).
    ("invulbestand", "file_name", "regels INVOTTOZQ.csv", frozenset({ON})),
    ("invulbestand_colleague", "file_name", "regels INVONNOZQ.csv", frozenset()),
    ("other_kandidaat", "surname", "Ander KNDANDERZQ", KADE),
    ("kandidaat_groningen", "surname", "Noorderling KNDNOORDZQ", frozenset({SU, GRONINGEN})),
    ("note", "text", "Interne notitie over de aannemer NOTEP1ZQ", frozenset({OG, WSP, CP})),
    ("note_other_org", "text", "Notitie over de kade NOTEP2ZQ", frozenset({CP, ANTON})),
    ("note_groningen", "text", "Notitie over de haven NOTEP3ZQ", frozenset({GRONINGEN})),
    ("document", "original_name", "plan DOCP1ZQ.pdf", ON_PROJECT),
    ("document_groningen", "original_name", "bestek DOCP3ZQ.pdf", frozenset({SU, GRONINGEN})),
    ("news_drenthe", "title", "Nieuws Drenthe NEWSDRZQ", DRENTHE),
    ("news_future", "title", "Nog niet NEWSFUTZQ", frozenset({CP})),
    ("news_groningen", "title", "Nieuws Groningen NEWSGRZQ", frozenset({ON, SU, GRONINGEN})),
    ("info_drenthe", "title", "Handleiding Drenthe INFODRZQ", DRENTHE),
    ("info_groningen", "title", "Handleiding Groningen INFOGRZQ", frozenset({ON, SU, GRONINGEN})),
    ("version_groningen", "title", "Uitvoeringsvoorwaarden Groningen POLGRZQ", frozenset({ON, SU, GRONINGEN})),
    ("project_utrecht", "name", "Stationsgebied Driebergen PRJUTRZQ", frozenset({SU, UTRECHT})),
    ("project_utrecht.opdrachtgever", "name", "Gemeente Heuvelrug ORGHEUVELZQ", frozenset({SU, UTRECHT})),
    ("project_utrecht.opdrachtnemer", "name", "Domstad Bouw ORGDOMZQ", CREATORS),
    ("project_utrecht.accountmanager.organisation", "name", "WSP Midden-Utrecht ORGWSPUZQ", frozenset({SU, UTRECHT})),
    ("project_utrecht.accountmanager", "name", "Ulla Manager USRAM4ZQ", frozenset({SU, UTRECHT})),
    ("utrecht", "name", "Ursula Utrecht USRURSZQ", frozenset({SU, UTRECHT})),
    ("kandidaat_utrecht", "surname", "Domstedeling KNDDOMZQ", frozenset({SU, UTRECHT})),
    ("note_utrecht", "text", "Notitie over het station NOTEP4ZQ", frozenset({UTRECHT})),
    ("news_utrecht", "title", "Nieuws Utrecht NEWSUTZQ", frozenset({ON, SU, UTRECHT})),
    ("info_utrecht", "title", "Handleiding Utrecht INFOUTZQ", frozenset({ON, SU, UTRECHT})),
    ("version_utrecht", "title", "Menukaart Midden-Utrecht POLUTZQ", frozenset({ON, SU, UTRECHT})),
]


def token(name: str) -> str:
    return name.split()[-1].removesuffix(".pdf")


def forbidden_for(reader: str) -> set[str]:
    """The tokens of the names this reader (a role, or a reader of mails) must never get to see."""
    return {token(name) for _, _, name, readers in NAMES if reader not in readers}


def _at(cast: dict, path: str) -> object:
    found: object = cast
    for part in path.split("."):
        found = found[part] if isinstance(found, dict) else getattr(found, part)
    return found


def _name_everything(cast: dict) -> None:
    """Give each object of the cast its distinctive name; a person's e-mail address carries the token too."""
    from accounts.models import User

    for path, field, name, _ in NAMES:
        thing = _at(cast, path)
        setattr(thing, field, name)
        fields = [field]
        if isinstance(thing, User):
            thing.email = f"{token(name).lower()}@example.invalid"
            fields.append("email")
        thing.save(update_fields=[*fields, "match_key"] if field == "surname" else fields)


def _documented(project, by):  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    from projects.models import Document

    content = _pdf().read()
    document = Document(project=project, original_name="stuk.pdf", size=len(content), uploaded_by=by)
    document.file.save("stuk.pdf", ContentFile(content), save=False)
    document.save()
    return document


def _invulbestand_csv(cast: dict) -> SimpleUploadedFile:
    from tests.projects.cast import invulbestand_csv

    return SimpleUploadedFile("regels.csv", invulbestand_csv(cast["project"]), content_type="text/csv")


def _fourth_region() -> dict:
    """Midden-Utrecht moves in (issue #31): the region with its coördinatiepunt and first user as functioneel beheer
    adds them, its bouwblokken Menukaart, and a project with a line, a note, news and an information page."""
    from datetime import date
    from decimal import Decimal

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import OrganisationKind
    from accounts.services import NewRegion, region_add
    from policy.models import InfoPage, NewsItem
    from policy.seed_rules import EXAMPLE_BOUWBLOKKEN_RULES
    from projects.models import Note
    from tests.factories import PASSWORD, OpdrachtnemerFactory, OrganisationFactory, UserFactory, policy_version
    from tests.projects.cast import make_inzet, make_kandidaat, make_project

    region, ursula = region_add(
        NewRegion(
            name="Midden-Utrecht",
            slug="midden-utrecht",
            coordinatiepunt="Coördinatiepunt Social Return Midden-Utrecht",
            email="socialreturn@midden-utrecht.invalid",
            phone="030 123 45 67",
            user_email="ursula@midden-utrecht.invalid",
            user_name="Ursula",
        )
    )
    ursula.is_active = True  # as after the activation: a password and a paired authenticator
    ursula.set_password(PASSWORD)
    ursula.save()
    TOTPDevice.objects.create(user=ursula, name="Authenticator", confirmed=True)
    version = policy_version(region, EXAMPLE_BOUWBLOKKEN_RULES, date(2020, 1, 1), by=ursula)
    wsp = OrganisationFactory(name="WSP", kind=OrganisationKind.WSP, region=region)
    domstad = OpdrachtnemerFactory(name="Domstad", regions=[region])
    project = make_project(
        name="Station",
        opdrachtgever=OrganisationFactory(name="Heuvelrug", kind=OrganisationKind.OPDRACHTGEVER, region=region),
        opdrachtnemer=domstad,
        accountmanager=UserFactory(organisation=wsp),
    )
    kandidaat = make_kandidaat(
        domstad, surname="Domstedeling", doelgroep="participatiewet_nuo", unemployed_since=date(2019, 1, 1)
    )
    return {
        "utrecht": ursula,
        "project_utrecht": project,
        "kandidaat_utrecht": kandidaat,
        "inzet_utrecht": make_inzet(
            project, kandidaat, soort="baan", amount=None, niveau="", hours_per_week=Decimal(24)
        ),
        "note_utrecht": Note.objects.create(project=project, text="Notitie", author=ursula),
        "version_utrecht": version,
        "news_utrecht": NewsItem.objects.create(region=region, title="Nieuws", body="Tekst"),
        "info_utrecht": InfoPage.objects.create(region=region, title="Handleiding", body="Tekst"),
    }


def _more_of_the_cast(cast: dict) -> dict:
    """Lines, notes and a document on the projects of other organisations and regions, and an export
    of Olga's: so a page that leaks them has something to leak."""
    from projects.models import Note
    from reporting.models import Export, RegionImport, RegionImportStatus
    from tests.projects.cast import checked_invulbestand, make_inzet, make_kandidaat

    other, groningen = cast["project_other_org"], cast["project_groningen"]
    kandidaat_groningen = make_kandidaat(groningen.opdrachtnemer, surname="Noorderling")
    export = Export.objects.create(
        user=cast["olga"], report="projects", title="Projecten", filename="rapportage-projecten.xlsx"
    )
    return {
        "inzet_other_org": make_inzet(other, cast["other_kandidaat"]),
        "kandidaat_groningen": kandidaat_groningen,
        "inzet_groningen": make_inzet(groningen, kandidaat_groningen),
        "note_other_org": Note.objects.create(project=other, text="Notitie", author=other.accountmanager),
        "note_groningen": Note.objects.create(project=groningen, text="Notitie", author=cast["gerda"]),
        "document_groningen": _documented(groningen, cast["gerda"]),
        "export": export,
        "invulbestand": checked_invulbestand(cast["project"], cast["opdrachtnemer"]),
        "invulbestand_colleague": checked_invulbestand(cast["project"], cast["colleagues"]["opdrachtnemer"]),
        "region_import": RegionImport.objects.create(
            file_name="regio.xlsx", sha256="0" * 64, status=RegionImportStatus.CHECKED, created={"Projecten": 1}
        ),
    }


@pytest.fixture
def cast(olga, otto, wim, cora, gerda, admin_user):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import OrganisationKind
    from policy.models import InfoPage, NewsItem, PolicyUpload, PolicyVersion
    from policy.workbook import policy_workbook
    from reporting.exports import export_run
    from tests.factories import OrganisationFactory, UserFactory

    today = timezone.localdate()
    drenthe, groningen = olga.region, gerda.region
    neighbour_org = OrganisationFactory(
        name="Gemeente Brinkerveld", kind=OrganisationKind.OPDRACHTGEVER, region=olga.region
    )
    from tests.projects.cast import projects_cast

    cast = {
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
        "policy_upload": PolicyUpload.objects.create(
            region=drenthe,
            uploaded_by=cora,
            file_name="beleid.xlsx",
            sha256="0" * 64,
            content=policy_workbook(PolicyVersion.objects.with_rules().get(region=drenthe).to_rules()),
        ),
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
    cast |= _more_of_the_cast(cast) | _fourth_region()
    _name_everything(cast)
    export_run(cast["export"].pk)  # after the names: Olga's finished export lists her projects by name
    cast["export"].refresh_from_db()
    return cast


def client_for(role: str, cast: dict) -> Client:
    client = Client()
    return client if role == "anonymous" else login(client, cast[role])


def view_cast_for(role: str, cast: dict) -> dict:
    """The cast as a role's cases read it: `me` is the role's own account, `colleague` one of its organisation."""
    return {**cast, "me": cast.get(role) or cast["olga"], "colleague": cast["colleagues"].get(role, cast["olga"])}


# --- What a request may change -----------------------------------------------------------------

SNAPSHOT_APPS = ("accounts", "policy", "projects", "notifications", "reporting", "otp_totp")
# Logs that any request may write: the sign-in audit trail (sessions and axes live in other apps).
SNAPSHOT_SKIP = {"accounts.AuthEvent"}


def _snapshot_sql() -> str:
    parts = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.app_label not in SNAPSHOT_APPS or label in SNAPSHOT_SKIP or model._meta.proxy:
            continue
        table = connection.ops.quote_name(model._meta.db_table)
        if hasattr(model, "pgh_obj") or model._meta.pk.name == "pgh_id":
            # pghistory's event tables: a new event is a new highest id.
            value = "count(*)::text || ':' || coalesce(max(pgh_id), 0)::text"
        else:
            # Rows counted and their content fingerprinted: an update shows as well as an insert or delete.
            value = "count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
        parts.append(f"SELECT '{label}', {value} FROM {table} t")  # noqa: S608 - our own model labels
    return " UNION ALL ".join(parts)


def snapshot() -> dict[str, str]:
    """Per model of our apps (and the authenticators): row count and fingerprint, or event count and last id."""
    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        return dict(cursor.fetchall())


def differences(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


# --- Reading an answer -------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    try:
        texts = [sheet.title for sheet in workbook.worksheets]
        for sheet in workbook.worksheets:
            texts += [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
        return "\n".join(texts)
    finally:
        workbook.close()


@functools.lru_cache(maxsize=64)
def pdf_text(content: bytes) -> str:
    """The text of a PDF; the raw bytes too, so a name in a stream pdftotext can't read is still found.

    Remembered per content: every role downloads the same handleidingen."""
    try:
        text = pdftotext(content)
    except subprocess.CalledProcessError:
        text = ""
    return text + "\n" + content.decode("latin-1")


def answer_text(response: HttpResponse) -> tuple[str, str]:
    """(kind, text) of an answer: its headers and its body, read as what it is."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = " ".join(f"{key}: {value}" for key, value in response.headers.items())
    kind = response.get("Content-Type", "").split(";")[0]
    if kind == XLSX:
        return "xlsx", headers + "\n" + xlsx_text(content)
    if kind == "application/pdf":
        return "pdf", headers + "\n" + pdf_text(content)
    return "page", headers + "\n" + content.decode("utf-8", errors="replace")


# --- The walk ----------------------------------------------------------------------------------


def is_portal(url: str) -> bool:
    """Behind the login (not marked @login_not_required)."""
    return getattr(resolve(url).func, "login_required", True)


class Walk:
    """A role's client, with what it found: failures, and figures of what was tried and read."""

    def __init__(self, role: str, cast: dict) -> None:
        self.role, self.cast = role, cast
        self.client = client_for(role, cast)
        self.view_cast = view_cast_for(role, cast)
        self.forbidden = forbidden_for(role)
        self.failures: list[str] = []
        self.figures: Counter[str] = Counter()
        self.baseline: dict[str, str] = {}
        self.media: dict[Path, bytes] = {}

    def cases(self) -> Iterator[tuple[str, Case, str]]:
        for name, cases in EXPECTATIONS.items():
            for case in cases:
                yield name, case, reverse(name, kwargs=case.kwargs(self.view_cast))

    def request(
        self, method: str, url: str, data: dict | None = None, *, rollback: bool = False
    ) -> tuple[HttpResponse | None, dict[str, str] | None]:
        """One request in a savepoint (rolled back if asked), and the state just before the rollback.

        An exception from a view (a 500 in production) is a failure, and rolls its savepoint back."""
        self.figures[method] += 1
        try:
            with transaction.atomic():
                response = self.client.get(url) if method == "GET" else self.client.post(url, data or {})
                state = snapshot() if rollback else None
                transaction.set_rollback(rollback)
        except Exception as error:  # every exception is the finding
            self.failures.append(f"{method} {url}: 500 ({type(error).__name__}: {error})")
            return None, None
        return response, state

    def check(self, what: str, url: str, response: HttpResponse, expected: int, *, acts: bool = False) -> None:
        """The status, where a redirect goes (login page, or back with the reason), and no foreign name."""
        status = response.status_code
        if status != expected:
            self.failures.append(f"{what} {url}: expected {expected}, got {status}")
        elif status == 302 and is_portal(url):
            location = response["Location"]
            login_url = reverse("accounts:login")
            if self.role == "anonymous":
                # The admin's own login address forwards to ours (`admin-login`).
                if not location.startswith((f"{login_url}?next=", f"{reverse('admin-login')}?next=")):
                    self.failures.append(f"{what} {url}: redirected to {location}, not to the login page")
            elif not acts:
                errors = [m for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]
                if location.startswith(login_url) or not errors:
                    self.failures.append(f"{what} {url}: refused without a reason (to {location})")
        self.read(what, url, response)

    def read(self, what: str, url: str, response: HttpResponse) -> None:
        kind, text = answer_text(response)
        self.figures[kind] += 1
        text = text.lower()
        leaked = sorted(name for name in self.forbidden if name.lower() in text)
        if leaked:
            self.failures.append(f"{what} {url}: shows {self.role} what it may not see: {leaked}")

    def gets(self) -> None:
        before = snapshot()
        for name, case, url in self.cases():
            self.get_case(name, case, url)
        for name in ADMIN_SAMPLES:
            response, _ = self.request("GET", reverse(name))
            if response is not None:
                # The admin sends everyone but beheer to its login page (django-otp), without a message.
                self.check(f"GET {name}", reverse(name), response, ADMIN_EXPECT[self.role], acts=True)
        changed = differences(before, snapshot())
        if changed:
            self.failures.append(f"GET requests changed {changed}")

    def get_case(self, name: str, case: Case, url: str) -> None:
        response, _ = self.request("GET", url)
        if response is not None:
            what = f"GET {name} ({case.label or 'no arguments'})"
            self.check(what, url, response, case.expect[self.role])
            if response.status_code == 200:
                content_type = response.get("Content-Type", "")
                if (name in NOT_PAGES) == content_type.startswith("text/html"):
                    listed = "in NOT_PAGES" if name in NOT_PAGES else "not in NOT_PAGES"
                    self.failures.append(f"{what} {url}: answers {content_type} but is {listed}")

    def background_exports(self) -> None:
        """Each report's export as Celery builds it (over EXPORT_SYNC_MAX_ROWS rows): progress page and file."""
        if self.role == "anonymous":
            return
        limit = django_settings.EXPORT_SYNC_MAX_ROWS
        django_settings.EXPORT_SYNC_MAX_ROWS = -1
        try:
            for name in (name for name in EXPECTATIONS if name.startswith("reporting:") and name.endswith("-export")):
                response, _ = self.request("GET", reverse(name))
                if response is None or response.status_code != 302:
                    self.failures.append(f"GET {name}: no background export ({response and response.status_code})")
                    continue
                detail = response["Location"]
                for url in (detail, reverse("reporting:export-download", kwargs=resolve(detail).kwargs)):
                    response, _ = self.request("GET", url)
                    if response is not None:
                        self.check(f"GET {name} (background)", url, response, 200)
        finally:
            django_settings.EXPORT_SYNC_MAX_ROWS = limit

    def posts(self) -> None:
        """Every case an empty POST, then the natural data of an allowed role (all rolled back)."""
        self.baseline, self.media = snapshot(), media_files()
        for name, case, url in self.cases():
            self.post_case(name, case, url)

    def post_case(self, name: str, case: Case, url: str) -> None:
        """The empty POST: the expected answer, and nothing changed unless the role acts; the natural data
        of an allowed role: carried out (302, something saved). Compared with `self.baseline`."""
        label = f"POST {name} ({case.label or 'no arguments'})"
        acts = self.role in case.post_acts
        response, state = self.request("POST", url, rollback=True)
        if response is not None:
            self.check(label, url, response, post_expect(case)[self.role], acts=acts)
            changed = differences(self.baseline, state or {})
            if changed and not acts:
                self.failures.append(f"{label} {url}: answered {response.status_code} but changed {changed}")
        if acts:
            self.restore(self.media, after_logout=name == "accounts:logout")
        if self.role in post_allowed(case):
            self.figures["POST data"] += 1
            response, state = self.request("POST", url, case.post_data(self.view_cast), rollback=True)
            if response is not None:
                self.check(f"{label} with data", url, response, 302, acts=True)
                if not differences(self.baseline, state or {}):
                    self.failures.append(f"{label} with data {url}: nothing saved")
            # A new password gives this session a new key, whose row the rollback took: log in again.
            self.restore(self.media, after_logout=name == "accounts:password-change")

    def restore(self, media: dict[Path, bytes], *, after_logout: bool = False) -> None:
        """A rolled-back action leaves no rows, but a removed file stays removed, and a logout logged out."""
        for path, content in media.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        if after_logout:
            self.client = client_for(self.role, self.cast)
            self.baseline = snapshot()  # logging in again stamps last_login

    def report(self) -> str:
        figures = ", ".join(f"{key}: {value}" for key, value in sorted(self.figures.items()))
        return f"{self.role}: {figures}; {len(self.failures)} failures"


def media_files() -> dict[Path, bytes]:
    root = Path(django_settings.MEDIA_ROOT)
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} if root.exists() else {}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_url(role, cast):
    """GET and POST on every case: the expected answer, no 500, a refused POST changes nothing,
    and no answer (page, Excel, PDF, background export) names what the role may not see."""
    walk = Walk(role, cast)
    walk.gets()
    walk.background_exports()
    walk.posts()
    print(walk.report())
    assert not walk.failures, "\n".join(walk.failures)


def test_every_download_is_a_url_name_of_the_walk():
    assert set(EXPECTATIONS) >= NOT_PAGES, sorted(NOT_PAGES - set(EXPECTATIONS))


def test_every_name_of_the_cast_is_distinct_and_hidden_from_someone():
    tokens = [token(name) for _, _, name, _ in NAMES]
    assert len(set(tokens)) == len(tokens)
    assert not [a for a in tokens for b in tokens if a != b and a.lower() in b.lower()], "a token inside another"
    assert all(forbidden_for("anonymous") >= {token(name)} for _, _, name, _ in NAMES)


@pytest.mark.django_db
def test_admin_refuses_a_superuser_session_without_two_factor(admin_user):
    client = Client()
    client.force_login(admin_user, backend="accounts.backends.EmailBackend")  # no verified device in session
    assert client.get(reverse("admin:index")).status_code == 302


# --- The fourth region (issue #31) ---------------------------------------------------------------

# Pages with arguments that show nothing of a region: links that don't work, the handleiding per role.
NOT_OF_A_REGION = {"accounts:activate", "accounts:password-reset", "policy:handleiding", "handleiding-pdf"}


def fourth_region_expects(name: str, case: Case, view_cast: dict) -> int:
    """What Midden-Utrecht's coördinatiepunt gets on a case of the cast: a page without an object, her own
    account, a POST-only URL answer as to Drenthe's coördinatiepunt; every object of Drenthe and Groningen is
    404, as one that doesn't exist."""
    drenthe = case.expect["coordinatiepunt"]
    if drenthe == 405 or name in NOT_OF_A_REGION or case.label == "self" or not case.kwargs(view_cast):
        return drenthe
    return 404


# The fourth region's own objects: who else opens them (opdrachtnemers and beheer read every region's policy).
FOURTH_REGION_PAGES: list[tuple[str, Callable[[dict], dict], frozenset[str]]] = [
    ("projects:detail", project("project_utrecht"), frozenset({SU})),
    ("projects:inzet-detail", project_and("project_utrecht", "inzet_pk", "inzet_utrecht"), frozenset({SU})),
    ("accounts:user-detail", user_pk("utrecht"), frozenset({SU})),
    ("policy:beleid-version", obj("version_utrecht"), frozenset({ON, SU})),
    ("policy:beleid-edit", obj("version_utrecht"), frozenset()),
    ("policy:news-detail", obj("news_utrecht"), frozenset({ON, SU})),
    ("policy:info-detail", obj("info_utrecht"), frozenset({ON, SU})),
]


@pytest.mark.django_db
def test_the_fourth_region_sees_nothing_of_the_others_and_they_nothing_of_it(cast):
    """Midden-Utrecht, added as functioneel beheer adds a region: its coördinatiepunt walks every URL of the cast
    (every page, Excel file, PDF and background export read for the names of the other regions' data), and the
    other roles find its objects as objects that don't exist — their walk reads every answer for its names."""
    walk = Walk(UTRECHT, cast)
    before = snapshot()
    for name, case, url in walk.cases():
        response, _ = walk.request("GET", url)
        if response is not None:
            expected = fourth_region_expects(name, case, walk.view_cast)
            walk.check(f"GET {name} ({case.label or 'no arguments'})", url, response, expected)
    assert not differences(before, snapshot()), "a GET changed something"
    walk.background_exports()
    for name, kwargs, readers in FOURTH_REGION_PAGES:
        url = reverse(name, kwargs=kwargs(cast))
        response, _ = walk.request("GET", url)
        if response is not None:
            walk.check(f"GET {name} (own region)", url, response, 200)
        for role in ROLES[1:]:
            status = client_for(role, cast).get(url).status_code
            if status != (200 if role in readers else 404):
                walk.failures.append(f"GET {name} of the fourth region as {role}: {status}")
    assert walk.figures["GET"] > 150 and walk.figures["xlsx"] and walk.figures["pdf"], walk.report()
    assert not walk.failures, "\n".join(walk.failures)


# Functioneel beheer exports a whole region as it reads the admin: with the interne notities (issue #32), which
# no page of the portal shows it.
EXPORT_ALSO_READS = {"superuser": {token(name) for path, _, name, _ in NAMES if path.startswith("note")}}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinatiepunt", "superuser", UTRECHT])
def test_a_region_export_names_nothing_its_reader_may_not_see(role, cast):
    """The region workbook read like every other answer: Drenthe's by its coördinatiepunt and by functioneel beheer,
    Midden-Utrecht's by its own coördinatiepunt; built by the background task and downloaded."""
    walk = Walk(role, cast)
    walk.forbidden -= EXPORT_ALSO_READS.get(role, set())
    region = (cast["utrecht"] if role == UTRECHT else cast["coordinatiepunt"]).region
    response, _ = walk.request("POST", reverse("reporting:region-export-start"), {"region": region.pk})
    assert response is not None and response.status_code == 302, walk.failures
    detail = response["Location"]
    download = reverse("reporting:export-download", kwargs=resolve(detail).kwargs)
    response, _ = walk.request("GET", download)
    assert response is not None
    walk.check(f"GET the region export of {region}", download, response, 200)
    assert walk.figures["xlsx"] == 1
    assert not walk.failures, "\n".join(walk.failures)
