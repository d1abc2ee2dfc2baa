"""Which rules apply: the policy version in force for a region, as the engine's `PolicyRules`.

Reads only; every view, export and service that needs the rules of a day asks here."""

from datetime import date

from django.utils import timezone

from accounts.models import Organisation, Region

from . import valuation as v
from .models import PolicyVersion


def rules_in_force(region: Region, day: date | None = None) -> v.PolicyRules | None:
    """The rules of `region` on `day` (today), or None before its first version."""
    version = PolicyVersion.objects.with_rules().in_force(region=region, day=day or timezone.localdate())
    return version.to_rules() if version else None


def rules_for_opdrachtnemer(organisation: Organisation | None) -> v.PolicyRules | None:
    """Today's rules for a kandidaat of an opdrachtnemer, which belongs to no project or region.

    The first region it works in; without one, the newest version in force anywhere (the doelgroep
    codes are the same in every region)."""
    region = organisation.regions.first() if organisation else None
    rules = rules_in_force(region) if region else None
    if rules is None:
        today = timezone.localdate()
        version = PolicyVersion.objects.with_rules().filter(valid_from__lte=today).order_by("-valid_from").first()
        rules = version.to_rules() if version else None
    return rules


def newest_version(region: Region) -> PolicyVersion | None:
    """The region's newest version (also one that starts later), with its rules: the base of the next one."""
    return PolicyVersion.objects.filter(region=region).with_rules().order_by("-valid_from").first()


def version_with_rules(pk: int) -> PolicyVersion:
    """One version with its rules, e.g. the one that values a line (`Inzet.policy_version`)."""
    return PolicyVersion.objects.with_rules().get(pk=pk)
