import hashlib
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Region, User

from .. import valuation as v
from ..models import (
    PolicyBonus,
    PolicyBouwblok,
    PolicyDoelgroep,
    PolicyNiveauCap,
    PolicySoortInzet,
    PolicyUpload,
    PolicyVersion,
)
from ..permissions import can_edit_region_content
from ..rules_store import rules_save
from . import ConcurrentEditError

RULE_MODELS = {
    "soort": PolicySoortInzet,
    "cap": PolicyNiveauCap,
    "doelgroep": PolicyDoelgroep,
    "bouwblok": PolicyBouwblok,
    "bonus": PolicyBonus,
}


@transaction.atomic
def policy_text_update(*, version: PolicyVersion, text: str, revision: int, by: User) -> None:
    """Change the uitvoeringsvoorwaarden text of a version (its rules never change once published)."""
    if not can_edit_region_content(by, version.region):
        raise PermissionDenied
    updated = PolicyVersion.objects.filter(pk=version.pk, revision=revision).update(
        text=text, revision=F("revision") + 1
    )
    if not updated:
        raise ConcurrentEditError


@transaction.atomic
def policy_version_publish(
    *, region: Region, valid_from: date, title: str, text: str, rules: v.PolicyRules, by: User
) -> PolicyVersion:
    """Publish a new version of a region's rules, in force from `valid_from`.

    The date must lie after today and after every earlier version, so a published version
    never changes the value of a line that already started (and may have been validated)."""
    if not can_edit_region_content(by, region):
        raise PermissionDenied
    latest = PolicyVersion.objects.select_for_update().filter(region=region).order_by("-valid_from").first()
    today = timezone.localdate()
    if valid_from <= today:
        raise ValidationError(
            {"valid_from": "Een nieuwe versie gaat op zijn vroegst morgen in: regels die al lopen veranderen niet."}
        )
    if latest is not None and valid_from <= latest.valid_from:
        raise ValidationError(
            {"valid_from": f"Kies een datum na {latest.valid_from:%d-%m-%Y}, de ingangsdatum van de laatste versie."}
        )
    version = PolicyVersion(
        region=region,
        valid_from=valid_from,
        title=title,
        text=text,
        method=rules.method.value,
        fulltime_hours=rules.fulltime_hours,
        created_by=by,
    )
    version.full_clean()
    version.save()
    rules_save(version=version, rules=rules, models=RULE_MODELS)
    return version


def policy_upload_keep(*, region: Region, name: str, content: bytes, by: User) -> PolicyUpload:
    """Keep a policy workbook that was read without problems, for its preview and its publication."""
    if not can_edit_region_content(by, region):
        raise PermissionDenied
    return PolicyUpload.objects.create(
        region=region, uploaded_by=by, file_name=name[:255], sha256=hashlib.sha256(content).hexdigest(), content=content
    )


@transaction.atomic
def policy_upload_publish(
    *, upload: PolicyUpload, rules: v.PolicyRules, valid_from: date, title: str, text: str, by: User
) -> PolicyVersion:
    """Publish the rules of an uploaded workbook as a new version (`policy_version_publish`), once."""
    upload = PolicyUpload.objects.select_for_update().get(pk=upload.pk, uploaded_by=by)
    if upload.published_id is not None:
        raise ValidationError("Deze werkmap is al gepubliceerd.")
    version = policy_version_publish(
        region=upload.region, valid_from=valid_from, title=title, text=text, rules=rules, by=by
    )
    upload.published = version
    upload.save(update_fields=["published"])
    return version


def policy_uploads_cleanup(now: datetime | None = None) -> int:
    """Remove the policy workbooks uploaded more than POLICY_UPLOAD_KEEP_DAYS ago and never published (a
    published one is the record of where its version came from). Returns how many were removed."""
    cut_off = (now or timezone.now()) - timedelta(days=settings.POLICY_UPLOAD_KEEP_DAYS)
    removed, _ = PolicyUpload.objects.filter(published__isnull=True, uploaded_at__lt=cut_off).delete()
    return removed
