from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Dutch explanation instead of Django's English CSRF page."""
    return render(request, "403_csrf.html", status=403)
