"""A project's life: created with its obligation, approved after the einddatum, afgerond."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from notifications.mail import mail_send

from ..models import Project, ProjectStatus
from ..permissions import can_approve, can_close, can_create_project, can_edit_project, can_judge_verwijtbaarheid
from . import ConcurrentEditError, require
from .contacts import contact_ensure

PROJECT_FIELDS = (
    "name",
    "kenmerk",
    "description",
    "opdrachtgever",
    "opdrachtnemer",
    "start_date",
    "end_date",
    "contract_type",
    "opdrachtsom",
    "sr_percentage",
    "verplichting",
    "verplichting_vastgesteld",
    "accountmanager",
)


def verplichting_from(data: dict[str, Any]) -> Decimal | None:
    """The obligation as entered, or opdrachtsom × SR-percentage when only those are given."""
    verplichting: Decimal | None = data.get("verplichting")
    opdrachtsom: Decimal | None = data.get("opdrachtsom")
    percentage: Decimal | None = data.get("sr_percentage")
    if verplichting is not None:
        return verplichting
    if opdrachtsom is not None and percentage is not None:
        return (opdrachtsom * percentage / 100).quantize(Decimal("0.01"))
    return None


def _apply(project: Project, data: dict[str, Any]) -> None:
    for name in PROJECT_FIELDS:
        if name in data:
            setattr(project, name, data[name])
    verplichting = verplichting_from(data)
    if verplichting is None:
        raise ValidationError({"verplichting": "Vul de SR verplichting in, of de opdrachtsom en het SR-percentage."})
    project.verplichting = verplichting
    opdrachtgever: Organisation = project.opdrachtgever
    if opdrachtgever.kind != OrganisationKind.OPDRACHTGEVER or opdrachtgever.region is None:
        raise ValidationError({"opdrachtgever": "Kies een opdrachtgever."})
    if project.opdrachtnemer.kind != OrganisationKind.OPDRACHTNEMER:
        raise ValidationError({"opdrachtnemer": "Kies een opdrachtnemer."})
    project.region = opdrachtgever.region
    manager: User = project.accountmanager
    if manager.role != OrganisationKind.WSP or manager.region != project.region:
        raise ValidationError({"accountmanager": "Kies een accountmanager van het werkgeversservicepunt van de regio."})


@transaction.atomic
def project_create(*, data: dict[str, Any], by: User) -> Project:
    """A new project; the creator and the accountmanager become contactpersoon (`contact_ensure`)."""
    require(can_create_project(by))
    project = Project(created_by=by)
    _apply(project, data)
    if by.role == OrganisationKind.OPDRACHTGEVER and project.opdrachtgever_id != by.organisation_id:
        raise ValidationError({"opdrachtgever": "U maakt projecten aan voor uw eigen organisatie."})
    if by.role == OrganisationKind.COORDINATIEPUNT and project.region != by.region:
        raise ValidationError({"opdrachtgever": "Kies een opdrachtgever uit uw eigen regio."})
    project.full_clean()
    project.save()
    project.opdrachtnemer.regions.add(project.region)
    # The coördinatiepunt sees every project of its region without being contactpersoon.
    for user in (by, project.accountmanager):
        if user.role != OrganisationKind.COORDINATIEPUNT:
            contact_ensure(project=project, user=user, by=by)
    return project


@transaction.atomic
def project_update(*, project: Project, data: dict[str, Any], revision: int, by: User) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    require(can_edit_project(by, locked))
    if locked.revision != revision:
        raise ConcurrentEditError
    _apply(locked, data)
    locked.revision += 1
    locked.full_clean()
    locked.save()
    locked.opdrachtnemer.regions.add(locked.region)
    # A new accountmanager becomes contactpersoon (and is told so); the one who stays is left as is.
    contact_ensure(project=locked, user=locked.accountmanager, by=by)
    return locked


def _contacts_of(project: Project, organisation_id: int) -> list[str]:
    return list(
        project.contacts.filter(user__organisation_id=organisation_id, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


@transaction.atomic
def project_approve(*, project: Project, by: User) -> Project:
    """SR verantwoording goedgekeurd; the opdrachtgever's contacts are asked to close the project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_approve(by, project))
    project.status = ProjectStatus.GOEDGEKEURD
    project.approved_at, project.approved_by = timezone.now(), by
    project.save(update_fields=["status", "approved_at", "approved_by"])
    recipients = _contacts_of(project, project.opdrachtgever_id)
    if recipients:
        mail_send(
            to=recipients,
            template="sr_goedgekeurd",
            context={"project": project, "by": by, "link": reverse("projects:detail", args=[project.pk])},
            key=f"approved:{project.pk}",
            region_id=project.region_id,
        )
    return project


@transaction.atomic
def project_close(*, project: Project, by: User) -> Project:
    """Project afgerond: it leaves the active list and nothing in it changes any more."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_close(by, project))
    project.status = ProjectStatus.AFGEROND
    project.closed_at, project.closed_by = timezone.now(), by
    project.save(update_fields=["status", "closed_at", "closed_by"])
    return project


@transaction.atomic
def verwijtbaarheid_record(*, project: Project, verwijtbaar: bool, argument: str, by: User) -> Project:
    """The coördinatiepunt's written judgement on a shortfall; both parties get it by mail."""
    if not argument.strip():
        raise ValidationError({"argument": "Onderbouw uw oordeel."})
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_judge_verwijtbaarheid(by, project))
    project.verwijtbaar = verwijtbaar
    project.verwijtbaarheid_argument = argument.strip()
    project.verwijtbaarheid_at, project.verwijtbaarheid_by = timezone.now(), by
    project.save(update_fields=["verwijtbaar", "verwijtbaarheid_argument", "verwijtbaarheid_at", "verwijtbaarheid_by"])
    recipients = _contacts_of(project, project.opdrachtgever_id) + _contacts_of(project, project.opdrachtnemer_id)
    if recipients:
        mail_send(
            to=recipients,
            template="verwijtbaarheid",
            context={"project": project, "by": by, "link": reverse("projects:detail", args=[project.pk])},
            key=f"verwijtbaarheid:{project.pk}:{project.verwijtbaarheid_at:%Y%m%d%H%M%S}",
            region_id=project.region_id,
        )
    return project
