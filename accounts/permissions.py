"""Who may do what with accounts (SPEC §2). Each check reuses the `for_user` querysets."""

from core.permissions import ALLOWED, Answer, denied

from .models import Organisation, OrganisationKind, User


def can_create_user(user: User, organisation: Organisation) -> Answer:
    """Everyone invites colleagues; a coördinatiepunt invites for any organisation of its region."""
    if Organisation.objects.for_user(user).filter(pk=organisation.pk).exists():
        return ALLOWED
    return denied("U kunt geen account aanmaken voor deze organisatie.")


def can_reset_authenticator(actor: User, target: User) -> Answer:
    """Coördinatiepunt staff reset the authenticator of users of their own region."""
    if actor.role != OrganisationKind.COORDINATIEPUNT and not actor.is_superuser:
        return denied("Alleen het coördinatiepunt kan een authenticator resetten.")
    if actor.pk == target.pk:
        return denied("U kunt uw eigen authenticator niet resetten; vraag een collega van het coördinatiepunt.")
    if not User.objects.for_user(actor).filter(pk=target.pk).exists():
        return denied("Deze gebruiker hoort niet bij uw regio.")
    return ALLOWED
