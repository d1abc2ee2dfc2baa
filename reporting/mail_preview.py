"""Mail preview (development only): every mail text rendered with fictional example data.

Mounted at `__mail__/` by srmonitor/urls.py only when DEBUG is on; the views refuse to work
with DEBUG off as well. The example objects are unsaved model instances: nothing is written.
It lives in the reporting app because that app may import every other one.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Organisation, OrganisationKind, Region, User
from notifications.mail import mail_render, template_label
from projects.models import ContractType, Inzet, Project, ProjectStatus

app_name = "mail_preview"

EMAILS_DIR = Path(settings.BASE_DIR) / "templates" / "emails"
LAYOUTS = {"base"}


def template_names() -> list[str]:
    """The mail templates in templates/emails/, without the shared layout."""
    names = {file.name.split(".", 1)[0] for file in EMAILS_DIR.glob("*.*") if file.is_file()}
    return sorted(names - LAYOUTS)


def example_context(template: str) -> dict[str, Any]:
    """Fictional data for every mail: unsaved objects (a pk only so links and roles resolve)."""
    region = Region(pk=9001, name="Voorbeeldregio", slug="voorbeeldregio")
    opdrachtgever = Organisation(pk=9001, name="Gemeente Voorbeeld", kind=OrganisationKind.OPDRACHTGEVER, region=region)
    opdrachtnemer = Organisation(
        pk=9002, name="Bouwbedrijf De Voorbeeldsteen B.V.", kind=OrganisationKind.OPDRACHTNEMER
    )
    wsp = Organisation(pk=9003, name="Werkgeversservicepunt Voorbeeldregio", kind=OrganisationKind.WSP, region=region)
    coordinatiepunt = Organisation(
        pk=9004,
        name="Coördinatiepunt Social Return Voorbeeldregio",
        kind=OrganisationKind.COORDINATIEPUNT,
        region=region,
        email="socialreturn@voorbeeldregio.example",
    )
    contact = User(pk=9001, name="Jan Jansen", email="jan.jansen@voorbeeldsteen.example", organisation=opdrachtnemer)
    accountmanager = User(pk=9002, name="Wendy Willems", email="w.willems@wsp-voorbeeld.example", organisation=wsp)
    coordinator = User(
        pk=9003, name="Carla de Coördinator", email="c.coordinator@voorbeeldregio.example", organisation=coordinatiepunt
    )
    now = timezone.now()
    project = Project(
        pk=9001,
        name="Renovatie brede school De Esch",
        kenmerk="AB-2026-017",
        opdrachtgever=opdrachtgever,
        opdrachtnemer=opdrachtnemer,
        region=region,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 3, 31),
        contract_type=ContractType.choices[0][0],
        opdrachtsom=Decimal("1250000.00"),
        sr_percentage=Decimal("5.00"),
        verplichting=Decimal("62500.00"),
        accountmanager=accountmanager,
        status=ProjectStatus.GOEDGEKEURD,
        approved_at=now,
        verwijtbaar=False,
        verwijtbaarheid_argument=(
            "De opdrachtnemer heeft aantoonbaar kandidaten geworven via het werkgeversservicepunt.\n"
            "Twee plaatsingen zijn buiten zijn schuld voortijdig beëindigd."
        ),
        verwijtbaarheid_at=now,
        sr_actueel=Decimal("48730.50"),
    )
    inzet = Inzet(
        pk=9001,
        project=project,
        soort="baan",
        start_date=date(2025, 3, 1),
        end_date=date(2025, 8, 31),
        hours_per_week=Decimal("32"),
        return_reason="De startdatum wijkt af van de arbeidsovereenkomst. Wilt u de juiste datum invullen?",
    )
    project_link = reverse("projects:detail", args=[project.pk])
    context: dict[str, Any] = {
        "user": contact,
        "by": coordinator,
        "project": project,
        "inzet": inzet,
        "reason": inzet.return_reason,
        "link": project_link,
        "months": 3,
        "at": now,
        "days": settings.ACCOUNT_ACTIVATION_TIMEOUT // 86400,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "forgot_url": settings.SITE_URL + reverse("accounts:password-forgotten"),
        "region": region,
        "name": "Petra Voorbeeld",
        "email": "petra@voorbeeld.example",
        "phone": "06 12345678",
        "message": "Ik heb een nieuwe telefoon en kan niet meer inloggen.\nKunt u mijn authenticator resetten?",
    }
    token = {"uidb64": "OTAwMQ", "token": "voorbeeld-link"}
    overrides: dict[str, dict[str, Any]] = {
        "welkomstmail": {"link": settings.SITE_URL + reverse("accounts:activate", kwargs=token)},
        "wachtwoord_vergeten": {"link": settings.SITE_URL + reverse("accounts:password-reset", kwargs=token)},
        "wachtwoord_gewijzigd": {"at": now},
        "regel_teruggestuurd": {"by": accountmanager, "link": reverse("projects:inzet-edit", args=[9001, 9001])},
        "sr_goedgekeurd": {"by": accountmanager},
        "invulbestand_toegevoegd": {"by": contact, "file_name": "regels-de-esch.xlsx", "added": 48, "updated": 3},
        "kwartaalherinnering": {"months": 6},
    }
    if template in ("signaal_einde_project", "kwartaalherinnering"):
        # Still active: ended yesterday (signal), or running (reminder).
        project.status = ProjectStatus.ACTIEF
        project.end_date = timezone.localdate() + timedelta(days=-1 if template == "signaal_einde_project" else 200)
    return {**context, **overrides.get(template, {})}


def _render(template: str) -> tuple[str, str, str]:
    if not settings.DEBUG or template not in template_names():
        raise Http404
    return mail_render(template=template, context=example_context(template))


def preview_index(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not settings.DEBUG:
        raise Http404
    mails = [(name, template_label(name), _render(name)[0]) for name in template_names()]
    return render(request, "reporting/mail_preview.html", {"mails": mails})


def preview_detail(request: AuthenticatedHttpRequest, template: str) -> HttpResponseBase:
    subject, text, _html = _render(template)
    context = {"template": template, "label": template_label(template), "subject": subject, "text": text}
    return render(request, "reporting/mail_preview_detail.html", context)


# The mail's own HTML, framed by the detail page: its inline styles are allowed, nothing else is.
@xframe_options_sameorigin
@csp_replace(  # type: ignore[arg-type]  # django-csp types its views' request as HttpRequest
    {
        "default-src": [NONE],
        "script-src": None,
        "style-src": [UNSAFE_INLINE],
        "img-src": [NONE],
        "font-src": None,
        "connect-src": None,
        "form-action": [NONE],
        "frame-ancestors": [SELF],
        "base-uri": [NONE],
    }
)
def preview_html(request: AuthenticatedHttpRequest, template: str) -> HttpResponseBase:
    _subject, _text, html = _render(template)
    return HttpResponse(html)


urlpatterns = [
    path("", preview_index, name="index"),
    path("<slug:template>/", preview_detail, name="detail"),
    path("<slug:template>/html/", preview_html, name="html"),
]
