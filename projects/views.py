from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def project_list(request: HttpRequest) -> HttpResponse:
    # The projecten list arrives with the projects issue.
    return render(
        request, "placeholder.html", {"title": "Projecten", "lead": "De projecten waarvan u contactpersoon bent."}
    )
