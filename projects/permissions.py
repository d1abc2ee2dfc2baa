"""Who may do what on a project (SPEC §2). Each check answers allowed, or denied with the reason in Dutch
(`core.permissions.Answer`).

Visibility itself is `Project.objects.for_user`; these checks assume the object is visible
and decide about actions. Templates may ask them to hide a button; views always ask again.
"""

from datetime import date

from accounts.models import Organisation, OrganisationKind, User
from core.permissions import ALLOWED, Answer, denied
from core.text import counted

from .models import NOTE_READERS, Inzet, InzetStatus, Project, ProjectStatus

K = OrganisationKind
LOCKED = "Dit project is goedgekeurd of afgerond; er kan niets meer worden gewijzigd."


def _in_region(user: User, project: Project) -> bool:
    return user.organisation is not None and user.organisation.region_id == project.region_id


def is_coordinatiepunt_of(user: User, project: Project) -> bool:
    return user.role == K.COORDINATIEPUNT and _in_region(user, project)


def is_validator(user: User, project: Project) -> bool:
    """Who validates or returns its lines: the WSP of the project's region, or its coördinatiepunt."""
    return user.role in (K.WSP, K.COORDINATIEPUNT) and _in_region(user, project)


def is_contact(user: User, project: Project) -> bool:
    return project.contacts.filter(user=user).exists()


def is_approver(user: User, project: Project) -> bool:
    """Who approves the SR verantwoording: the project's accountmanager or the region's coördinatiepunt."""
    return user.pk == project.accountmanager_id or is_coordinatiepunt_of(user, project)


def is_closer(user: User, project: Project) -> bool:
    """Who closes the project: its opdrachtgever or the region's coördinatiepunt."""
    return is_coordinatiepunt_of(user, project) or (
        user.organisation_id is not None and user.organisation_id == project.opdrachtgever_id
    )


def is_opdrachtnemer_of(user: User, project: Project) -> bool:
    return user.role == K.OPDRACHTNEMER and user.organisation_id == project.opdrachtnemer_id


def can_manage_kandidaten(user: User) -> Answer:
    """Kandidaten are an opdrachtnemer's own records, for all its projects."""
    if user.role == K.OPDRACHTNEMER:
        return ALLOWED
    return denied("Alleen de opdrachtnemer legt kandidaten vast.")


def can_create_project(user: User) -> Answer:
    if user.role in (K.OPDRACHTGEVER, K.COORDINATIEPUNT):
        return ALLOWED
    return denied("Alleen opdrachtgevers en het coördinatiepunt maken projecten aan.")


def can_edit_project(user: User, project: Project) -> Answer:
    """Projectgegevens: the opdrachtgever (contact, own organisation) or the region's coördinatiepunt."""
    if project.is_locked:
        return denied(LOCKED)
    is_opdrachtgever = user.organisation_id == project.opdrachtgever_id and is_contact(user, project)
    if is_opdrachtgever or is_coordinatiepunt_of(user, project):
        return ALLOWED
    return denied("Alleen de opdrachtgever en het coördinatiepunt wijzigen de projectgegevens.")


def can_read_notes(user: User) -> Answer:
    """Interne notities are never for the opdrachtnemer."""
    if user.role in NOTE_READERS:
        return ALLOWED
    return denied("Interne notities zijn voor opdrachtgever, WSP en coördinatiepunt.")


def can_add_note(user: User, project: Project) -> Answer:
    if project.is_afgerond:
        return denied(LOCKED)
    if not can_read_notes(user):
        return denied("U kunt geen interne notities plaatsen.")
    return ALLOWED


def contact_organisations(user: User, project: Project) -> list[Organisation]:
    """Organisations whose people this user may add as contactpersoon (SPEC §2)."""
    own = [user.organisation] if user.organisation else []
    if user.role == K.COORDINATIEPUNT and user.region == project.region:
        wsps = Organisation.objects.filter(kind=K.WSP, region=project.region)
        return [project.opdrachtgever, project.opdrachtnemer, *wsps, *own]
    if user.role in (K.OPDRACHTGEVER, K.WSP):
        return [*own, project.opdrachtnemer]
    return own


def can_add_contact(user: User, project: Project, organisation: Organisation | None = None) -> Answer:
    if project.is_afgerond:
        return denied(LOCKED)
    allowed = contact_organisations(user, project)
    if not allowed:
        return denied("U kunt geen contactpersonen toevoegen.")
    if organisation is not None and organisation not in allowed:
        return denied("U kunt geen contactpersoon van deze organisatie toevoegen.")
    return ALLOWED


def can_manage_documents(user: User, project: Project) -> Answer:
    if project.is_afgerond:
        return denied(LOCKED)
    return ALLOWED


def can_edit_verantwoording(user: User, project: Project) -> Answer:
    """Kandidaten and inzet: the opdrachtnemer's people on the project, while it is active."""
    if project.is_locked:
        return denied(LOCKED)
    if user.role != K.OPDRACHTNEMER or user.organisation_id != project.opdrachtnemer_id:
        return denied("Alleen de opdrachtnemer vult de verantwoording in.")
    return ALLOWED


def can_download_invulbestand(user: User, project: Project) -> Answer:
    """The invulbestand of an active project: for the opdrachtnemer, and its coördinatiepunt on its behalf."""
    if is_coordinatiepunt_of(user, project) and not project.is_locked:
        return ALLOWED
    return can_edit_verantwoording(user, project)


def can_edit_inzet(user: User, inzet: Inzet) -> Answer:
    answer = can_edit_verantwoording(user, inzet.project)
    if not answer:
        return answer
    if inzet.status == InzetStatus.GEVALIDEERD:
        return denied("Deze regel is al gevalideerd door het WSP en kan niet meer worden gewijzigd.")
    return ALLOWED


def can_validate_inzet(user: User, inzet: Inzet) -> Answer:
    """The WSP of the project's region (as contactpersoon) or its coördinatiepunt validates or returns a line."""
    project = inzet.project
    if project.is_locked:
        return denied(LOCKED)
    if not is_validator(user, project):
        return denied("Alleen het werkgeversservicepunt en het coördinatiepunt valideren de verantwoording.")
    if inzet.status != InzetStatus.INGEVOERD:
        return denied("Alleen ingevoerde regels kunnen worden gevalideerd of teruggestuurd.")
    return ALLOWED


def can_approve(user: User, project: Project, today: date | None = None) -> Answer:
    """SR verantwoording goedgekeurd: after the einddatum, by the accountmanager or the coördinatiepunt."""
    if project.status != ProjectStatus.ACTIEF:
        return denied("De verantwoording van dit project is al goedgekeurd.")
    if not is_approver(user, project):
        return denied("Alleen de accountmanager van het project of het coördinatiepunt keurt de verantwoording goed.")
    if not project.is_ended(today):
        return denied(f"De verantwoording kan pas na de einddatum ({project.end_date:%d-%m-%Y}) worden goedgekeurd.")
    waiting = project.inzet.waiting().count()
    if waiting:
        then = "Valideer deze regels of stuur ze terug; daarna kunt u de verantwoording goedkeuren."
        return denied(f"{counted('regels_niet_gevalideerd', waiting)} {then}")
    return ALLOWED


def can_close(user: User, project: Project) -> Answer:
    """Project afgerond: the opdrachtgever or the coördinatiepunt, after approval."""
    if project.status != ProjectStatus.GOEDGEKEURD:
        return denied("Een project wordt afgerond nadat de verantwoording is goedgekeurd.")
    if not is_closer(user, project):
        return denied("Alleen de opdrachtgever of het coördinatiepunt rondt een project af.")
    return ALLOWED


def can_judge_verwijtbaarheid(user: User, project: Project) -> Answer:
    if not is_coordinatiepunt_of(user, project):
        return denied("Alleen het coördinatiepunt van de regio beoordeelt de verwijtbaarheid.")
    if project.status == ProjectStatus.ACTIEF:
        return denied("De verwijtbaarheid wordt beoordeeld nadat de verantwoording is goedgekeurd.")
    if project.shortfall <= 0:
        return denied("De verplichting is gehaald; er is niets te beoordelen.")
    return ALLOWED
