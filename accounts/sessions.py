"""The short-lived steps of login and account setup, kept in the (anonymous) session.

Each step stores the user's security stamp: a reset of the authenticator or a new password
in between invalidates the step.
"""

import time
from typing import Any

from django.http import HttpRequest

from .models import User

PENDING_LOGIN = "accounts.pending_login"  # password checked, code not yet
ACCOUNT_SETUP = "accounts.setup"  # link used, authenticator not yet paired
ACCOUNT_LINK = "accounts.link"  # the one-time link, kept out of the URL after the first visit

PENDING_LOGIN_SECONDS = 10 * 60
ACCOUNT_SETUP_SECONDS = 30 * 60


def step_start(request: HttpRequest, key: str, user: User, **extra: Any) -> None:
    request.session.cycle_key()
    request.session[key] = {"user": user.pk, "stamp": user.security_stamp, "at": time.time(), **extra}


def step_user(request: HttpRequest, key: str, max_age: int) -> User | None:
    """The user of a step in progress, or None when there is none or it went stale."""
    step = request.session.get(key)
    if not step or time.time() - step.get("at", 0) > max_age:
        return None
    user = User.objects.filter(pk=step["user"], is_active=True).select_related("organisation").first()
    if user is None or user.security_stamp != step["stamp"]:
        return None
    return user


def step_data(request: HttpRequest, key: str) -> dict[str, Any]:
    return dict(request.session.get(key) or {})


def step_end(request: HttpRequest, key: str) -> None:
    request.session.pop(key, None)
