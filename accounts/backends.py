import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User


class EmailBackend(ModelBackend):
    """Log in with e-mail address (case-insensitive) and password."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, email: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        email = email or kwargs.get("username")
        if not email or not password:
            return None
        try:
            user = User.objects.get(email=email.strip().lower())
        except User.DoesNotExist:
            # Spend the same time hashing, so response time doesn't tell which addresses exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """Axes counts failures per normalised e-mail address, however it was typed."""
    source = credentials if credentials is not None else request.POST
    return (source.get("email") or source.get("username") or "").strip().lower()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address for the per-address lock and the audit log.

    Behind TRUSTED_PROXY_COUNT proxies, REMOTE_ADDR is the nearest proxy: each proxy appends the
    address it received from to X-Forwarded-For, so the client's is that many from the right.
    Whatever a client writes further to the left is not trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not count or len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
