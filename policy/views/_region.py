from typing import Any

from accounts.http import AuthenticatedHttpRequest

from ..models import regions_visible_to
from ..regions import region_for


def region_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """`region` for the page and, for users who read several regions, the picker's options."""
    options = list(regions_visible_to(request.user).order_by("name"))
    return {"region": region_for(request), "region_options": options, "region_choice": len(options) > 1}
