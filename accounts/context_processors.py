from typing import Any

from django.http import HttpRequest

from .models import OrganisationKind


def portal(request: HttpRequest) -> dict[str, Any]:
    """The menu and role of the logged-in user, for base.html."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = [
        ("home", "Home"),
        ("projects:list", "Projecten"),
        ("reporting:index", "Rapportage"),
        ("policy:beleid", "Beleid"),
        ("policy:rekenhulp", "SR-rekenhulp"),
        ("policy:news", "Nieuwsberichten"),
        ("policy:info", "Algemene informatie"),
        ("policy:contact-details", "Contactgegevens"),
        ("accounts:user-list", "Gebruikers" if user.role == OrganisationKind.COORDINATIEPUNT else "Collega's"),
        ("accounts:profile", "Mijn account"),
    ]
    if user.role == OrganisationKind.OPDRACHTNEMER:
        menu.insert(2, ("projects:kandidaat-list", "Kandidaten"))
    if user.role == OrganisationKind.COORDINATIEPUNT:
        menu.insert(-1, ("notifications:outbox", "E-mail"))
    role_label = OrganisationKind(user.role).label if user.role else "Functioneel beheer"
    return {"portal_menu": menu, "portal_role_label": role_label}
