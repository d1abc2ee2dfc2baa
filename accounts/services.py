"""Account operations: invitation, activation, two-factor login, resets, password change, help requests.

Each function checks what it must, writes the audit log and causes its mails in the same
transaction. Views turn the domain errors raised here into messages.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from enum import Enum
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications.mail import mail_send

from .models import AuthEvent, AuthEventKind, Organisation, OrganisationKind, Region, User, new_security_stamp
from .permissions import can_create_user, can_reset_authenticator
from .tokens import TOKENS

logger = logging.getLogger("srmonitor.auth")


class AccountError(Exception):
    """An account operation that cannot be done; the message is for the user (Dutch)."""


def auth_event_log(
    *,
    kind: AuthEventKind,
    request: HttpRequest | None = None,
    user: User | None = None,
    actor: User | None = None,
    email_entered: str = "",
    detail: str = "",
) -> AuthEvent:
    """Write one line of the authentication audit log (and the application log)."""
    ip = get_client_ip_address(request) if request is not None else None
    agent = request.headers.get("User-Agent", "")[:300] if request is not None else ""
    event = AuthEvent.objects.create(
        kind=kind,
        user=user,
        actor=actor,
        email_entered=email_entered[:254],
        ip_address=ip,
        user_agent=agent,
        detail=detail,
    )
    logger.info("auth event=%s user=%s actor=%s ip=%s %s", kind, user and user.pk, actor and actor.pk, ip, detail)
    return event


def account_link(*, user: User, purpose: str) -> str:
    """Absolute one-time link for activation or Wachtwoord vergeten."""
    url_name = {"activation": "accounts:activate", "reset": "accounts:password-reset"}[purpose]
    path = reverse(url_name, args=[urlsafe_base64_encode(force_bytes(user.pk)), TOKENS[purpose].make_token(user)])
    return f"{settings.SITE_URL}{path}"


def _welcome_mail(user: User) -> None:
    mail_send(
        to=[user.email],
        template="welkomstmail",
        context={
            "user": user,
            "link": account_link(user=user, purpose="activation"),
            "days": settings.ACCOUNT_ACTIVATION_TIMEOUT // 86400,
        },
        key=f"welcome:{user.pk}:{user.security_stamp}",
        region_id=user.organisation.region_id if user.organisation is not None else None,
    )


@transaction.atomic
def user_invite(
    *,
    email: str,
    name: str,
    organisation: Organisation,
    phone: str = "",
    by: User | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Create an account without a password and send the welkomstmail with the activation link.

    `by` is None only for operators (the `invite_user` command)."""
    if by is not None and not can_create_user(by, organisation):
        raise PermissionDenied
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError("Er bestaat al een account met dit e-mailadres.")
    user = User.objects.create_user(email, name=name.strip(), phone=phone.strip(), organisation=organisation)
    auth_event_log(kind=AuthEventKind.ACCOUNT_CREATED, request=request, user=user, actor=by, detail=str(organisation))
    _welcome_mail(user)
    return user


@transaction.atomic
def imported_users_invite(*, by: User, request: HttpRequest | None = None) -> list[User]:
    """Invite the accounts a region import brought in (`selectors.awaiting_invitation`): each is activated and gets
    the welkomstmail with its activation link, as an account made by hand. Twice sends nothing twice: an invited
    account has its account-created event."""
    from .selectors import awaiting_invitation

    users = list(awaiting_invitation(by).select_for_update(of=("self",)))
    for user in users:
        user.is_active = True
        user.save(update_fields=["is_active"])
        detail = f"{user.organisation} (uitnodiging na regio-import)"
        auth_event_log(kind=AuthEventKind.ACCOUNT_CREATED, request=request, user=user, actor=by, detail=detail)
        _welcome_mail(user)
    return users


def link_user(*, uid: int, token: str, purpose: str) -> User | None:
    """The user a one-time link belongs to, or None when it is invalid, used or expired."""
    user: User | None = User.objects.filter(pk=uid, is_active=True).first()
    if user is None or not TOKENS[purpose].check_token(user, token):
        return None
    return user


@transaction.atomic
def link_use(
    *,
    uid: int,
    token: str,
    purpose: str,
    new_password: str | None = None,
    current_password: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Use a one-time link: set a new password, or prove the current one (to re-pair an authenticator).

    The user row is locked, so of many simultaneous uses exactly one succeeds."""
    user: User | None = User.objects.select_for_update().filter(pk=uid, is_active=True).first()
    if user is None or not TOKENS[purpose].check_token(user, token):
        raise AccountError("Deze link is verlopen of al gebruikt. Vraag via Wachtwoord vergeten een nieuwe link aan.")
    if new_password is not None:
        user.set_password(new_password)
        auth_event_log(kind=AuthEventKind.PASSWORD_SET, request=request, user=user, detail=purpose)
    elif current_password is None or not user.check_password(current_password):
        raise AccountError("Het wachtwoord is onjuist.")
    user.rotate_security_stamp()
    user.save(update_fields=["password", "security_stamp"])
    return user


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being paired; the same secret on every reload of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_confirm(*, user: User, token: str, request: HttpRequest | None = None) -> bool:
    """Confirm the authenticator being paired with a first code from the app."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    auth_event_log(kind=AuthEventKind.AUTHENTICATOR_CONFIRMED, request=request, user=user)
    return True


class CodeResult(Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED = "locked"
    NO_DEVICE = "no_device"


@dataclass(frozen=True)
class CodeCheck:
    result: CodeResult
    device: TOTPDevice | None = None
    wait_seconds: int = 0


@transaction.atomic
def login_code_check(*, user: User, token: str, request: HttpRequest | None = None) -> CodeCheck:
    """Check the authenticator code of the second login step.

    django-otp backs off exponentially per device and refuses a code used before; on top of
    that the account locks after OTP_FAILURE_LIMIT wrong codes in a row. The rows are locked,
    so parallel requests with one code give exactly one success."""
    user = User.objects.select_for_update().get(pk=user.pk)
    now = timezone.now()
    if user.is_otp_locked(now):
        return CodeCheck(CodeResult.LOCKED)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck(CodeResult.NO_DEVICE)
    allowed, data = device.verify_is_allowed()
    if not allowed:
        locked_until = (data or {}).get("locked_until") or now
        auth_event_log(
            kind=AuthEventKind.CODE_FAILED, request=request, user=user, detail="te snel na een onjuiste code"
        )
        return CodeCheck(CodeResult.THROTTLED, wait_seconds=max(1, int((locked_until - now).total_seconds()) + 1))
    if device.verify_token(token):
        if user.otp_failures:
            user.otp_failures = 0
            user.save(update_fields=["otp_failures"])
        return CodeCheck(CodeResult.OK, device=device)
    user.otp_failures += 1
    auth_event_log(
        kind=AuthEventKind.CODE_FAILED, request=request, user=user, detail=f"{user.otp_failures}e onjuiste code op rij"
    )
    if user.otp_failures >= settings.OTP_FAILURE_LIMIT:
        user.otp_failures = 0
        user.otp_locked_until = now + timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
        user.save(update_fields=["otp_failures", "otp_locked_until"])
        auth_event_log(
            kind=AuthEventKind.LOCKED, request=request, user=user, detail=f"tot {user.otp_locked_until:%d-%m-%Y %H:%M}"
        )
        return CodeCheck(CodeResult.LOCKED)
    user.save(update_fields=["otp_failures"])
    return CodeCheck(CodeResult.WRONG)


def login_complete(*, request: HttpRequest, user: User, device: TOTPDevice) -> None:
    """Log the user in after both factors; Django's login gives the session a new key."""
    user.otp_device = device  # type: ignore[attr-defined]  # django-otp stores this device in the session on login
    auth_login(request, user, backend="accounts.backends.EmailBackend")
    auth_event_log(kind=AuthEventKind.LOGIN, request=request, user=user)


@transaction.atomic
def user_logout_everywhere(*, user: User, request: HttpRequest | None = None) -> None:
    """End every session of this user (logout, or after a reset by the coördinatiepunt)."""
    User.objects.filter(pk=user.pk).update(security_stamp=new_security_stamp())
    auth_event_log(kind=AuthEventKind.LOGOUT, request=request, user=user)


def _forgot_url() -> str:
    return settings.SITE_URL + reverse("accounts:password-forgotten")


@transaction.atomic
def password_change(*, user: User, new_password: str, request: HttpRequest) -> User:
    """Wachtwoord wijzigen by the logged-in user, whose current password the form has checked (through axes).

    Every other session of the user ends (its session hash holds the password and the security
    stamp), and so do open one-time links and login steps; this session stays, under a new key.
    A notice goes to the user's address, so that a change by someone else does not go unnoticed."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.rotate_security_stamp()
    user.save(update_fields=["password", "security_stamp"])
    auth_event_log(kind=AuthEventKind.PASSWORD_CHANGED, request=request, user=user)
    mail_send(
        to=[user.email],
        template="wachtwoord_gewijzigd",
        context={"user": user, "at": timezone.now(), "forgot_url": _forgot_url()},
        key=f"password-changed:{user.pk}:{user.security_stamp}",
        region_id=user.organisation.region_id if user.organisation is not None else None,
    )
    update_session_auth_hash(request, user)  # the new hash in this session, under a new session key
    return user


def password_change_refused(*, user: User, request: HttpRequest) -> bool:
    """Audit a wrong current password at Wachtwoord wijzigen. Returns True when django-axes has now
    locked the account (as after as many wrong passwords at login): then this session ends too."""
    auth_event_log(kind=AuthEventKind.PASSWORD_CHANGE_FAILED, request=request, user=user)
    if not getattr(request, "axes_locked_out", False):
        return False
    auth_event_log(
        kind=AuthEventKind.LOCKED, request=request, user=user, detail="te veel onjuiste wachtwoorden bij wijzigen"
    )
    auth_logout(request)
    return True


@transaction.atomic
def authenticator_reset(*, user: User, by: User, request: HttpRequest | None = None) -> None:
    """Remove the user's authenticator, end all their sessions and mail them what to do next."""
    answer = can_reset_authenticator(by, user)
    if not answer:
        raise AccountError(answer.reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    TOTPDevice.objects.filter(user=user).delete()
    user.rotate_security_stamp()
    user.otp_failures = 0
    user.otp_locked_until = None
    user.save(update_fields=["security_stamp", "otp_failures", "otp_locked_until"])
    auth_event_log(kind=AuthEventKind.AUTHENTICATOR_RESET, request=request, user=user, actor=by)
    mail_send(
        to=[user.email],
        template="authenticator_gereset",
        context={"user": user, "by": by, "forgot_url": _forgot_url()},
        key=f"authenticator-reset:{user.pk}:{user.security_stamp}",
        region_id=by.organisation.region_id if by.organisation is not None else None,
    )


@transaction.atomic
def password_forgotten(*, email: str, request: HttpRequest | None = None) -> None:
    """Mail a one-time link when the address has an active account; say nothing either way."""
    email = email.strip().lower()
    user = User.objects.filter(email=email, is_active=True).first()
    auth_event_log(
        kind=AuthEventKind.PASSWORD_RESET_REQUESTED, request=request, user=user, email_entered="" if user else email
    )
    if user is None:
        return
    mail_send(
        to=[user.email],
        template="wachtwoord_vergeten",
        context={
            "user": user,
            "link": account_link(user=user, purpose="reset"),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        key=f"password-reset:{user.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        region_id=user.organisation.region_id if user.organisation is not None else None,
    )


@transaction.atomic
def help_request_send(
    *, region: Region, name: str, email: str, phone: str, message: str, request: HttpRequest | None = None
) -> None:
    """Mail a Hulp nodig? request to the coördinatiepunt of the chosen region."""
    coordinatiepunt = region.organisations.filter(kind=OrganisationKind.COORDINATIEPUNT).exclude(email="").first()
    if coordinatiepunt is None:
        raise AccountError(
            "Voor deze regio is nog geen coördinatiepunt met een e-mailadres bekend. "
            "Kies een andere regio of bel het coördinatiepunt."
        )
    auth_event_log(kind=AuthEventKind.HELP_REQUESTED, request=request, email_entered=email, detail=region.name)
    mail_send(
        to=[coordinatiepunt.email],
        reply_to=[email],
        template="hulp_nodig",
        context={"region": region, "name": name, "email": email, "phone": phone, "message": message},
        key=f"help:{region.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        region_id=region.pk,
    )


@dataclass(frozen=True)
class NewRegion:
    """What functioneel beheer fills in for a region that moves in (`region_add`)."""

    name: str
    slug: str
    coordinatiepunt: str  # the name of its coördinatiepunt organisation
    email: str  # the coördinatiepunt's public contact details
    phone: str
    user_email: str  # the first coördinatiepunt user, who gets the welkomstmail
    user_name: str
    contact_name: str = ""
    website: str = ""

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> "NewRegion":
        """From the command's options or the admin form's cleaned data, which use the same names."""
        return cls(**{field.name: data[field.name] or "" for field in fields(cls)})


@transaction.atomic
def region_add(new: NewRegion) -> tuple[Region, User]:
    """A new arbeidsmarktregio (functioneel beheer: `manage.py add_region` or the admin): the region, its
    coördinatiepunt with contact details, and the first coördinatiepunt user, who gets the welkomstmail.

    The region sees nothing of the others and they nothing of it: every queryset goes by region. Its policy
    comes next, from the coördinatiepunt's policy workbook. AccountError (Dutch) when a name is taken."""
    name, slug = new.name.strip(), new.slug.strip().lower()
    if not name or not slug_re.fullmatch(slug):
        raise AccountError("Geef de regio een naam en een code van kleine letters, cijfers en streepjes.")
    if Region.objects.filter(Q(name__iexact=name) | Q(slug=slug)).exists():
        raise AccountError(f"Er bestaat al een regio met de naam {name} of de code {slug}.")
    region = Region.objects.create(name=name, slug=slug)
    organisation = Organisation(
        name=new.coordinatiepunt.strip(),
        kind=OrganisationKind.COORDINATIEPUNT,
        region=region,
        email=new.email.strip(),
        phone=new.phone.strip(),
        contact_name=new.contact_name.strip(),
        website=new.website.strip(),
    )
    try:
        organisation.full_clean()
    except ValidationError as error:
        labels = {field.name: str(field.verbose_name) for field in Organisation._meta.fields}
        problems = [f"{labels.get(field, field)}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
        raise AccountError(f"Het coördinatiepunt: {'; '.join(problems)}") from error
    organisation.save()
    user = user_invite(email=new.user_email, name=new.user_name, organisation=organisation)
    return region, user
