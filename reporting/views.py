from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import OrganisationKind
from projects.models import Inzet, InzetStatus, Project, ProjectStatus

from .attention import attention_for
from .dashboard import dashboard_for
from .reports import REPORTS

K = OrganisationKind


def waiting_for(user) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    """What waits for this user (SPEC §7): (counted phrase of core.text, count, link) with a count above zero."""
    today = timezone.localdate()
    projects = Project.objects.for_user(user)
    lines = Inzet.objects.for_user(user).exclude(project__status=ProjectStatus.AFGEROND)
    counts = lines.aggregate(
        ingevoerd=Count("pk", filter=Q(status=InzetStatus.INGEVOERD)),
        teruggestuurd=Count("pk", filter=Q(status=InzetStatus.TERUGGESTUURD)),
    )
    to_approve = projects.filter(status=ProjectStatus.ACTIEF, end_date__lt=today)
    if user.role == K.WSP:
        to_approve = to_approve.filter(accountmanager=user)
    items = []
    if user.role in (K.WSP, K.COORDINATIEPUNT):
        items.append(("regels_te_valideren", counts["ingevoerd"], "projects:list"))
        items.append(("projecten_goed_te_keuren", to_approve.count(), "projects:list"))
    if user.role == K.OPDRACHTNEMER:
        items.append(("regels_teruggestuurd", counts["teruggestuurd"], "projects:list"))
    if user.role in (K.OPDRACHTGEVER, K.COORDINATIEPUNT):
        to_close = projects.filter(status=ProjectStatus.GOEDGEKEURD).count()
        items.append(("projecten_af_te_ronden", to_close, "projects:list"))
    return [item for item in items if item[1]]


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


def home(request: HttpRequest) -> HttpResponse:
    """The home page: what waits for this role, the projects that ask something of it, and the dashboard."""
    context = {
        "tasks": ROLE_TASKS.get(request.user.role, []),
        "waiting": waiting_for(request.user),
        "attention": attention_for(request.user),
        "dashboard": dashboard_for(request.user),
    }
    return render(request, "reporting/home.html", context)


def index(request: HttpRequest) -> HttpResponse:
    """The Rapportage menu: the four reports."""
    return render(
        request, "reporting/index.html", {"reports": REPORTS.values(), "dashboard": dashboard_for(request.user)}
    )
