"""Changes to a region's news, information pages and contact details (SPEC §8).

Only the region's coördinatiepunt makes them. Edits carry the `revision` the form was opened
on: when someone else saved in between, nothing is written and `ConcurrentEditError` says so.
The pghistory triggers record every insert and update with the request's user.
"""

from datetime import date
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F

from accounts.models import Organisation, OrganisationKind, Region, User

from ..models import InfoPage, NewsItem
from ..permissions import can_edit_region_content
from . import ConcurrentEditError

M = TypeVar("M", bound=models.Model)


def _check(by: User, region: Region | None) -> None:
    if region is None or not can_edit_region_content(by, region):
        raise PermissionDenied


def _update(obj: M, *, revision: int, **values: Any) -> M:
    """Validate the new values, then write them only if the row is still at `revision`."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    updated = (
        type(obj)._default_manager.filter(pk=obj.pk, revision=revision).update(**values, revision=F("revision") + 1)
    )
    if not updated:
        raise ConcurrentEditError
    obj.refresh_from_db()
    return obj


@transaction.atomic
def news_create(*, region: Region, title: str, body: str, publish_date: date, by: User) -> NewsItem:
    """A news item of the region, shown to its users from `publish_date`."""
    _check(by, region)
    item = NewsItem(region=region, title=title, body=body, publish_date=publish_date, created_by=by)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def news_update(*, item: NewsItem, title: str, body: str, publish_date: date, revision: int, by: User) -> NewsItem:
    """Change a news item, unless it was saved by someone else since `revision`."""
    _check(by, item.region)
    return _update(item, revision=revision, title=title, body=body, publish_date=publish_date)


@transaction.atomic
def info_create(*, region: Region, kind: str, title: str, body: str, order: int, by: User) -> InfoPage:
    """A handleiding, veelgestelde vraag or other information page of the region."""
    _check(by, region)
    page = InfoPage(region=region, kind=kind, title=title, body=body, order=order)
    page.full_clean()
    page.save()
    return page


@transaction.atomic
def info_update(*, page: InfoPage, kind: str, title: str, body: str, order: int, revision: int, by: User) -> InfoPage:
    """Change an information page, unless it was saved by someone else since `revision`."""
    _check(by, page.region)
    return _update(page, revision=revision, kind=kind, title=title, body=body, order=order)


@transaction.atomic
def contact_details_update(
    *,
    organisation: Organisation,
    contact_name: str,
    email: str,
    phone: str,
    opening_hours: str,
    website: str,
    revision: int,
    by: User,
) -> Organisation:
    """Change the public contact details of a coördinatiepunt (by its own staff)."""
    if organisation.kind != OrganisationKind.COORDINATIEPUNT:
        raise PermissionDenied
    _check(by, organisation.region)
    return _update(
        organisation,
        revision=revision,
        contact_name=contact_name,
        email=email,
        phone=phone,
        opening_hours=opening_hours,
        website=website,
    )
