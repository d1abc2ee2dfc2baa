"""The handleiding of a role as a page of Algemene informatie; every logged-in user reads every role's guide.

The same guide as PDF is a reporting export (reporting/handleiding.py): the PDF machinery lives there.
"""

from django.http import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from ..handleiding import get_handleiding, handleidingen_for


@require_GET
def handleiding(request: AuthenticatedHttpRequest, role: str) -> HttpResponseBase:
    guide = get_handleiding(role)
    others = [other for other in handleidingen_for(request.user) if other != guide]
    context = {"guide": guide, "body": guide.html(), "others": others, "own": guide.role == request.user.role}
    return render(request, "policy/handleiding.html", context)
