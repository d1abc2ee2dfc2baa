from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.text import counted

from .. import services
from ..forms import CodeForm, LoginForm
from ..http import AuthenticatedHttpRequest
from ..models import AuthEventKind
from ..sessions import PENDING_LOGIN, PENDING_LOGIN_SECONDS, step_data, step_end, step_start, step_user

LOCKED_MESSAGE = (
    "Uw account is tijdelijk geblokkeerd na te veel onjuiste codes. Probeer het later opnieuw of neem "
    "contact op met het coördinatiepunt van uw regio."
)


@login_not_required
@never_cache
@sensitive_post_parameters("password")
def login(request: HttpRequest) -> HttpResponse:
    """Step 1: e-mail address and password."""
    if request.user.is_authenticated:
        return redirect("home")
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and form.user is not None:
            user = form.user
            if user.is_otp_locked():
                form.add_error(None, LOCKED_MESSAGE)
            elif not user.has_authenticator():
                form.add_error(
                    None,
                    "Voor uw account is geen authenticator gekoppeld. Gebruik de link in uw welkomstmail of "
                    "vraag via Wachtwoord vergeten een nieuwe link aan om de authenticator te koppelen.",
                )
            else:
                next_url = request.GET.get("next", "")
                step_start(request, PENDING_LOGIN, user, next=next_url)
                return redirect("accounts:login-code")
        elif form.has_error("__all__", "invalid_login"):
            services.auth_event_log(
                kind=AuthEventKind.LOGIN_FAILED, request=request, email_entered=request.POST.get("email", "")
            )
    return render(request, "accounts/login.html", {"form": form})


@login_not_required
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code from the authenticator app."""
    user = step_user(request, PENDING_LOGIN, PENDING_LOGIN_SECONDS)
    if user is None:
        messages.warning(request, "Uw inlogpoging is verlopen. Log opnieuw in.")
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = services.login_code_check(user=user, token=form.cleaned_data["code"], request=request)
        if check.result is services.CodeResult.OK and check.device is not None:
            next_url = step_data(request, PENDING_LOGIN).get("next", "")
            step_end(request, PENDING_LOGIN)
            services.login_complete(request=request, user=user, device=check.device)
            if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
                next_url = ""
            return redirect(next_url or "home")
        if check.result is services.CodeResult.LOCKED:
            step_end(request, PENDING_LOGIN)
            messages.error(request, LOCKED_MESSAGE)
            return redirect("accounts:login")
        if check.result is services.CodeResult.THROTTLED:
            form.add_error(
                "code",
                f"Te veel pogingen kort na elkaar. Wacht {counted('seconden', check.wait_seconds)} en probeer het "
                "opnieuw.",
            )
        else:
            form.add_error(
                "code", "Deze code is onjuist, verlopen of al gebruikt. Wacht op de volgende code in uw app."
            )
    return render(request, "accounts/login_code.html", {"form": form, "pending_user": user})


@require_POST
def logout(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log out here and end every other session of this user."""
    user = request.user
    auth_logout(request)
    services.user_logout_everywhere(user=user, request=request)
    messages.success(request, "U bent uitgelogd.")
    return redirect("accounts:login")
