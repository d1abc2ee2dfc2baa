"""Per project: the *Detailoverzicht project* (Excel) and the *Akkoordverklaring Social Return* (PDF).

The detailoverzicht is what the project's detail screen shows to this user (manual §3.6), one sheet
per table; interne notities only for who may read them. The akkoordverklaring exists once the
verantwoording is approved. Both start from the same `for_user` querysets as the detail page.
"""

import io
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import FileResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import OrganisationKind, User
from policy import valuation as v
from policy.selectors import rules_in_force
from projects.access import project_view
from projects.models import ZERO, Contact, ContractType, Document, Inzet, InzetStatus, Note, Project, ProjectStatus
from projects.permissions import can_read_notes
from projects.selectors import declarant

from .excel import XLSX, Column, Sheet, filename_for, workbook_write
from .pdf import pdf_download, pdf_from_html

NOT_YET_APPROVED = "De akkoordverklaring is beschikbaar nadat de SR verantwoording van het project is goedgekeurd."
HUNDRED = Decimal(100)


def akkoord_available(project: Project) -> bool:
    """The verantwoording is approved: goedgekeurd, or afgerond after that."""
    return project.status in (ProjectStatus.GOEDGEKEURD, ProjectStatus.AFGEROND)


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _soort_labels(project: Project) -> dict[str, str]:
    """Soort code → label, from the region's rules in force (as the detail page shows them)."""
    rules = rules_in_force(project.region)
    return {soort.code: soort.label for soort in rules.menukaart} if rules else {}


# --- Detailoverzicht project (Excel) ----------------------------------------------------------

# Projectgegevens as a list of gegeven and value; each value sits in the column of its kind, so a
# date is a date cell and an amount a number in € format.
FACT_COLUMNS = [
    Column("Gegeven", width=40),
    Column("Tekst", width=50),
    Column("Datum", "date", width=14),
    Column("Bedrag", "money", width=18),
    Column("Percentage (%)", "number", width=16),
]


def _text(label: str, value: object) -> tuple[Any, ...]:
    return (label, value, None, None, None)


def _day(label: str, value: date | None) -> tuple[Any, ...]:
    return (label, None if value else "—", value, None, None)


def _money(label: str, value: Decimal | None) -> tuple[Any, ...]:
    return (label, None if value is not None else "—", None, value, None)


def _percent(label: str, value: Decimal | None) -> tuple[Any, ...]:
    return (label, None if value is not None else "—", None, None, value)


def _who(user: User | None) -> str:
    return user.name if user else "onbekend"


def project_facts(project: Project) -> Iterator[tuple[Any, ...]]:
    """The rows of Projectgegevens and Afronding on the detail page, in their order."""
    yield _text("Projectnaam", project.name)
    yield _text("Kenmerk", project.kenmerk or "—")
    yield _text("Omschrijving", project.description or "—")
    yield _text("Opdrachtgever", project.opdrachtgever.name)
    yield _text("Opdrachtnemer", project.opdrachtnemer.name)
    yield _text("Regio", project.region.name)
    yield _day("Startdatum", project.start_date)
    yield _day("Einddatum", project.end_date)
    yield _text("Contractafspraak", project.get_contract_type_display())
    yield _money("Opdrachtsom", project.opdrachtsom)
    yield _percent("SR-percentage", project.sr_percentage)
    if project.contract_type == ContractType.RAAMOVEREENKOMST:
        yield _money("SR verplichting (geschat)", project.verplichting)
        if project.verplichting_vastgesteld is None:
            yield _text("SR verplichting (vastgesteld)", "Nog niet vastgesteld")
        else:
            yield _money("SR verplichting (vastgesteld)", project.verplichting_vastgesteld)
    else:
        yield _money("SR verplichting", project.verplichting)
    yield _text("Accountmanager", project.accountmanager.name)
    yield _text("Status", project.get_status_display())
    for label, amount, validated in (
        ("SR actueel", project.sr_actueel, project.sr_actueel_gevalideerd),
        ("SR prognose", project.sr_prognose, project.sr_prognose_gevalideerd),
    ):
        yield _money(label, amount)
        yield _money(f"{label}, waarvan gevalideerd", validated)
        if project.verplichting_current:
            yield _percent(f"{label}, percentage van de verplichting", project.percentage(amount))
    decided = project.status != ProjectStatus.ACTIEF
    if decided and project.shortfall > 0:
        yield _money("Niet gerealiseerd (mogelijke inhouding)", project.shortfall)
    yield _day("Waarden berekend op", project.values_date)
    yield _text("SR verantwoording goedgekeurd", "Ja" if project.approved_at else "Nog niet")
    if project.approved_at:
        yield _text("Goedgekeurd door", _who(project.approved_by))
        yield _day("Goedgekeurd op", _local_date(project.approved_at))
    yield _text("Project afgerond", "Ja" if project.closed_at else "Nog niet")
    if project.closed_at:
        yield _text("Afgerond door", _who(project.closed_by))
        yield _day("Afgerond op", _local_date(project.closed_at))
    if decided and (project.shortfall > 0 or project.verwijtbaar is not None):
        verdict = {None: "Nog niet beoordeeld door het coördinatiepunt", True: "Verwijtbaar", False: "Niet verwijtbaar"}
        yield _text("Verwijtbaarheid", verdict[project.verwijtbaar])
        if project.verwijtbaar is not None:
            yield _text("Verwijtbaarheid beoordeeld door", _who(project.verwijtbaarheid_by))
            yield _day("Verwijtbaarheid beoordeeld op", _local_date(project.verwijtbaarheid_at))
            yield _text("Onderbouwing verwijtbaarheid", project.verwijtbaarheid_argument)


INZET_COLUMNS = [
    Column("Kandidaat", width=24),
    Column("Soort inzet", width=28),
    Column("Startdatum", "date", width=13),
    Column("Einddatum", "date", width=13),
    Column("Bedrag", "money", width=15),
    Column("Bedrag geldt", width=13),
    Column("Uren per week", "number", width=10),
    Column("Niveau", width=9),
    Column("Omschrijving", width=30),
    Column("Waarde (prognose)", "money", width=17),
    Column("Waarde (actueel)", "money", width=17),
    Column("Status", width=22),
    Column("Reden teruggestuurd", width=36),
    Column("Gevalideerd door", width=22),
    Column("Gevalideerd op", "datetime", width=17),
]


def inzet_rows(lines: Sequence[Inzet], project: Project) -> Iterator[tuple[Any, ...]]:
    rules = rules_in_force(project.region)
    for line in lines:
        soort = rules.soort(line.soort) if rules else None
        per_month = soort is not None and soort.calculation is v.Calculation.PER_MONTH
        validated = line.status == InzetStatus.GEVALIDEERD
        yield (
            f"{line.kandidaat.initials} {line.kandidaat.surname}" if line.kandidaat else "—",
            soort.label if soort else line.soort,
            line.start_date,
            line.end_date,
            line.amount,
            ("per maand" if per_month else "in totaal") if line.amount is not None else None,
            line.hours_per_week,
            line.niveau,
            line.description,
            line.value_prognose,
            line.value_actueel,
            line.get_status_display(),
            line.return_reason if line.status == InzetStatus.TERUGGESTUURD else None,
            line.validated_by.name if validated and line.validated_by else None,
            line.validated_at if validated else None,
        )


CONTACT_COLUMNS = [
    Column("Naam", width=28),
    Column("Organisatie", width=30),
    Column("Rol", width=24),
    Column("E-mailadres", width=34),
    Column("Opmerking", width=24),
]

DOCUMENT_COLUMNS = [
    Column("Document", width=40),
    Column("Grootte (kB)", "number", width=13),
    Column("Toegevoegd door", width=28),
    Column("Datum", "date", width=13),
]

NOTE_COLUMNS = [
    Column("Auteur", width=28),
    Column("Tijdstip", "datetime", width=17),
    Column("Notitie", width=80),
]


def _contact_remark(contact: Contact, project: Project) -> str:
    remarks = []
    if contact.user_id == project.accountmanager_id:
        remarks.append("accountmanager")
    if not contact.user.is_active:
        remarks.append("gedeactiveerd")
    return ", ".join(remarks)


def overview_sheets(user: User, project: Project) -> list[Sheet]:
    """The detail screen as this user sees it: a fixed number of queries, however long the tables."""
    about = [f"Detailoverzicht project {project.name}" + (f" ({project.kenmerk})" if project.kenmerk else "")]
    lines = (
        Inzet.objects.for_user(user)
        .filter(project=project)
        .select_related("kandidaat", "validated_by")
        .order_by("start_date", "pk")
    )
    contacts = Contact.objects.for_user(user).filter(project=project).select_related("user__organisation")
    documents = Document.objects.for_user(user).filter(project=project).select_related("uploaded_by")
    sheets = [
        Sheet("Projectgegevens", FACT_COLUMNS, list(project_facts(project)), about=about),
        Sheet("Verantwoording", INZET_COLUMNS, inzet_rows(list(lines), project), about=about),
        Sheet(
            "Contactpersonen",
            CONTACT_COLUMNS,
            (
                (
                    contact.user.name,
                    contact.user.organisation.name if contact.user.organisation else None,
                    contact.user.organisation.get_kind_display() if contact.user.organisation else None,
                    contact.user.email,
                    _contact_remark(contact, project),
                )
                for contact in contacts
            ),
            about=about,
        ),
        Sheet(
            "Documenten",
            DOCUMENT_COLUMNS,
            (
                (
                    document.original_name,
                    (Decimal(document.size) / 1024).quantize(Decimal("0.01")),
                    document.uploaded_by.name,
                    _local_date(document.uploaded_at),
                )
                for document in documents
            ),
            about=about,
        ),
    ]
    if can_read_notes(user):
        notes = Note.objects.for_user(user).filter(project=project).select_related("author")
        rows = ((note.author.name, note.created_at, note.text) for note in notes)
        sheets.append(Sheet("Interne notities", NOTE_COLUMNS, rows, about=about))
    return sheets


def _workbook_download(sheets: Sequence[Sheet], filename: str) -> FileResponse:
    """One project's workbook is small: built in a temporary file, sent from memory.

    (Nothing stays open when a response is never read to the end, as in the authorization walk.)"""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook_write(sheets, handle.name)
        content = Path(handle.name).read_bytes()
    response = FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@project_view()
def project_overview_export(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    sheets = overview_sheets(request.user, project)
    return _workbook_download(sheets, filename_for(f"detailoverzicht-project-{project.pk}"))


# --- Akkoordverklaring Social Return (PDF) ----------------------------------------------------


@dataclass
class SoortTotal:
    label: str
    lines: int
    value: Decimal


def soort_totals(user: User, project: Project) -> list[SoortTotal]:
    """Per soort inzet: the number of lines and their value (actueel), in the order of the Menukaart."""
    rows = (
        Inzet.objects.for_user(user)
        .filter(project=project)
        .order_by()
        .values("soort")
        .annotate(lines=Count("pk"), value=Sum("value_actueel"))
    )
    labels = _soort_labels(project)
    order = {code: index for index, code in enumerate(labels)}
    rows = sorted(rows, key=lambda row: (order.get(row["soort"], len(order)), row["soort"]))
    return [SoortTotal(labels.get(row["soort"], row["soort"]), row["lines"], row["value"] or ZERO) for row in rows]


def _declarant(project: Project) -> str:
    organisation = declarant(project)
    if organisation is None:
        return "het werkgeversservicepunt"
    if organisation.kind == OrganisationKind.COORDINATIEPUNT:
        return f"het coördinatiepunt {organisation.name}"
    return f"het werkgeversservicepunt {organisation.name}"


def akkoord_context(user: User, project: Project) -> dict[str, Any]:
    totals = soort_totals(user, project)
    return {
        "project": project,
        "is_raamovereenkomst": project.contract_type == ContractType.RAAMOVEREENKOMST,
        "actueel_percentage": project.percentage(project.sr_actueel) if project.verplichting_current else None,
        "soorten": totals,
        "soorten_lines": sum(total.lines for total in totals),
        "soorten_value": sum((total.value for total in totals), ZERO),
        "declarant": _declarant(project),
        "generated_at": timezone.now(),
    }


@require_GET
@project_view()
def project_akkoord_pdf(request: AuthenticatedHttpRequest, project: Project) -> HttpResponseBase:
    if not akkoord_available(project):
        # Visible, not yet approved: back to the project, which says why.
        messages.error(request, NOT_YET_APPROVED)
        return redirect("projects:detail", pk=project.pk)
    html = render_to_string("reporting/akkoordverklaring.html", akkoord_context(request.user, project))
    return pdf_download(pdf_from_html(html), f"akkoordverklaring-{project.pk}.pdf")
