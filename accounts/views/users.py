"""Accounts of colleagues and, for the coördinatiepunt, of the whole region; Mijn account."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from core.forms import search_param
from core.text import counted

from .. import services
from ..forms import PasswordChangeForm, UserCreateForm
from ..models import AuthEvent, User
from ..permissions import can_reset_authenticator
from ..selectors import awaiting_invitation, users_for


def get_user_for(request: AuthenticatedHttpRequest, pk: int) -> User:
    """A user account the current user may see, or 404 (also when it exists elsewhere)."""
    return get_object_or_404(User.objects.for_user(request.user).select_related("organisation__region"), pk=pk)


def user_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    query = search_param(request)
    users = users_for(request.user, query)
    page = Paginator(users, 50).get_page(request.GET.get("pagina"))
    awaiting = awaiting_invitation(request.user).count()
    return render(request, "accounts/user_list.html", {"page": page, "query": query, "awaiting": awaiting})


@require_http_methods(["GET", "POST"])
def users_invite(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Uitnodigingen versturen: the accounts a region import brought in get their welkomstmail."""
    if not request.user.is_superuser and not request.user.is_coordinatiepunt:
        raise Http404
    if request.method == "POST":
        invited = services.imported_users_invite(by=request.user, request=request)
        if invited:
            sent = counted("emails", len(invited))
            messages.success(request, f"Uitnodigingen verstuurd: {sent} met een activeringslink (de welkomstmail).")
        else:
            messages.info(request, "Er waren geen accounts meer om uit te nodigen.")
        return redirect("accounts:user-list")
    users = awaiting_invitation(request.user)
    return render(request, "accounts/users_invite.html", {"users": users})


@require_http_methods(["GET", "POST"])
def user_create(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = UserCreateForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
                organisation=form.cleaned_data["organisation"],
                by=request.user,
                request=request,
            )
        except services.AccountError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"Het account van {user.name} is aangemaakt. Er is een welkomstmail verstuurd naar {user.email}.",
            )
            return redirect("accounts:user-detail", pk=user.pk)
    return render(request, "accounts/user_create.html", {"form": form})


def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    account = get_user_for(request, pk)
    may_reset = can_reset_authenticator(request.user, account)
    events = AuthEvent.objects.for_user(request.user).filter(user=account).select_related("actor")[:25]
    context = {"account": account, "may_reset": may_reset, "events": events, "paired": account.has_authenticator()}
    return render(request, "accounts/user_detail.html", context)


@require_http_methods(["GET", "POST"])
def user_reset_authenticator(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Confirmation page, then the reset (coördinatiepunt only)."""
    account = get_user_for(request, pk)
    if not (answer := can_reset_authenticator(request.user, account)):
        messages.error(request, answer.reason)
        return redirect("accounts:user-detail", pk=account.pk)
    if request.method == "POST":
        services.authenticator_reset(user=account, by=request.user, request=request)
        messages.success(
            request,
            f"De authenticator van {account.name} is gereset en alle sessies zijn beëindigd. "
            "De gebruiker heeft een e-mail gekregen en koppelt opnieuw via Wachtwoord vergeten.",
        )
        return redirect("accounts:user-detail", pk=account.pk)
    return render(request, "accounts/user_reset_authenticator.html", {"account": account})


def profile(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Mijn account: own details and recent sign-ins."""
    events = AuthEvent.objects.for_user(request.user).filter(user=request.user)[:15]
    return render(request, "accounts/profile.html", {"account": request.user, "events": events})


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("current_password", "new_password1", "new_password2")
def password_change(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Wachtwoord wijzigen: the other sessions end, this one stays; wrong current passwords lock as at login."""
    form = PasswordChangeForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.password_change(
                user=request.user, new_password=form.cleaned_data["new_password2"], request=request
            )
            messages.success(
                request,
                "Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd. U ontvangt hierover een e-mail.",
            )
            return redirect("accounts:profile")
        if form.has_error("current_password", "wrong_password") and services.password_change_refused(
            user=request.user, request=request
        ):
            return redirect("accounts:login")  # django-axes answers with its lockout page instead
    return render(request, "accounts/password_change.html", {"form": form})
