"""Who may read the outbox: a region's coördinatiepunt (its own region's mails) and functioneel beheer (all).

The notifications app knows no other app: it reads only the user's `is_superuser`, `is_coordinatiepunt`
and `region`."""

from typing import Any

from core.permissions import ALLOWED, Answer, denied


def can_read_outbox(user: Any) -> Answer:
    if user.is_superuser or (user.is_coordinatiepunt and user.region is not None):
        return ALLOWED
    return denied("Alleen het coördinatiepunt ziet de e-mail van zijn regio.")
