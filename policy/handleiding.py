"""The handleiding per role, under Algemene informatie: Markdown files in `handleidingen/`, kept with the code.

A guide is the shared part on logging in and the account, the role's own part, and (except for the
coördinatiepunt, whose part covers these for the whole region) the shared parts on accounts for colleagues
and on Beleid, news and information. The files are
written in the markup of the content pages (`policy_format.markup`). Labels of buttons and menus are
**bold** and pages of the portal are links like `[Projecten](/projecten/)`, so that
tests/policy/test_handleiding.py can check that every label still exists and every link still resolves.

Pictures are lines `![alt text](afbeelding:name)`: screenshots in `static/handleiding/name.png`, made from the
demo data by the browser test tests/browser/test_screenshots.py (which renews a picture when its screen
changes); tests/policy/test_handleiding.py fails when a guide names a picture that is missing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.http import Http404
from django.templatetags.static import static
from django.utils.safestring import SafeString

from accounts.models import OrganisationKind as K
from accounts.models import User
from policy.templatetags.policy_format import PICTURE, markup

FOLDER = Path(__file__).resolve().parent / "handleidingen"


def picture_path(name: str) -> str:
    """Where a guide's picture lives, relative to `static/`."""
    return f"handleiding/{name}.png"


@dataclass(frozen=True)
class Handleiding:
    role: str  # an OrganisationKind value: also the URL of the guide
    title: str
    summary: str  # one sentence: the guide on the Algemene informatie page and as its introduction
    parts: tuple[str, ...]  # file names in FOLDER, without `.md`

    def text(self) -> str:
        return "\n\n".join((FOLDER / f"{part}.md").read_text(encoding="utf-8") for part in self.parts)

    def pictures(self) -> list[str]:
        """The names of the guide's pictures, in order."""
        return [match.group(2) for line in self.text().splitlines() if (match := PICTURE.match(line.strip()))]

    def html(self, picture_url: Callable[[str], str] = lambda name: static(picture_path(name))) -> SafeString:
        """The guide as HTML; its pictures at `picture_url(name)` (by default the portal's static files)."""
        return markup(self.text(), pictures=picture_url)


HANDLEIDINGEN = {
    guide.role: guide
    for guide in [
        Handleiding(
            K.OPDRACHTNEMER,
            "Handleiding voor opdrachtnemers",
            "Kandidaten en inzet vastleggen, teruggestuurde regels corrigeren en uw projecten volgen.",
            ("account", "opdrachtnemer", "collegas", "informatie"),
        ),
        Handleiding(
            K.WSP,
            "Handleiding voor werkgeversservicepunten",
            "De verantwoording valideren of terugsturen, de totale verantwoording goedkeuren en rapporteren.",
            ("account", "wsp", "collegas", "informatie"),
        ),
        Handleiding(
            K.OPDRACHTGEVER,
            "Handleiding voor opdrachtgevers",
            "Projecten met een SR verplichting vastleggen, contactpersonen toevoegen en projecten afronden.",
            ("account", "opdrachtgever", "collegas", "informatie"),
        ),
        Handleiding(
            K.COORDINATIEPUNT,
            "Handleiding voor het coördinatiepunt Social Return",
            "Accounts en authenticators, projecten van de regio, verwijtbaarheid, beleid, nieuws en e-mail.",
            ("account", "coordinatiepunt"),
        ),
    ]
}


def handleidingen_for(user: User) -> list[Handleiding]:
    """Every guide (each role may read what the others see), the user's own first."""
    guides = list(HANDLEIDINGEN.values())
    return sorted(guides, key=lambda guide: guide.role != user.role)


def get_handleiding(role: str) -> Handleiding:
    """The guide of a role, or 404."""
    guide = HANDLEIDINGEN.get(role)
    if guide is None:
        raise Http404
    return guide
