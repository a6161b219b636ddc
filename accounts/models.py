from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str) -> "User":
        return self.get(email__iexact=normalize_email(email))


def normalize_email(email: str) -> str:
    """Return the address in the one form stored: trimmed and lower-case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    The name is kept in the Russian order and form: фамилия, имя, отчество
    (the patronymic is optional).
    """

    class FontSize(models.TextChoices):
        LARGE = "large", _("Large")
        LARGER = "larger", _("Larger")
        LARGEST = "largest", _("Largest")

    class ColourScheme(models.TextChoices):
        BLACK_ON_WHITE = "black-on-white", _("Black on white")
        WHITE_ON_BLACK = "white-on-black", _("White on black")
        BLUE_ON_LIGHT_BLUE = "blue-on-light-blue", _("Dark blue on light blue")

    email = models.EmailField(_("email"), unique=True)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Administrators run the platform through the admin site."),
    )
    date_joined = models.DateTimeField(_("registered at"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        _("email confirmed at"), null=True, blank=True
    )
    is_accessible_version = models.BooleanField(
        _("version for the visually impaired"), default=False
    )
    accessible_font_size = models.CharField(
        _("font size"), max_length=16, choices=FontSize, default=FontSize.LARGE
    )
    accessible_colour_scheme = models.CharField(
        _("colour scheme"),
        max_length=24,
        choices=ColourScheme,
        default=ColourScheme.BLACK_ON_WHITE,
    )
    accessible_hide_images = models.BooleanField(_("hide images"), default=True)

    objects = UserManager()
    history = HistoricalRecords(
        excluded_fields=[
            "password",
            "last_login",
            "is_accessible_version",
            "accessible_font_size",
            "accessible_colour_scheme",
            "accessible_hide_images",
        ]
    )

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile")

    @property
    def full_name(self) -> str:
        """«Фамилия Имя Отчество», as written in Russian documents."""
        return " ".join(
            part for part in (self.last_name, self.first_name, self.patronymic) if part
        )

    @property
    def short_name(self) -> str:
        """«Фамилия И. О.», as in a signature block."""
        initials = " ".join(
            f"{part[0]}." for part in (self.first_name, self.patronymic) if part
        )
        return f"{self.last_name} {initials}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name

    @property
    def has_confirmed_email(self) -> bool:
        return self.email_confirmed_at is not None


class ConsentVersion(models.Model):
    """A published text of the consent to personal-data processing (152-ФЗ).

    A new version is a new row; a text that people have agreed to is never
    edited, so every recorded consent points at the exact words agreed to.
    """

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    effective_at = models.DateTimeField(_("effective from"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data consent version")
        verbose_name_plural = _("personal data consent versions")
        ordering = ["-effective_at"]
        get_latest_by = "effective_at"

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @classmethod
    def current(cls) -> "ConsentVersion | None":
        """Return the version in force now, or None if none is published."""
        return (
            cls.objects.filter(effective_at__lte=timezone.now())
            .order_by("-effective_at")
            .first()
        )


class Consent(models.Model):
    """A person's consent to one version of the personal-data text."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    version = models.ForeignKey(
        ConsentVersion,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("version"),
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("personal data consent")
        verbose_name_plural = _("personal data consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="accounts_consent_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.version}"
