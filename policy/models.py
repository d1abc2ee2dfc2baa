"""The region's published rules as versioned data, and the region's content pages.

A `PolicyVersion` holds everything `policy.valuation` needs (soorten with their caps,
doelgroepen with their termijnen, bouwblokken, bonuses); `to_rules()` turns it into the
engine's `PolicyRules`, which is also what the Beleid page renders.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import OrganisationKind, Region, User

from . import valuation as v


def regions_visible_to(user: User) -> models.QuerySet[Region]:
    """Regions whose policy and content a user reads: their own, or all for opdrachtnemers and beheer."""
    if not user.is_authenticated:
        return Region.objects.none()
    if user.is_superuser or user.role == OrganisationKind.OPDRACHTNEMER or user.region is None:
        return Region.objects.all()
    return Region.objects.filter(pk=user.region.pk)


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def for_user(self, user: User) -> "PolicyVersionQuerySet":
        return self.filter(region__in=regions_visible_to(user))

    def in_force(self, *, region: Region, day: date) -> "PolicyVersion | None":
        """The version of a region that applies on a day (`version_in_force`)."""
        return version_in_force(list(self.filter(region=region).order_by("valid_from")), day)

    def with_rules(self) -> "PolicyVersionQuerySet":
        return self.prefetch_related("soorten__niveau_caps", "doelgroepen", "bouwblokken", "bonuses")

    def with_rules_stamp(self) -> "PolicyVersionQuerySet":
        """Each version with `rules_stamp`: which row versions its rules are stored in (`rules_stamp_sql`)."""
        return self.annotate(rules_stamp=RawSQL(rules_stamp_sql(), ()))  # noqa: S611 - no parameters


def version_in_force(versions: Sequence["PolicyVersion"], day: date) -> "PolicyVersion | None":
    """Of one region's versions in order of `valid_from`, the one that applies on a day: the newest valid from
    then or before. A day before the first version falls under the first version."""
    applies = [version for version in versions if version.valid_from <= day]
    return applies[-1] if applies else next(iter(versions), None)


class VersionBook:
    """Policy versions with their rules, each read once: for valuing many lines in one go (an invulbestand,
    a revaluation), where asking the database per line would cost six queries a line.

    The versions are read in one query with their `rules_stamp`; the engine's rules are built once per process
    and stamp (`RULES`), so valuing a single line (a saved form) costs that one query and reads no rule rows."""

    def __init__(self) -> None:
        self._regions: dict[int, list[PolicyVersion]] = {}

    def _region(self, region_id: int) -> list["PolicyVersion"]:
        """All versions of the region, in order of valid_from: read once."""
        if region_id not in self._regions:
            versions = PolicyVersion.objects.with_rules_stamp().filter(region_id=region_id).order_by("valid_from")
            self._regions[region_id] = list(versions)
        return self._regions[region_id]

    def in_force(self, region_id: int, day: date) -> "PolicyVersion | None":
        return version_in_force(self._region(region_id), day)

    def get(self, pk: int) -> "PolicyVersion":
        known = next((version for versions in self._regions.values() for version in versions if version.pk == pk), None)
        if known is None:
            region_id = PolicyVersion.objects.filter(pk=pk).values_list("region_id", flat=True).get()
            known = next(version for version in self._region(region_id) if version.pk == pk)
        return known

    def rules(self, version: "PolicyVersion") -> v.PolicyRules:
        return RULES.get(version)


class RulesCache:
    """The engine's rules of each version, built once per process and kept by the version's `rules_stamp`.

    Published rules don't change (`policy_text_update` changes only the text), but the key doesn't lean on that:
    the stamp changes with every write to the rules by any path (a migration, the admin, a test's `.update()`)
    and a rolled-back write brings the old stamp back with the old rows, so a stale copy is never used. The
    oldest of more than `size` copies is dropped: stamps of changed rules are never asked for again."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._rules: dict[tuple[str, int, str], v.PolicyRules] = {}

    def get(self, version: "PolicyVersion") -> v.PolicyRules:
        stamp = getattr(version, "rules_stamp", None)
        if stamp is None:  # a version read without `with_rules_stamp()`
            return version.to_rules()
        database = connection.settings_dict["NAME"]
        rules = self._rules.get((database, version.pk, stamp))
        if rules is None:
            # The stamp is read with the rules and once more after them: the rules are read in several queries,
            # each with its own snapshot, so they are kept only if no change was committed between the two reads.
            # Rules changed since `version` was read are kept by their own stamp, never by the older one.
            loaded = PolicyVersion.objects.with_rules().with_rules_stamp().get(pk=version.pk)
            rules = loaded.to_rules()
            loaded_stamp = loaded.rules_stamp  # type: ignore[attr-defined]
            if loaded_stamp == stamp_of(version.pk):
                for oldest in list(self._rules)[: len(self._rules) - self.size + 1]:
                    self._rules.pop(oldest, None)  # another thread may have dropped it first
                self._rules[(database, version.pk, loaded_stamp)] = rules
        return rules

    def __len__(self) -> int:
        return len(self._rules)


RULES = RulesCache()


def stamp_of(pk: int) -> str:
    """The `rules_stamp` of a version as it is now."""
    stamp: str = PolicyVersion.objects.with_rules_stamp().only("pk").get(pk=pk).rules_stamp  # type: ignore[attr-defined]
    return stamp


def rules_stamp_sql() -> str:
    """SQL of which row versions hold a version's rules: the `ctid` (place) and `xmin` (writing transaction) of
    its own row and of every soort, cap, doelgroep, bouwblok and bonus row. Postgres writes a new row version on
    every UPDATE, so any insert, change or delete gives another stamp."""
    quote = connection.ops.quote_name
    version, soort = quote(PolicyVersion._meta.db_table), quote(PolicySoortInzet._meta.db_table)
    sources = [
        ("v", f"{version} r", "r.id"),
        ("s", f"{soort} r", "r.version_id"),
        ("c", f"{quote(PolicyNiveauCap._meta.db_table)} r JOIN {soort} s ON s.id = r.soort_id", "s.version_id"),
        *(
            (tag, f"{quote(model._meta.db_table)} r", "r.version_id")
            for tag, model in (("d", PolicyDoelgroep), ("b", PolicyBouwblok), ("o", PolicyBonus))
        ),
    ]
    rows = " UNION ALL ".join(
        f"SELECT '{tag}' || r.ctid::text || r.xmin::text AS stamp FROM {source} WHERE {key} = {version}.id"  # noqa: S608 - table names from the models
        for tag, source, key in sources
    )
    return f"SELECT md5(string_agg(stamp, ',' ORDER BY stamp)) FROM ({rows}) AS stamps"  # noqa: S608 - as above


@pghistory.track()
class PolicyVersion(models.Model):
    """One published version of a region's uitvoeringsvoorwaarden and Menukaart."""

    region = models.ForeignKey(Region, verbose_name="regio", on_delete=models.PROTECT, related_name="policy_versions")
    valid_from = models.DateField("geldig vanaf")
    title = models.CharField("titel", max_length=200)
    method = models.CharField(
        "waarderingsmethode",
        max_length=20,
        choices=[(v.ValuationMethod.KOSTEN, "Kosten (Menukaart)"), (v.ValuationMethod.BOUWBLOKKEN, "Bouwblokken")],
        default=v.ValuationMethod.KOSTEN,
    )
    fulltime_hours = models.DecimalField("uren bij voltijd", max_digits=4, decimal_places=1, default=Decimal(36))
    text = models.TextField("uitvoeringsvoorwaarden", blank=True)
    # Bumped on every edit of the text: two people editing at once can't overwrite each other.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField("gepubliceerd op", default=timezone.now)
    created_by = models.ForeignKey(
        User, verbose_name="gepubliceerd door", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["region", "-valid_from"]
        verbose_name = "beleidsversie"
        verbose_name_plural = "beleidsversies"
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="one_policy_version_per_region_and_day"),
            models.CheckConstraint(condition=Q(fulltime_hours__gt=0), name="policy_fulltime_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.region}, geldig vanaf {self.valid_from:%d-%m-%Y})"

    def to_rules(self) -> v.PolicyRules:
        """The engine's view of this version (prefetch with `with_rules()` to avoid a query per soort)."""
        return v.PolicyRules(
            title=self.title,
            method=v.ValuationMethod(self.method),
            soorten=tuple(soort.to_rule() for soort in self.soorten.all()),
            doelgroepen=tuple(doelgroep.to_rule() for doelgroep in self.doelgroepen.all()),
            bouwblokken=tuple(bouwblok.to_rule() for bouwblok in self.bouwblokken.all()),
            bonuses=tuple(bonus.to_rule() for bonus in self.bonuses.all()),
            fulltime_hours=self.fulltime_hours,
        )


def _non_negative(*names: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}), name=f"%(class)s_{name}_not_negative"
        )
        for name in names
    ]


class PolicySoortInzet(models.Model):
    """One row of the Menukaart: a soort inzet with how it is valued and its caps."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="soorten")
    code = models.CharField(max_length=30)
    order = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("soort inzet", max_length=100)
    specification = models.TextField("specificatie")
    valuation_text = models.TextField("waardering")
    calculation = models.CharField("berekening", max_length=20, choices=[(c.value, c.value) for c in v.Calculation])
    inputs = ArrayField(models.CharField(max_length=30), verbose_name="invoervelden", default=list, blank=True)
    period = models.TextField("periode")
    value_hint = models.TextField("waarde-indicatie", blank=True)
    amount_label = models.CharField(max_length=100, default="Bedrag")
    hours_label = models.CharField(max_length=100, default="Uren per week")
    kandidaat_required = models.BooleanField("kandidaat verplicht", default=True)
    counts_termijn = models.BooleanField("termijn van de doelgroep telt", default=True)
    is_work = models.BooleanField(
        "telt als werk",
        default=True,
        help_text=(
            "De eerste werkdag van een kandidaat is de vroegste start van zijn regels van een soort die als werk telt."
        ),
    )
    within_project = models.BooleanField("alleen binnen de projectduur", default=True)
    months_before_project_start = models.PositiveSmallIntegerField("maanden voor de projectstart", default=0)
    max_months = models.PositiveSmallIntegerField("maximaal aantal maanden", null=True, blank=True)
    hourly_rate = models.DecimalField("uurtarief", max_digits=10, decimal_places=2, null=True, blank=True)
    max_per_week = models.DecimalField("maximum per week", max_digits=10, decimal_places=2, null=True, blank=True)
    min_hours_per_week = models.DecimalField(
        "minimum uren per week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    max_per_kandidaat = models.DecimalField(
        "maximum per kandidaat", max_digits=12, decimal_places=2, null=True, blank=True
    )
    in_overleg_coordinatiepunt = models.BooleanField("in overleg met het coördinatiepunt", default=False)

    class Meta:
        ordering = ["order"]
        verbose_name = "soort inzet"
        verbose_name_plural = "soorten inzet"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="policy_soort_code_unique"),
            *_non_negative("hourly_rate", "max_per_week", "min_hours_per_week", "max_per_kandidaat"),
        ]

    def __str__(self) -> str:
        return self.label

    def to_rule(self) -> v.SoortInzet:
        return v.SoortInzet(
            code=self.code,
            order=self.order,
            label=self.label,
            specification=self.specification,
            valuation_text=self.valuation_text,
            calculation=v.Calculation(self.calculation),
            inputs=tuple(v.Input(name) for name in self.inputs),
            period=self.period,
            value_hint=self.value_hint,
            amount_label=self.amount_label,
            hours_label=self.hours_label,
            kandidaat_required=self.kandidaat_required,
            counts_termijn=self.counts_termijn,
            is_work=self.is_work,
            within_project=self.within_project,
            months_before_project_start=self.months_before_project_start,
            max_months=self.max_months,
            niveau_caps=tuple(cap.to_rule() for cap in self.niveau_caps.all()),
            hourly_rate=self.hourly_rate,
            max_per_week=self.max_per_week,
            min_hours_per_week=self.min_hours_per_week,
            max_per_kandidaat=self.max_per_kandidaat,
            in_overleg_coordinatiepunt=self.in_overleg_coordinatiepunt,
        )


class PolicyNiveauCap(models.Model):
    """A monthly cap per niveau, e.g. the stagevergoeding for mbo."""

    soort = models.ForeignKey(PolicySoortInzet, on_delete=models.CASCADE, related_name="niveau_caps")
    niveau = models.CharField(max_length=10, choices=[(n.value, n.value) for n in v.Niveau])
    amount = models.DecimalField("maximum per maand", max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["amount"]
        verbose_name = "maximum per niveau"
        verbose_name_plural = "maxima per niveau"
        constraints = [
            models.UniqueConstraint(fields=["soort", "niveau"], name="policy_niveau_cap_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="policy_niveau_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.niveau}: {self.amount}"

    def to_rule(self) -> v.NiveauCap:
        return v.NiveauCap(niveau=v.Niveau(self.niveau), amount=self.amount)


class PolicyDoelgroep(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="doelgroepen")
    code = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField("volgorde")
    label = models.CharField("doelgroep", max_length=200)
    short_label = models.CharField("korte naam", max_length=60)
    termijn = models.CharField(max_length=20, choices=[(t.value, t.value) for t in v.Termijn])
    termijn_months = models.PositiveSmallIntegerField("termijn in maanden", null=True, blank=True)
    min_months_unemployed = models.PositiveSmallIntegerField("minimaal maanden werkloos", null=True, blank=True)
    min_age = models.PositiveSmallIntegerField("minimumleeftijd", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("leeftijd tot", null=True, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = "doelgroep"
        verbose_name_plural = "doelgroepen"
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="policy_doelgroep_code_unique")]

    def __str__(self) -> str:
        return self.label

    def to_rule(self) -> v.Doelgroep:
        return v.Doelgroep(
            code=self.code,
            order=self.order,
            label=self.label,
            short_label=self.short_label,
            termijn=v.Termijn(self.termijn),
            termijn_months=self.termijn_months,
            min_months_unemployed=self.min_months_unemployed,
            min_age=self.min_age,
            max_age=self.max_age,
        )


class PolicyBouwblok(models.Model):
    """Bouwblokken method: a fixed yearly value for matching lines (first match by order)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="bouwblokken")
    order = models.PositiveSmallIntegerField("volgorde")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    yearly_value = models.DecimalField("waarde per jaar", max_digits=12, decimal_places=2)
    soorten = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    doelgroepen = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="policy_bouwblok_code_unique"),
            models.CheckConstraint(condition=Q(yearly_value__gte=0), name="policy_bouwblok_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label

    def to_rule(self) -> v.Bouwblok:
        return v.Bouwblok(
            code=self.code,
            label=self.label,
            yearly_value=self.yearly_value,
            soorten=tuple(self.soorten),
            doelgroepen=tuple(self.doelgroepen),
        )


class PolicyBonus(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="bonuses")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    amount = models.DecimalField("bedrag", max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="policy_bonus_code_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="policy_bonus_not_negative"),
        ]

    def __str__(self) -> str:
        return self.label

    def to_rule(self) -> v.Bonus:
        return v.Bonus(code=self.code, label=self.label, amount=self.amount)


class PolicyUploadQuerySet(models.QuerySet["PolicyUpload"]):
    def for_user(self, user: User) -> "PolicyUploadQuerySet":
        """A coördinatiepunt user's own uploads, of the own region."""
        if not user.is_authenticated or user.region is None:
            return self.none()
        return self.filter(uploaded_by=user, region=user.region)


class PolicyUpload(models.Model):
    """A policy workbook uploaded by a coördinatiepunt, read without problems (`policy.workbook`): shown as the
    Beleid page would be, then published as a new version. The file is kept to be read again then."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField("bestandsnaam", max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    published = models.ForeignKey(PolicyVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = PolicyUploadQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "geüploade beleidswerkmap"
        verbose_name_plural = "geüploade beleidswerkmappen"

    def __str__(self) -> str:
        return self.file_name


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    def for_user(self, user: User) -> "NewsItemQuerySet":
        """News of the regions a user reads; only published items, except for that region's coördinatiepunt."""
        visible = self.filter(region__in=regions_visible_to(user))
        if user.is_authenticated and user.role == OrganisationKind.COORDINATIEPUNT:
            return visible.filter(Q(publish_date__lte=timezone.localdate()) | Q(region=user.region))
        return visible.filter(publish_date__lte=timezone.localdate())


@pghistory.track()
class NewsItem(models.Model):
    region = models.ForeignKey(Region, verbose_name="regio", on_delete=models.PROTECT, related_name="news")
    title = models.CharField("titel", max_length=200)
    body = models.TextField("bericht")
    publish_date = models.DateField(
        "publicatiedatum", default=timezone.localdate, help_text="Vanaf deze dag zien gebruikers het bericht."
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_date", "-pk"]
        verbose_name = "nieuwsbericht"
        verbose_name_plural = "nieuwsberichten"

    def __str__(self) -> str:
        return self.title

    def is_published(self, today: date | None = None) -> bool:
        return self.publish_date <= (today or timezone.localdate())


class InfoPageKind(models.TextChoices):
    HANDLEIDING = "handleiding", "Handleiding"
    FAQ = "faq", "Veelgestelde vraag"
    OTHER = "overig", "Overige informatie"


class InfoPageQuerySet(models.QuerySet["InfoPage"]):
    def for_user(self, user: User) -> "InfoPageQuerySet":
        return self.filter(region__in=regions_visible_to(user))


@pghistory.track()
class InfoPage(models.Model):
    """Algemene informatie: a handleiding, a veelgestelde vraag or other information of a region."""

    region = models.ForeignKey(Region, verbose_name="regio", on_delete=models.PROTECT, related_name="info_pages")
    kind = models.CharField("soort", max_length=20, choices=InfoPageKind.choices, default=InfoPageKind.OTHER)
    title = models.CharField("titel", max_length=200)
    body = models.TextField("tekst")
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = InfoPageQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "order", "title"]
        verbose_name = "informatiepagina"
        verbose_name_plural = "informatiepagina's"

    def __str__(self) -> str:
        return self.title
