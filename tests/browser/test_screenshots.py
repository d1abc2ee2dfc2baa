"""The handleidingen's pictures: screenshots of the demo data, made here so that a changed screen renews its picture.

Each `![alt](afbeelding:name)` in a guide is an entry of SHOTS: which demo user opens which page, and what
must be on it before the picture is taken. The demo data of `seed_demo` (fictional only) is loaded on a fixed
day, so the dates in the pictures are the same on every run. A picture is written to static/handleiding/ only
when it differs from the one in the repository: after a change to a screen, `git status` shows its renewed
picture, to commit with the change. tests/policy/test_handleiding.py fails when a guide names a picture that
is missing or that no entry here makes.
"""

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from policy.handleiding import picture_path
from projects.models import Inzet, Project
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

# The demo data as it stands on this day (its dates are relative to the day it is loaded).
DEMO_DAY = datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
VIEWPORT = {"width": 1100, "height": 760}
OTTO, WIM, OLGA, CORA = (
    "opdrachtnemer@demo.invalid",
    "wsp@demo.invalid",
    "opdrachtgever@demo.invalid",
    "coordinatiepunt@demo.invalid",
)
BRUG = "Renovatie brug Veenhoven (demo)"


def project(name: str = BRUG) -> Project:
    return Project.objects.get(name=name)


def stage_line() -> Inzet:
    """The demo line a WSP still has to validate."""
    return Inzet.objects.get(project=project(), soort="stage")


@dataclass(frozen=True)
class Shot:
    user: str  # a demo user (seed_demo.USERS)
    url: Callable[[], str]
    shows: str  # a heading on the page: the picture waits for it, and starts at it unless it is the page's title


SHOTS = {
    "startpagina-opdrachtnemer": Shot(OTTO, lambda: "/", "Welkom, Otto Nemer"),
    "verantwoording-opdrachtnemer": Shot(
        OTTO, lambda: reverse("projects:detail", args=[project().pk]), "Verantwoording"
    ),
    "inzet-wijzigen": Shot(
        OTTO, lambda: reverse("projects:inzet-edit", args=[project().pk, stage_line().pk]), "Inzet wijzigen"
    ),
    "regel-valideren": Shot(
        WIM, lambda: reverse("projects:inzet-detail", args=[project().pk, stage_line().pk]), "Ingevoerde gegevens"
    ),
    "project-vastleggen": Shot(OLGA, lambda: reverse("projects:create"), "Nieuw project"),
    "gebruikers-coordinatiepunt": Shot(CORA, lambda: reverse("accounts:user-list"), "Gebruikers"),
}
FOLDER = Path(settings.BASE_DIR) / "static"


def picture_file(name: str) -> Path:
    return FOLDER / picture_path(name)


def png(screenshot: bytes) -> bytes:
    """A screenshot as a small PNG: 256 colours are plenty for a screen of text, and the file a fifth."""
    image = Image.open(io.BytesIO(screenshot)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(page: Page, shot: Shot) -> bytes:
    response = page.goto(shot.url())
    assert response is not None and response.status == 200, f"{shot.url()}: {response and response.status}"
    heading = page.get_by_role("heading", name=shot.shows).first
    expect(heading).to_be_visible()
    level = heading.evaluate("element => element.tagName")
    if level != "H1":
        heading.evaluate("element => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 16)")
    return png(page.screenshot(animations="disabled", caret="hide"))


def load_demo_data() -> None:
    with override_settings(DEBUG=True):  # seed_demo runs only in development
        call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture(scope="module")
def dutch_browser(browser: Browser) -> Iterator[Browser]:
    """Chromium in Dutch: its date fields show dd-mm-jjjj, as our users see them (neither the locale of a
    context nor --lang reaches them; on Linux the environment's language does). Started by the session's
    Playwright: a second one can't run beside it."""
    dutch = {**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl"}
    launched = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=dutch, headless=True)
    yield launched
    launched.close()


@pytest.mark.timeout(180)
def test_the_guides_pictures_are_the_demo_datas_screens(dutch_browser: Browser, live_server):
    written = []
    with time_machine.travel(DEMO_DAY, tick=True):
        load_demo_data()
        for email in dict.fromkeys(shot.user for shot in SHOTS.values()):
            context = dutch_browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=VIEWPORT)
            page = context.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, User.objects.get(email=email))
            for name, shot in SHOTS.items():
                if shot.user != email:
                    continue
                picture = take(page, shot)
                path = picture_file(name)
                if not path.exists() or path.read_bytes() != picture:
                    path.parent.mkdir(exist_ok=True)
                    path.write_bytes(picture)
                    written.append(name)
            context.close()
    assert all(picture_file(name).stat().st_size > 5_000 for name in SHOTS)
    print(f"pictures renewed: {', '.join(written) or 'none'}")
