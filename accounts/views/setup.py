"""Activation link, Wachtwoord vergeten and pairing the authenticator (manual §1.1 and §1.2)."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .. import services
from ..forms import CodeForm, CurrentPasswordForm, EmailForm, NewPasswordForm
from ..sessions import ACCOUNT_LINK, ACCOUNT_SETUP, ACCOUNT_SETUP_SECONDS, step_data, step_end, step_start, step_user


def _open_link(request: HttpRequest, uidb64: str, token: str, purpose: str) -> HttpResponse:
    try:
        uid = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        uid = 0
    if services.link_user(uid=uid, token=token, purpose=purpose) is None:
        return render(request, "accounts/link_invalid.html", {"purpose": purpose})
    # Keep the token out of the address bar (and of Referer headers) from here on.
    request.session.cycle_key()
    request.session[ACCOUNT_LINK] = {"uid": uid, "token": token, "purpose": purpose}
    return redirect("accounts:set-password")


@login_not_required
@never_cache
def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the welkomstmail."""
    return _open_link(request, uidb64, token, "activation")


@login_not_required
@never_cache
def password_reset(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link in the Wachtwoord vergeten mail."""
    return _open_link(request, uidb64, token, "reset")


@login_not_required
@never_cache
@sensitive_post_parameters("new_password1", "new_password2", "current_password")
def set_password(request: HttpRequest) -> HttpResponse:
    """Choose a password, or (no authenticator yet) confirm the current one and go on to pair one."""
    link = step_data(request, ACCOUNT_LINK)
    user = services.link_user(
        uid=link.get("uid", 0), token=link.get("token", ""), purpose=link.get("purpose", "activation")
    )
    if user is None:
        step_end(request, ACCOUNT_LINK)
        return render(request, "accounts/link_invalid.html", {"purpose": link.get("purpose", "activation")})
    may_keep_password = user.has_usable_password() and not user.has_authenticator()
    action = request.POST.get("action", "new")
    new_form = NewPasswordForm(user, request.POST if action == "new" else None)
    keep_form = CurrentPasswordForm(request.POST if action == "keep" and may_keep_password else None)
    form = new_form if action == "new" else keep_form
    if request.method == "POST" and form.is_bound and form.is_valid():
        try:
            user = services.link_use(
                uid=user.pk,
                token=link["token"],
                purpose=link["purpose"],
                new_password=new_form.cleaned_data["new_password2"] if action == "new" else None,
                current_password=keep_form.cleaned_data["current_password"] if action == "keep" else None,
                request=request,
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            step_end(request, ACCOUNT_LINK)
            if user.has_authenticator():
                messages.success(request, "Uw wachtwoord is ingesteld. U kunt nu inloggen.")
                return redirect("accounts:login")
            step_start(request, ACCOUNT_SETUP, user)
            return redirect("accounts:totp-setup")
    context = {
        "account": user,
        "purpose": link["purpose"],
        "new_form": new_form,
        "keep_form": keep_form if may_keep_password else None,
    }
    return render(request, "accounts/set_password.html", context)


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-title" class="srm-qr" ', 1).replace(
        ">",
        '><title id="qr-title">QR-code om de Social Return Monitor aan uw authenticator-app toe te voegen</title>',
        1,
    )


@login_not_required
@never_cache
def totp_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app: QR code and the secret as text, confirmed with a first code."""
    user = step_user(request, ACCOUNT_SETUP, ACCOUNT_SETUP_SECONDS)
    if user is None:
        messages.warning(
            request,
            "Het koppelen van de authenticator is verlopen of al afgerond. Log in, of vraag via Wachtwoord "
            "vergeten een nieuwe link aan.",
        )
        return redirect("accounts:login")
    device = services.totp_device_for_setup(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(user=user, token=form.cleaned_data["code"], request=request):
            step_end(request, ACCOUNT_SETUP)
            request.session.cycle_key()
            messages.success(
                request,
                "De authenticator is gekoppeld. Log nu in met uw e-mailadres, wachtwoord en de code uit de app.",
            )
            return redirect("accounts:login")
        form.add_error(
            "code", "Deze code klopt niet. Controleer of de tijd op uw telefoon goed staat en vul de nieuwste code in."
        )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "account": user,
        # The SVG is generated here from our own otpauth URI; nothing in it comes from user input.
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308
        "secret": secret,
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/totp_setup.html", context)


@login_not_required
@never_cache
def password_forgotten(request: HttpRequest) -> HttpResponse:
    """Ask for a one-time link; the answer is the same whether or not the address exists."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_forgotten(email=form.cleaned_data["email"], request=request)
        return render(request, "accounts/password_forgotten_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/password_forgotten.html", {"form": form})
