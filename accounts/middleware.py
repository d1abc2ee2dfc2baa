import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PrivatePagesMiddleware:
    """Pages for a logged-in user carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class SessionIdleMiddleware:
    """Restarts a session's idle timer at most once a minute (`SESSION_TIMER_RESTART_SECONDS`), not on every request:
    restarting it is a write to the session table, which on every page would be a commit for every click.

    A session lives `SESSION_COOKIE_AGE` after the last restart, which is the idle time plus that minute: the last
    request came less than a minute after the last restart, so the session ends between `SESSION_IDLE_MINUTES` and a
    minute more after it, never sooner."""

    RESTARTED = "_idle_timer_restarted"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        self.restart(request.session)
        return response

    def restart(self, session: SessionBase) -> None:
        if session.session_key is None:  # no cookie came (or the session was just ended): nothing to keep
            return
        restarted = session.get(self.RESTARTED, 0)  # loads the session: an unknown or expired key is dropped here
        now = int(time.time())
        if session.session_key is not None and now - restarted >= settings.SESSION_TIMER_RESTART_SECONDS:
            session[self.RESTARTED] = now  # saved, with a new expiry, by the SessionMiddleware
