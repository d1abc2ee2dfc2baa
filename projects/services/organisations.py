"""Opdrachtnemers made on the spot while a project is created (SPEC §4): one record across all regions."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Organisation, OrganisationKind, User

from ..permissions import can_create_project
from . import require


def _kvk_taken(kvk_number: str) -> ValidationError:
    existing = Organisation.objects.filter(kvk_number=kvk_number).first()
    if existing is not None and existing.kind == OrganisationKind.OPDRACHTNEMER:
        message = f"Er is al een opdrachtnemer met KvK-nummer {kvk_number}: {existing.name}. Kies die in de lijst."
    else:
        message = f"Er is al een organisatie met KvK-nummer {kvk_number}."
    return ValidationError({"kvk_number": message})


@transaction.atomic
def opdrachtnemer_create(*, name: str, kvk_number: str, address: str, by: User) -> Organisation:
    """A new opdrachtnemer organisation; refuses a KvK-nummer that is already registered."""
    require(can_create_project(by))
    kvk_number = kvk_number.strip()
    if Organisation.objects.filter(kvk_number=kvk_number).exists():
        raise _kvk_taken(kvk_number)
    organisation = Organisation(
        name=name.strip(), kind=OrganisationKind.OPDRACHTNEMER, kvk_number=kvk_number, address=address.strip()
    )
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Someone registered the same number a moment ago: the unique index is the last guard.
        raise _kvk_taken(kvk_number) from None
    return organisation
