import secrets
from datetime import datetime

import pghistory
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac


class Region(models.Model):
    """An arbeidsmarktregio with its own coördinatiepunt, policy and content."""

    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("code", max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "arbeidsmarktregio"
        verbose_name_plural = "arbeidsmarktregio's"

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    OPDRACHTGEVER = "opdrachtgever", "Opdrachtgever"
    OPDRACHTNEMER = "opdrachtnemer", "Opdrachtnemer"
    WSP = "wsp", "Werkgeversservicepunt"
    COORDINATIEPUNT = "coordinatiepunt", "Coördinatiepunt Social Return"


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def in_region(self, region: Region) -> "OrganisationQuerySet":
        """Organisations of a region: those seated there and opdrachtnemers working there."""
        return self.filter(Q(region=region) | Q(kind=OrganisationKind.OPDRACHTNEMER, regions=region)).distinct()

    def coordinatiepunten(self) -> "OrganisationQuerySet":
        """Every region's coördinatiepunt, by region: their contact details are public to every user."""
        return self.filter(kind=OrganisationKind.COORDINATIEPUNT).select_related("region").order_by("region__name")

    def for_user(self, user: "User") -> "OrganisationQuerySet":
        """The organisations a user may see and manage accounts of."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        organisation = user.organisation
        if organisation is None:
            return self.none()
        if organisation.kind == OrganisationKind.COORDINATIEPUNT and organisation.region is not None:
            return self.in_region(organisation.region)
        return self.filter(pk=organisation.pk)


@pghistory.track()
class Organisation(models.Model):
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=20, choices=OrganisationKind.choices)
    # WSP, coördinatiepunt and opdrachtgever belong to one region; an opdrachtnemer to none …
    region = models.ForeignKey(
        Region, verbose_name="regio", on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    # … it works in several: the regions where it has projects or was registered.
    regions = models.ManyToManyField(Region, verbose_name="werkregio's", blank=True, related_name="opdrachtnemers")
    kvk_number = models.CharField(
        "KvK-nummer",
        max_length=8,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{8}$", "Een KvK-nummer bestaat uit 8 cijfers.")],
    )
    address = models.CharField("adres", max_length=300, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoonnummer", max_length=30, blank=True)
    # Contactgegevens of a coördinatiepunt, shown to every user (SPEC §8).
    contact_name = models.CharField("contactpersoon", max_length=200, blank=True)
    opening_hours = models.CharField(
        "bereikbaar", max_length=200, blank=True, help_text="Bijvoorbeeld: maandag t/m donderdag van 9.00 tot 12.00 uur"
    )
    website = models.URLField("website", blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind=OrganisationKind.OPDRACHTNEMER) & Q(region__isnull=True))
                | (~Q(kind=OrganisationKind.OPDRACHTNEMER) & Q(region__isnull=False)),
                name="organisation_region_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kvk_number__isnull=True) | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="organisation_kvk_8_digits",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=OrganisationKind.COORDINATIEPUNT),
                name="one_coordinatiepunt_per_region",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def new_security_stamp() -> str:
    return secrets.token_hex(16)


class UserQuerySet(models.QuerySet["User"]):
    def for_user(self, user: "User") -> "UserQuerySet":
        """Accounts a user may see: a coördinatiepunt its region's, everyone else their colleagues'."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(organisation__in=Organisation.objects.for_user(user))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email=(username or "").strip().lower())

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        user = self.model(email=email.strip().lower(), **fields)
        user.set_password(password)  # None gives an unusable password: activation sets it
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One personal account per person; the organisation's kind is the user's role."""

    email = models.EmailField("e-mailadres", unique=True)
    name = models.CharField("naam", max_length=150)
    phone = models.CharField("telefoonnummer", max_length=30, blank=True)
    # Only superusers (functioneel beheer) may stand outside an organisation.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_active = models.BooleanField("actief", default=True)
    is_staff = models.BooleanField("functioneel beheer (admin)", default=False)
    date_joined = models.DateTimeField("aangemaakt op", default=timezone.now)
    # Rotated on every credential change: ends all sessions and kills open activation links.
    security_stamp = models.CharField(max_length=32, default=new_security_stamp, editable=False)
    otp_failures = models.PositiveSmallIntegerField("onjuiste codes op rij", default=0)
    otp_locked_until = models.DateTimeField("geblokkeerd tot", null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(is_superuser=True),
                name="user_has_organisation_unless_superuser",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def role(self) -> str | None:
        return self.organisation.kind if self.organisation is not None else None

    @property
    def region(self) -> Region | None:
        return self.organisation.region if self.organisation is not None else None

    @property
    def is_coordinatiepunt(self) -> bool:
        return self.role == OrganisationKind.COORDINATIEPUNT

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def has_authenticator(self) -> bool:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.filter(user=self, confirmed=True).exists()

    def is_otp_locked(self, now: datetime | None = None) -> bool:
        return self.otp_locked_until is not None and self.otp_locked_until > (now or timezone.now())

    def rotate_security_stamp(self) -> None:
        self.security_stamp = new_security_stamp()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django ties sessions to the password hash; we add the stamp so that a reset of the
        # authenticator or a logout ends every session of this user, on every device.
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AuthEventKind(models.TextChoices):
    LOGIN = "login", "Ingelogd"
    LOGIN_FAILED = "login_failed", "Inloggen mislukt (e-mail of wachtwoord)"
    CODE_FAILED = "code_failed", "Onjuiste authenticatiecode"
    LOCKED = "locked", "Account tijdelijk geblokkeerd"
    LOGOUT = "logout", "Uitgelogd"
    ACCOUNT_CREATED = "account_created", "Account aangemaakt"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Wachtwoord vergeten aangevraagd"
    PASSWORD_SET = "password_set", "Wachtwoord ingesteld"
    PASSWORD_CHANGED = "password_changed", "Wachtwoord gewijzigd"
    PASSWORD_CHANGE_FAILED = "password_change_failed", "Wachtwoord wijzigen mislukt (huidig wachtwoord onjuist)"
    AUTHENTICATOR_CONFIRMED = "authenticator_confirmed", "Authenticator gekoppeld"
    AUTHENTICATOR_RESET = "authenticator_reset", "Authenticator gereset"
    HELP_REQUESTED = "help_requested", "Hulpverzoek verstuurd"


class AuthEventQuerySet(models.QuerySet["AuthEvent"]):
    def for_user(self, user: "User") -> "AuthEventQuerySet":
        """Events about the accounts a user may see."""
        return self.filter(user__in=User.objects.for_user(user))


class AuthEvent(models.Model):
    """Audit log of authentication and account events: who, when, from where, result."""

    at = models.DateTimeField("tijdstip", default=timezone.now, db_index=True)
    kind = models.CharField("gebeurtenis", max_length=30, choices=AuthEventKind.choices)
    user = models.ForeignKey(
        User, verbose_name="account", on_delete=models.SET_NULL, null=True, blank=True, related_name="auth_events"
    )
    actor = models.ForeignKey(
        User, verbose_name="uitgevoerd door", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What was typed on a failed login for an address that has no account.
    email_entered = models.CharField("ingevoerd e-mailadres", max_length=254, blank=True)
    ip_address = models.GenericIPAddressField("IP-adres", null=True, blank=True)
    user_agent = models.CharField("browser", max_length=300, blank=True)
    detail = models.CharField("toelichting", max_length=300, blank=True)

    objects = AuthEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "inloggebeurtenis"
        verbose_name_plural = "inloggebeurtenissen"
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.get_kind_display()}"
