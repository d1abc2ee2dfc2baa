"""Kandidaten and inzet lines: entered by the opdrachtnemer, validated or returned by the WSP."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.mail import mail_send
from policy.models import VersionBook

from ..models import Inzet, InzetStatus, Kandidaat, Project, kandidaat_match_key
from ..permissions import can_edit_inzet, can_edit_verantwoording, can_manage_kandidaten, can_validate_inzet
from . import ConcurrentEditError, ProjectError, require
from .valuation import Siblings, inzet_value, kandidaat_lock, kandidaten_lines_revalue, project_values_refresh

INZET_FIELDS = ("kandidaat", "soort", "start_date", "end_date", "amount", "hours_per_week", "niveau", "description")
KANDIDAAT_FIELDS = ("initials", "surname", "birth_date", "doelgroep", "unemployed_since")


KANDIDAAT_FROZEN = (
    "Deze kandidaat heeft regels die het WSP al heeft gevalideerd; dit gegeven kan niet meer worden "
    "gewijzigd. Neem contact op met het werkgeversservicepunt."
)


def frozen_kandidaat_fields(kandidaat: Kandidaat, data: dict[str, Any]) -> list[str]:
    """The fields `data` would change that the kandidaat's lines were valued on, when one of those lines is
    validated: a validated line keeps the value the WSP approved, so what it was valued on can't change."""
    changed = {
        name for name in ("birth_date", "doelgroep", "unemployed_since") if getattr(kandidaat, name) != data[name]
    }
    if changed and kandidaat.inzet.filter(status=InzetStatus.GEVALIDEERD).exists():
        return sorted(changed)
    return []


@transaction.atomic
def kandidaat_save(
    *, kandidaat: Kandidaat | None, data: dict[str, Any], by: User, revision: int | None = None
) -> Kandidaat:
    """Create (kandidaat None) or change a kandidaat of the user's own opdrachtnemer organisation."""
    require(can_manage_kandidaten(by))
    organisation = by.organisation
    if organisation is None:  # can_manage_kandidaten refused it already
        raise PermissionDenied
    if kandidaat is None:
        kandidaat = kandidaat_new(data=data, by=by)
        kandidaat.save()
        return kandidaat
    if kandidaat.opdrachtnemer_id != organisation.pk:
        raise ProjectError("Deze kandidaat hoort bij een andere opdrachtnemer.")
    kandidaat_lock(kandidaat.pk)
    locked = Kandidaat.objects.get(pk=kandidaat.pk)
    if revision is not None and locked.revision != revision:
        raise ConcurrentEditError
    if locked.pseudonymised_at is not None:
        # Its projects are long afgerond (services/retention.py): nothing may bring the data back.
        raise ProjectError("Deze kandidaat is na de bewaartermijn gepseudonimiseerd en kan niet meer worden gewijzigd.")
    if frozen := frozen_kandidaat_fields(locked, data):
        raise ValidationError(dict.fromkeys(frozen, KANDIDAAT_FROZEN))
    for name in KANDIDAAT_FIELDS:
        setattr(locked, name, data[name])
    locked.revision = F("revision") + 1
    locked.full_clean(exclude=["revision"])
    locked.save()
    # A changed doelgroep or birth date changes what the kandidaat's (unvalidated) lines are worth.
    kandidaten_lines_revalue([locked.pk])
    locked.refresh_from_db()
    return locked


def kandidaat_new(*, data: dict[str, Any], by: User) -> Kandidaat:
    """A new kandidaat of the user's own opdrachtnemer organisation, checked, not saved yet."""
    require(can_manage_kandidaten(by))
    if by.organisation is None:  # can_manage_kandidaten refused it already
        raise PermissionDenied
    kandidaat = Kandidaat(opdrachtnemer=by.organisation, **{name: data[name] for name in KANDIDAAT_FIELDS})
    kandidaat.full_clean(exclude=["opdrachtnemer"])  # the user's own organisation: no query for it
    kandidaat.match_key = kandidaat_match_key(kandidaat.surname, kandidaat.initials, kandidaat.birth_date)
    return kandidaat


@transaction.atomic
def inzet_save(
    *, project: Project, inzet: Inzet | None, data: dict[str, Any], by: User, revision: int | None = None
) -> Inzet:
    """Create or change a line; it is valued by the engine. A returned line becomes ingevoerd again.

    Raises ValidationError with the engine's objections (Dutch) when the line can't count as entered.
    The kandidaat's other lines (and the former kandidaat's, when it changes) are revalued with it."""
    new_kandidaat = data.get("kandidaat")
    old_kandidaat_id = inzet.kandidaat_id if inzet is not None else None
    # Kandidaten before the project, in every service: two saves never wait for each other crosswise.
    kandidaat_lock(old_kandidaat_id, new_kandidaat.pk if new_kandidaat is not None else None)
    project = Project.objects.select_for_update().get(pk=project.pk)
    require(can_edit_verantwoording(by, project))
    if inzet is None:
        inzet = Inzet(project=project, created_by=by)
    else:
        inzet = (
            Inzet.objects.select_for_update(of=("self",))
            .select_related("project", "kandidaat")
            .get(pk=inzet.pk, project=project)
        )
        require(can_edit_inzet(by, inzet))
        if revision is not None and inzet.revision != revision:
            raise ConcurrentEditError
        if inzet.kandidaat_id != old_kandidaat_id:  # changed by someone else since it was read
            kandidaat_lock(inzet.kandidaat_id)
            old_kandidaat_id = inzet.kandidaat_id
        inzet.revision += 1
    inzet_ready(project, inzet, data)
    inzet.save()
    kandidaten_lines_revalue({old_kandidaat_id, inzet.kandidaat_id})
    project_values_refresh(project)
    inzet.refresh_from_db()
    return inzet


def inzet_fill(
    project: Project,
    inzet: Inzet,
    data: dict[str, Any],
    book: VersionBook | None = None,
    siblings: Siblings | None = None,
) -> list[str]:
    """Put the inputs of `data` on the line and value it (Bereken): the engine's objections. Nothing saved."""
    for name in INZET_FIELDS:
        value = data.get(name)
        setattr(inzet, name, value or "" if name in ("niveau", "description") else value)
    inzet.project = project
    return inzet_value(inzet, book=book, siblings=siblings)


def inzet_ready(
    project: Project,
    inzet: Inzet,
    data: dict[str, Any],
    book: VersionBook | None = None,
    siblings: Siblings | None = None,
    in_bulk: bool = False,
) -> None:
    """The line as it will be saved from `data`, valued; ValidationError (Dutch) when it can't be. The caller
    has locked the project (and the line) and checked the user may edit them; nothing is saved here.

    `in_bulk` (a file's lines) leaves the table's check constraints to the database alone: Django asks the
    database about each one (five queries a line, 25 s for 5,000) and the forms and the engine refuse what
    they forbid (an end before the start, negative amounts and hours) before a line gets here."""
    kandidaat = data.get("kandidaat")
    if kandidaat is not None and kandidaat.opdrachtnemer_id != project.opdrachtnemer_id:
        raise ValidationError({"kandidaat": "Kies een kandidaat van uw eigen organisatie."})
    errors = inzet_fill(project, inzet, data, book, siblings)
    if errors:
        raise ValidationError(errors)
    if inzet.status == InzetStatus.TERUGGESTUURD:
        inzet.status = InzetStatus.INGEVOERD
    # The references are the locked project, the checked kandidaat and the engine's version: no query for them.
    references = ["project", "kandidaat", "policy_version", "created_by", "validated_by"]
    inzet.full_clean(exclude=[*references, "return_reason"], validate_constraints=not in_bulk)


@transaction.atomic
def inzet_delete(*, inzet: Inzet, by: User) -> None:
    """Delete a line; the kandidaat's other lines are revalued without it."""
    kandidaat_lock(Inzet.objects.filter(pk=inzet.pk).values_list("kandidaat_id", flat=True).first())
    inzet = Inzet.objects.select_for_update().select_related("project").get(pk=inzet.pk)
    require(can_edit_inzet(by, inzet))
    project = inzet.project
    inzet.delete()
    kandidaten_lines_revalue([inzet.kandidaat_id])
    project_values_refresh(project)


@transaction.atomic
def inzet_validate(*, inzet: Inzet, by: User, revision: int | None = None) -> Inzet:
    """Gevalideerd door WSP: from now on the line is locked for the opdrachtnemer."""
    inzet = Inzet.objects.select_for_update().select_related("project").get(pk=inzet.pk)
    if revision is not None and inzet.revision != revision:
        raise ConcurrentEditError
    require(can_validate_inzet(by, inzet))
    inzet.status = InzetStatus.GEVALIDEERD
    inzet.validated_at, inzet.validated_by = timezone.now(), by
    inzet.return_reason = ""
    inzet.revision += 1
    inzet.save()
    project_values_refresh(inzet.project)
    return inzet


@transaction.atomic
def inzet_return(*, inzet: Inzet, reason: str, by: User, revision: int | None = None) -> Inzet:
    """Terugsturen with a reason: the opdrachtnemer corrects the line; its contacts get a mail."""
    if not reason.strip():
        raise ValidationError({"reason": "Geef aan waarom u de regel terugstuurt."})
    inzet = Inzet.objects.select_for_update(of=("self",)).select_related("project", "kandidaat").get(pk=inzet.pk)
    if revision is not None and inzet.revision != revision:
        raise ConcurrentEditError
    require(can_validate_inzet(by, inzet))
    inzet.status = InzetStatus.TERUGGESTUURD
    inzet.return_reason = reason.strip()
    inzet.revision += 1
    inzet.save()
    project = inzet.project
    recipients = list(
        project.contacts.filter(user__organisation_id=project.opdrachtnemer_id, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    if recipients:
        mail_send(
            to=recipients,
            template="regel_teruggestuurd",
            context={
                "project": project,
                "inzet": inzet,
                "reason": inzet.return_reason,
                "by": by,
                "link": reverse("projects:inzet-edit", args=[project.pk, inzet.pk]),
            },
            key=f"inzet-returned:{inzet.pk}:{inzet.revision}",
            region_id=project.region_id,
        )
    return inzet
