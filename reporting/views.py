from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrganisationKind
from projects.selectors import waiting_for

from .attention import attention_for
from .dashboard import dashboard_for
from .region_export import regions_for_export
from .reports import REPORTS

K = OrganisationKind


# What each role comes to the portal for (SPEC §2).
ROLE_TASKS = {
    K.OPDRACHTGEVER: [
        "Projecten met een social return verplichting vastleggen en contactpersonen toevoegen.",
        "Projecten afronden nadat het werkgeversservicepunt de verantwoording heeft goedgekeurd.",
    ],
    K.OPDRACHTNEMER: [
        "Kandidaten en inzet vastleggen: de verantwoording van uw social return.",
        "Regels corrigeren die het werkgeversservicepunt heeft teruggestuurd.",
    ],
    K.WSP: [
        "Verantwoordingsregels valideren of met een reden terugsturen.",
        "De totale verantwoording goedkeuren na de einddatum van een project.",
    ],
    K.COORDINATIEPUNT: [
        "Accounts aanmaken en authenticators resetten voor gebruikers in uw regio.",
        "Beleid, nieuws en informatie van uw regio bijhouden en verwijtbaarheid beoordelen.",
    ],
}


def home(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The home page: what waits for this role, the projects that ask something of it, and the dashboard."""
    context = {
        "tasks": ROLE_TASKS.get(OrganisationKind(request.user.role), []) if request.user.role else [],
        "waiting": waiting_for(request.user, timezone.localdate()),
        "attention": attention_for(request.user),
        "dashboard": dashboard_for(request.user),
    }
    return render(request, "reporting/home.html", context)


def index(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The Rapportage menu: the four reports."""
    context = {
        "reports": REPORTS.values(),
        "dashboard": dashboard_for(request.user),
        "can_export_region": regions_for_export(request.user).exists(),
    }
    return render(request, "reporting/index.html", context)
