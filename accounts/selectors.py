"""Reading accounts for a user: the user list with its search, each account with whether its authenticator
is paired."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuthEvent, AuthEventKind, OrganisationKind, User, UserQuerySet


def users_for(user: User, query: str = "") -> UserQuerySet:
    """The accounts `user` may manage, by organisation and name; `query` searches name, e-mail and organisation."""
    users = (
        User.objects.for_user(user)
        .select_related("organisation__region")
        .annotate(paired=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("organisation__name", "name")
    )
    if query:
        users = users.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(organisation__name__icontains=query)
        )
    return users


def awaiting_invitation(user: User) -> UserQuerySet:
    """Accounts that came in with a region import (issue #32) and were never invited: inactive, without password,
    never logged in, and no account-created event. For the coördinatiepunt (its region's) and functioneel beheer."""
    if not user.is_superuser and user.role != OrganisationKind.COORDINATIEPUNT:
        return User.objects.none()
    invited = AuthEvent.objects.filter(user=OuterRef("pk"), kind=AuthEventKind.ACCOUNT_CREATED)
    return (
        User.objects.for_user(user)
        .filter(is_active=False, last_login__isnull=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(Exists(invited))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
