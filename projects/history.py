"""A project's Historie, read from the audit trail (django-pghistory): who changed what and when, for the
project and its lines, contactpersonen, interne notities and documents.

Reads only. The interne notities are in it only for those who `can_read_notes` (`notes=True`)."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.text import Truncator
from pghistory.models import Events

from accounts.models import User
from core.text import counted

from .models import Contact, Document, Invulbestand, Inzet, Note, Project, ProjectStatus
from .services.projects import PROJECT_FIELDS

HISTORY_LIMIT = 50
REGION_IMPORT_FILE = "region_import_file"  # the audit context's key for the file a region import read

# Per tracked model: the columns whose change is worth a line in the Historie. Updates that touch
# only derived columns (the values kept by the engine, revisions, stamps) are left out, or every
# saved line would also show as a change of the project.
HISTORY_FIELDS: dict[type, tuple[str, ...]] = {
    # What its editors fill in, and what the workflow decides.
    Project: (
        *(Project._meta.get_field(name).column for name in PROJECT_FIELDS),
        "region_id",
        "status",
        "verwijtbaar",
        "verwijtbaarheid_argument",
    ),
    Inzet: (
        "kandidaat_id",
        "soort",
        "start_date",
        "end_date",
        "amount",
        "hours_per_week",
        "niveau",
        "description",
        "status",
        "return_reason",
    ),
    Contact: ("user_id",),
    Note: ("text",),
    Document: ("original_name",),
}


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    subject: str


def _labels(model: type) -> dict[str, str]:
    return {field.column: str(field.verbose_name) for field in model._meta.concrete_fields}


def _changed(model: type, diff: dict[str, list[Any]], skip: tuple[str, ...] = ()) -> str:
    labels = _labels(model)
    return ", ".join(labels[column] for column in HISTORY_FIELDS[model] if column in diff and column not in skip)


def _describe_project(event: Events, names: dict[int, str]) -> tuple[str, str]:
    if event.pgh_label == "insert":
        # A region import (issue #32) names its file in the context of what it writes.
        imported = (event.pgh_context or {}).get(REGION_IMPORT_FILE)
        return ("Project overgenomen met de regio-import", imported) if imported else ("Project aangemaakt", "")
    diff = event.pgh_diff
    parts = []
    if "status" in diff:
        old, new = (ProjectStatus(value).label for value in diff["status"])
        parts.append(f"Status gewijzigd: {old} → {new}")
    if "verwijtbaar" in diff:
        verdict = {True: "verwijtbaar", False: "niet verwijtbaar", None: "geen oordeel"}[diff["verwijtbaar"][1]]
        parts.append(f"Verwijtbaarheid beoordeeld: {verdict}")
    changed = _changed(Project, diff, skip=("status", "verwijtbaar", "verwijtbaarheid_argument"))
    if changed:
        parts.append(f"Projectgegevens gewijzigd: {changed}")
    return "; ".join(parts) or "Project gewijzigd", ""


def _describe_inzet(event: Events, names: dict[int, str]) -> tuple[str, str]:
    data = event.pgh_data
    subject = f"{data['soort'].capitalize()} vanaf {date.fromisoformat(data['start_date']):%d-%m-%Y}"
    if event.pgh_label == "insert":
        return "Regel toegevoegd", subject
    diff = event.pgh_diff
    parts = []
    if "status" in diff:
        old, new = diff["status"]
        parts.append(f"status {old} → {new}")
    changed = _changed(Inzet, diff, skip=("status", "return_reason"))
    if changed:
        parts.append(changed)
    return "Regel gewijzigd: " + "; ".join(parts or ["reden van terugsturen"]), subject


def _describe_contact(event: Events, names: dict[int, str]) -> tuple[str, str]:
    verb = "toegevoegd" if event.pgh_label == "insert" else "gewijzigd"
    return f"Contactpersoon {verb}", names.get(event.pgh_data["user_id"], "")


def _describe_note(event: Events, names: dict[int, str]) -> tuple[str, str]:
    verb = "toegevoegd" if event.pgh_label == "insert" else "gewijzigd"
    return f"Notitie {verb}", Truncator(event.pgh_data["text"]).words(12)


def _describe_document(event: Events, names: dict[int, str]) -> tuple[str, str]:
    verb = "toegevoegd" if event.pgh_label == "insert" else "gewijzigd"
    return f"Document {verb}", event.pgh_data["original_name"]


DESCRIBE = {
    Project: _describe_project,
    Inzet: _describe_inzet,
    Contact: _describe_contact,
    Note: _describe_note,
    Document: _describe_document,
}


def project_history(project: Project, limit: int = HISTORY_LIMIT, *, notes: bool = False) -> list[HistoryEntry]:
    """The project's audit trail, newest first: the project, its contacts, notes, documents and lines.

    Three queries whatever the number of events: the events (with their diff), the names of the people, and
    the invulbestanden added (one entry a file, with who, when, its name and hash and what it did).
    With `notes` the interne notities too: only for those who `can_read_notes`."""
    shown = [model for model in HISTORY_FIELDS if notes or model is not Note]
    event_models = {model.pgh_event_model._meta.label: model for model in shown}
    worth_showing = Q(pgh_label="insert")
    for label, model in event_models.items():
        worth_showing |= Q(pgh_model=label, pgh_diff__has_any_keys=list(HISTORY_FIELDS[model]))
    events = list(
        Events.objects.across(*(model.pgh_event_model for model in shown))
        .references(project)
        .filter(worth_showing)
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    user_ids = {(event.pgh_context or {}).get("user") for event in events}
    user_ids |= {event.pgh_data["user_id"] for event in events if event_models[event.pgh_model] is Contact}
    names = dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "name"))
    entries = []
    for event in events:
        what, subject = DESCRIBE[event_models[event.pgh_model]](event, names)
        who = names.get((event.pgh_context or {}).get("user"), "Systeem")
        entries.append(HistoryEntry(at=event.pgh_created_at, who=who, what=what, subject=subject))
    entries += _imports(project, limit)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)[:limit]


def _imports(project: Project, limit: int) -> list[HistoryEntry]:
    """The invulbestanden added to the project: one entry a file, beside the lines it added and changed."""
    added = Invulbestand.objects.filter(project=project, committed_at__isnull=False).select_related("uploaded_by")
    return [
        HistoryEntry(
            at=upload.committed_at,
            who=upload.uploaded_by.name,
            what=(
                f"Invulbestand toegevoegd: {counted('regels_toegevoegd', upload.added)}, "
                f"{counted('regels_gewijzigd', upload.updated)}"
            ),
            subject=f"{upload.file_name} (SHA-256 {upload.sha256[:12]}…)",
        )
        for upload in added.order_by("-committed_at").defer("content", "preview", "problems")[:limit]
        if upload.committed_at is not None
    ]
