"""Project and verantwoording operations: permission check, transaction, audit, mail.

Views call these and turn `ProjectError` (or `ConcurrentEditError`) into a message.
"""

from core.permissions import Answer
from policy.services import ConcurrentEditError


class ProjectError(Exception):
    """An action that is not allowed or not possible now; the message is for the user (Dutch)."""


def require(answer: Answer) -> None:
    """Raise the refusal of a permission check (`projects.permissions`) as a ProjectError."""
    if not answer:
        raise ProjectError(answer.reason)


__all__ = ["ConcurrentEditError", "ProjectError", "require"]
