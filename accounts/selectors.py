"""Reading accounts for a user: the user list with its search, each account with whether its authenticator
is paired."""

from django.db.models import Exists, OuterRef, Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User, UserQuerySet


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
