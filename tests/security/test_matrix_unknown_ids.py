"""Ids that don't exist, around every object of the authorization walk's cast: 404, GET and POST.

For every case of `EXPECTATIONS` whose arguments hold the id of a cast object, each id argument
is replaced by the ids within 20 of it that are not in that object's table (the model is taken
from the cast object itself). Every logged-in role must get 404 (or 405 where the URL refuses
the method before it looks anything up, as the case says), an anonymous visitor the login page;
never a 500, never a 403 or a redirect that tells "exists, but not for you" apart from "doesn't
exist". Nothing may change.

Cost: the windows hold ~1,300 unknown ids (each up to 40; 50 gave ~3,400 and found nothing more: an id just
outside the cast is as unknown as one far from it). Beheer (who sees everything: the
strongest check) gets every id on GET and a fixed sample of `SAMPLE` per window on POST; the other
roles that sample on both. These calls go straight to the view with the role's user: the middleware
adds nothing that decides a 404 for a logged-in user, and a request through the whole stack costs
six times as much. One id per window (GET and POST in turn) does go through the whole stack with
the test client, for every role including anonymous visitors.
"""

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.test import RequestFactory
from django.urls import resolve, reverse

from tests import lanes
from tests.test_authorization_walk import (
    EXPECTATIONS,
    ROLES,
    Case,
    cast,  # noqa: F401 - the fixture (used by name)
    client_for,
    differences,
    post_expect,
    snapshot,
    view_cast_for,
)

FULL = ("superuser",)  # every id, on GET
SAMPLE = 10
SPAN = lanes.depth(20, 5)  # unknown ids on each side of every object's id (a deep run: 20)


class TaggedPk(int):
    """An object's pk that remembers the object's model."""

    model: type[models.Model]


class Tagged:
    """A cast object whose `.pk` is a `TaggedPk`: so a case's kwargs tell which table an id is from."""

    def __init__(self, thing: models.Model) -> None:
        self._thing = thing

    @property
    def pk(self) -> TaggedPk:
        pk = TaggedPk(self._thing.pk)
        pk.model = type(self._thing)
        return pk

    def __getattr__(self, name: str) -> object:
        return getattr(self._thing, name)


@dataclass
class Window:
    """The unknown ids to put in one argument of one URL, with the other arguments as a case has them."""

    name: str
    key: str
    kwargs: dict
    case: Case
    ids: set[int] = field(default_factory=set)


def windows(view_cast: dict) -> Iterator[Window]:
    tagged = {key: Tagged(value) if isinstance(value, models.Model) else value for key, value in view_cast.items()}
    found: dict[tuple[str, str], Window] = {}
    for name, cases in EXPECTATIONS.items():
        for case in cases:
            kwargs = case.kwargs(tagged)
            for key, pk in kwargs.items():
                if not isinstance(pk, TaggedPk):
                    continue
                window = found.setdefault((name, key), Window(name, key, kwargs, case))
                around = range(max(0, pk - SPAN), pk + SPAN + 1)
                existing = set(pk.model._base_manager.filter(pk__in=around).values_list("pk", flat=True))
                window.ids |= set(around) - existing
    yield from found.values()


def unknown_answer(case: Case, role: str, method: str) -> int:
    """404; or 405 where the case says this role gets 405 for this method (the method is refused first)."""
    if role == "anonymous":
        return 302
    expected = case.expect[role] if method == "GET" else post_expect(case)[role]
    return 405 if expected == 405 else 404


def view_answer(user, method: str, url: str) -> int | str:  # type: ignore[no-untyped-def]
    """The view's answer for this logged-in user, as the handler would turn it into a status."""
    request = getattr(RequestFactory(), method.lower())(url)
    request.user = user
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    match = resolve(url)
    try:
        return match.func(request, *match.args, **match.kwargs).status_code
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    except Exception as error:  # every exception is the finding: a 500
        return f"500 ({type(error).__name__}: {error})"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_unknown_ids_around_every_object_answer_404(role, cast):  # noqa: F811
    view_cast = view_cast_for(role, cast)
    user = cast.get(role)
    client = client_for(role, cast)
    failures, figures = [], Counter()
    before = snapshot()
    for number, window in enumerate(windows(view_cast)):
        ids = sorted(window.ids)
        rng = random.Random(f"{window.name}:{window.key}")  # the same sample on every run
        sample = rng.sample(ids, min(SAMPLE, len(ids)))
        figures["windows"] += 1
        figures["ids in windows"] += len(ids)
        for method in ("GET", "POST"):
            expected = unknown_answer(window.case, role, method)
            direct = ids if role in FULL and method == "GET" else sample
            for pk in direct if user is not None else ():
                url = reverse(window.name, kwargs={**window.kwargs, window.key: pk})
                figures[f"{method} to the view"] += 1
                answer = view_answer(user, method, url)
                if answer != expected:
                    failures.append(f"{method} {url} ({window.key} unknown): expected {expected}, got {answer}")
        method = ("GET", "POST")[number % 2]
        url = reverse(window.name, kwargs={**window.kwargs, window.key: rng.choice(ids)})
        figures[f"{method} through the stack"] += 1
        response = client.get(url) if method == "GET" else client.post(url)
        expected = unknown_answer(window.case, role, method)
        if response.status_code != expected:
            failures.append(f"{method} {url} (unknown, whole stack): expected {expected}, got {response.status_code}")
        elif role == "anonymous" and not response["Location"].startswith(reverse("accounts:login") + "?next="):
            failures.append(f"{method} {url}: anonymous sent to {response['Location']}, not the login page")
    changed = differences(before, snapshot())
    assert not changed, f"requests for unknown ids changed {changed}"
    print(f"{role}: " + ", ".join(f"{key}: {value}" for key, value in sorted(figures.items())))
    assert not failures, "\n".join(failures)
