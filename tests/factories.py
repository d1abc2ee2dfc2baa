from datetime import date

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, OrganisationKind, Region, User
from policy.models import PolicyVersion
from policy.rules_store import rules_save
from policy.seed_rules import SEED_RULES
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
    """The coördinatiepunt of a region, also after a transactional test emptied the tables."""
    region, _ = Region.objects.get_or_create(slug=slug, defaults={"name": slug.capitalize()})
    organisation, _ = Organisation.objects.get_or_create(
        kind=OrganisationKind.COORDINATIEPUNT,
        region=region,
        defaults={"name": f"Coördinatiepunt Social Return {region}"},
    )
    return organisation


def seeded_policy(region: Region) -> PolicyVersion:
    """The seeded policy version of a region, also after a transactional test emptied the tables."""
    version = PolicyVersion.objects.filter(region=region).order_by("valid_from").first()
    if version is None:
        version = PolicyVersion.objects.create(
            region=region,
            valid_from=date(2020, 1, 1),
            title=f"Uitvoeringsvoorwaarden {region}",
            text="## Verantwoording",
        )
        rules_save(version=version, rules=SEED_RULES, models=RULE_MODELS)
    return version
