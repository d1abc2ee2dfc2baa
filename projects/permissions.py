"""Who may do what on a project (SPEC §2). Each check answers (allowed, reason in Dutch).

Visibility itself is `Project.objects.for_user`; these checks assume the object is visible
and decide about actions. Templates may ask them to hide a button; views always ask again.
"""

from datetime import date

from accounts.models import Organisation, OrganisationKind, User

from .models import Inzet, InzetStatus, Project, ProjectStatus

K = OrganisationKind
Answer = tuple[bool, str]
YES: Answer = (True, "")
LOCKED = "Dit project is goedgekeurd of afgerond; er kan niets meer worden gewijzigd."


def is_csr_of(user: User, project: Project) -> bool:
    return user.role == K.COORDINATIEPUNT and user.region == project.region


def is_contact(user: User, project: Project) -> bool:
    return project.contacts.filter(user=user).exists()


def can_create_project(user: User) -> bool:
    return user.role in (K.OPDRACHTGEVER, K.COORDINATIEPUNT)


def can_edit_project(user: User, project: Project) -> Answer:
    """Projectgegevens: the opdrachtgever (contact, own organisation) or the region's coördinatiepunt."""
    if project.is_locked:
        return False, LOCKED
    if is_csr_of(user, project) or (user.organisation_id == project.opdrachtgever_id and is_contact(user, project)):
        return YES
    return False, "Alleen de opdrachtgever en het coördinatiepunt wijzigen de projectgegevens."


def can_read_notes(user: User) -> bool:
    """Interne notities are never for the opdrachtnemer."""
    return user.role in (K.OPDRACHTGEVER, K.WSP, K.COORDINATIEPUNT)


def can_add_note(user: User, project: Project) -> Answer:
    if project.is_afgerond:
        return False, LOCKED
    if not can_read_notes(user):
        return False, "U kunt geen interne notities plaatsen."
    return YES


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
        return False, LOCKED
    allowed = contact_organisations(user, project)
    if not allowed:
        return False, "U kunt geen contactpersonen toevoegen."
    if organisation is not None and organisation not in allowed:
        return False, "U kunt geen contactpersoon van deze organisatie toevoegen."
    return YES


def can_manage_documents(user: User, project: Project) -> Answer:
    if project.is_afgerond:
        return False, LOCKED
    return YES


def can_edit_verantwoording(user: User, project: Project) -> Answer:
    """Kandidaten and inzet: the opdrachtnemer's people on the project, while it is active."""
    if project.is_locked:
        return False, LOCKED
    if user.role != K.OPDRACHTNEMER or user.organisation_id != project.opdrachtnemer_id:
        return False, "Alleen de opdrachtnemer vult de verantwoording in."
    return YES


def can_edit_inzet(user: User, inzet: Inzet) -> Answer:
    allowed, reason = can_edit_verantwoording(user, inzet.project)
    if not allowed:
        return allowed, reason
    if inzet.status == InzetStatus.GEVALIDEERD:
        return False, "Deze regel is al gevalideerd door het WSP en kan niet meer worden gewijzigd."
    return YES


def can_validate_inzet(user: User, inzet: Inzet) -> Answer:
    """The WSP of the project's region (as contactpersoon) or its coördinatiepunt validates or returns a line."""
    project = inzet.project
    if project.is_locked:
        return False, LOCKED
    is_wsp = user.role == K.WSP and user.region == project.region
    if not (is_wsp or is_csr_of(user, project)):
        return False, "Alleen het werkgeversservicepunt en het coördinatiepunt valideren de verantwoording."
    if inzet.status != InzetStatus.INGEVOERD:
        return False, "Alleen ingevoerde regels kunnen worden gevalideerd of teruggestuurd."
    return YES


def can_approve(user: User, project: Project, today: date | None = None) -> Answer:
    """SR verantwoording goedgekeurd: after the einddatum, by the accountmanager or the coördinatiepunt."""
    if project.status != ProjectStatus.ACTIEF:
        return False, "De verantwoording van dit project is al goedgekeurd."
    if not (user.pk == project.accountmanager_id or is_csr_of(user, project)):
        return False, "Alleen de accountmanager van het project of het coördinatiepunt keurt de verantwoording goed."
    if not project.is_ended(today):
        return False, f"De verantwoording kan pas na de einddatum ({project.end_date:%d-%m-%Y}) worden goedgekeurd."
    if project.inzet.waiting().exists():
        return False, "Er zijn nog regels die niet zijn gevalideerd."
    return YES


def can_close(user: User, project: Project) -> Answer:
    """Project afgerond: the opdrachtgever or the coördinatiepunt, after approval."""
    if project.status != ProjectStatus.GOEDGEKEURD:
        return False, "Een project wordt afgerond nadat de verantwoording is goedgekeurd."
    if not (is_csr_of(user, project) or user.organisation_id == project.opdrachtgever_id):
        return False, "Alleen de opdrachtgever of het coördinatiepunt rondt een project af."
    return YES


def can_judge_verwijtbaarheid(user: User, project: Project) -> Answer:
    if not is_csr_of(user, project):
        return False, "Alleen het coördinatiepunt van de regio beoordeelt de verwijtbaarheid."
    if project.status == ProjectStatus.ACTIEF:
        return False, "De verwijtbaarheid wordt beoordeeld nadat de verantwoording is goedgekeurd."
    if project.shortfall <= 0:
        return False, "De verplichting is gehaald; er is niets te beoordelen."
    return YES
