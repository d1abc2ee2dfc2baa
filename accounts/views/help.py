from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import services
from ..forms import HelpForm


@login_not_required
def help_request(request: HttpRequest) -> HttpResponse:
    """Hulp nodig? on the login page: mails the coördinatiepunt of the chosen region."""
    form = HelpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["website"]:  # honeypot filled: pretend success, send nothing
            try:
                services.help_request_send(
                    region=data["region"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                    request=request,
                )
            except services.AccountError as error:
                form.add_error("region", str(error))
                return render(request, "accounts/help.html", {"form": form})
        messages.success(request, "Uw vraag is verstuurd naar het coördinatiepunt. U krijgt zo snel mogelijk antwoord.")
        return redirect("accounts:login")
    return render(request, "accounts/help.html", {"form": form})
