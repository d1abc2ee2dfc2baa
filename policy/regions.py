"""Which region's policy and content a request shows (SPEC §8)."""

from django.core.validators import slug_re

from accounts.http import AuthenticatedHttpRequest
from accounts.models import Region

from .models import regions_visible_to

SESSION_KEY = "policy.region"


def region_for(request: AuthenticatedHttpRequest) -> Region:
    """The user's own region; opdrachtnemers (who work everywhere) pick one with `?regio=<code>`.

    Their choice is remembered in the session; the default is the first region they work in."""
    regions = regions_visible_to(request.user)
    wanted = request.GET.get("regio") or request.session.get(SESSION_KEY)
    if wanted and slug_re.match(wanted) and (chosen := regions.filter(slug=wanted).first()) is not None:
        request.session[SESSION_KEY] = chosen.slug
        return chosen
    if request.user.region is not None:
        return request.user.region
    organisation = request.user.organisation
    work_region = organisation.regions.order_by("name").first() if organisation is not None else None
    region = work_region or regions.order_by("name").first()
    if region is None:
        raise Region.DoesNotExist("No region exists yet.")
    return region
