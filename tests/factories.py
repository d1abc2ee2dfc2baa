from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, OrganisationKind, Region, User
from policy import valuation as v
from policy.models import PolicyVersion
from policy.rules_store import rules_save
from policy.services.rules import RULE_MODELS

PASSWORD = "Lang-genoeg-wachtwoord-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = OrganisationKind.OPDRACHTGEVER
    region = factory.LazyFunction(lambda: Region.objects.get(slug="drenthe"))


class OpdrachtnemerFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Aannemer {n} B.V.")
    kind = OrganisationKind.OPDRACHTNEMER
    region = None
    kvk_number = factory.Sequence(lambda n: f"{80000000 + n}")

    @factory.post_generation
    def regions(self, create: bool, extracted: list[Region] | None, **kwargs: object) -> None:
        if create:
            self.regions.add(*(extracted if extracted is not None else Region.objects.filter(slug="drenthe")))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@voorbeeld.invalid")
    name = factory.Sequence(lambda n: f"Gebruiker {n}")
    organisation = factory.SubFactory(OrganisationFactory)

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def authenticator(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="Authenticator", confirmed=True)


def coordinatiepunt(slug: str) -> Organisation:
    """The coördinatiepunt the migrations seeded for a region (there after every test: tests/seeded.py)."""
    return Organisation.objects.select_related("region").get(kind=OrganisationKind.COORDINATIEPUNT, region__slug=slug)


def seeded_policy(region: Region) -> PolicyVersion:
    """The policy version the migrations seeded for a region."""
    return PolicyVersion.objects.filter(region=region).earliest("valid_from")


def policy_version(region: Region, rules: v.PolicyRules, valid_from: date, by: User | None = None) -> PolicyVersion:
    """A version of `rules` for `region` from `valid_from` on, stored as publishing does (without its date checks)."""
    version = PolicyVersion.objects.create(
        region=region,
        valid_from=valid_from,
        title=rules.title,
        method=rules.method.value,
        fulltime_hours=rules.fulltime_hours,
        created_by=by,
    )
    rules_save(version=version, rules=rules, models=RULE_MODELS)
    return version
