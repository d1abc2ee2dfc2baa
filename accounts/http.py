"""The request type of the views behind the login."""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view that is not marked @login_not_required: the login middleware let it through only with a
    verified user, so `request.user` is a `User`, never the AnonymousUser (what mypy is told here)."""

    user: User
