"""Who may edit a region's policy and content: its coördinatiepunt (SPEC §2)."""

from accounts.models import OrganisationKind, Region, User


def can_edit_region_content(user: User, region: Region) -> bool:
    """Beleid, news, information pages and contact details are edited by the region's coördinatiepunt."""
    return user.is_authenticated and user.role == OrganisationKind.COORDINATIEPUNT and user.region == region
