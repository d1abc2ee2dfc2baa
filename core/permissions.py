"""The one shape of a permission check's answer, for every app (issue 27): allowed, or denied with the reason
the user reads, in Dutch (as Weblate's `Denied`). An answer is true when allowed, so `if can_x(...)` reads as
before, and a refusal always has its reason at hand: `answer.reason`.

Every `can_*` function of an app's `permissions` module answers this way (tests/test_layering.py checks it).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Answer(allowed=True)


def denied(reason: str) -> Answer:
    """No, and why (a sentence in Dutch, shown to the user)."""
    return Answer(allowed=False, reason=reason)
