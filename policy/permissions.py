"""Who may edit a region's policy and content: its coördinatiepunt (SPEC §2)."""

from accounts.models import OrganisationKind, Region, User
from core.permissions import ALLOWED, Answer, denied


def can_edit_region_content(user: User, region: Region) -> Answer:
    """Beleid, news, information pages and contact details are edited by the region's coördinatiepunt."""
    if user.is_authenticated and user.role == OrganisationKind.COORDINATIEPUNT and user.region == region:
        return ALLOWED
    return denied(f"Alleen het coördinatiepunt van regio {region.name} wijzigt het beleid en de informatie.")
