from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import OrganisationKind

# What each role comes to the portal for (SPEC §2); the figures arrive with projects and reports.
ROLE_TASKS = {
    OrganisationKind.OPDRACHTGEVER: [
        "Projecten met een social return verplichting vastleggen en contactpersonen toevoegen.",
        "Projecten afronden nadat het werkgeversservicepunt de verantwoording heeft goedgekeurd.",
    ],
    OrganisationKind.OPDRACHTNEMER: [
        "Kandidaten en inzet vastleggen: de verantwoording van uw social return.",
        "Regels corrigeren die het werkgeversservicepunt heeft teruggestuurd.",
    ],
    OrganisationKind.WSP: [
        "Verantwoordingsregels valideren of met een reden terugsturen.",
        "De totale verantwoording goedkeuren na de einddatum van een project.",
    ],
    OrganisationKind.COORDINATIEPUNT: [
        "Accounts aanmaken en authenticators resetten voor gebruikers in uw regio.",
        "Beleid, nieuws en informatie van uw regio bijhouden en verwijtbaarheid beoordelen.",
    ],
}


def home(request: HttpRequest) -> HttpResponse:
    """The home page: what waits for this role."""
    tasks = ROLE_TASKS.get(request.user.role, [])
    return render(request, "reporting/home.html", {"tasks": tasks})


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "placeholder.html",
        {"title": "Rapportage", "lead": "Overzichten van projecten, kandidaten, kosten en overlappende inzet."},
    )
