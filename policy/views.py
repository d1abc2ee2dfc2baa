from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# The content sections of SPEC §8; their pages arrive with the policy issue.
SECTIONS = {
    "beleid": ("Beleid", "De uitvoeringsvoorwaarden social return van uw regio en de Menukaart."),
    "news": ("Nieuwsberichten", "Nieuws van het coördinatiepunt Social Return van uw regio."),
    "info": ("Algemene informatie", "Handleidingen en antwoorden op veelgestelde vragen."),
    "contact": ("Contactgegevens", "De coördinatiepunten Social Return en hoe u ze bereikt."),
}


def section(request: HttpRequest, section: str) -> HttpResponse:
    title, lead = SECTIONS[section]
    return render(request, "placeholder.html", {"title": title, "lead": lead})
