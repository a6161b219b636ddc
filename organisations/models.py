import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from organisations.regions import Region
from organisations.validators import validate_inn, validate_ogrn


class Role(models.TextChoices):
    """A person's role inside their organisation."""

    HEAD = "head", _("Head")
    COORDINATOR = "coordinator", _("Coordinator")
    SPECIALIST = "specialist", _("Specialist")


def organisation_search_text(organisation: "Organisation") -> str:
    parts = [
        organisation.short_name,
        organisation.full_name,
        organisation.city,
        organisation.district,
    ]
    return " ".join(part for part in parts if part).lower().replace("ё", "е")


class Organisation(models.Model):
    """An educational organisation: a school, a kindergarten, a college…

    It becomes a carrier by publishing a product and a recipient by adopting
    one. Until an administrator verifies it, it may not sign or publish, so
    nobody can act in a real school's name.
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        GYMNASIUM = "gymnasium", _("Gymnasium")
        LYCEUM = "lyceum", _("Lyceum")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        COLLEGE = "college", _("College")
        ADDITIONAL_EDUCATION = (
            "additional",
            _("Institution of additional education"),
        )
        METHODOLOGICAL_CENTRE = "methodological", _("Methodological centre")
        OTHER = "other", _("Other")

    full_name = models.CharField(_("full name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=200)
    kind = models.CharField(
        _("type of organisation"), max_length=20, choices=Kind, default=Kind.SCHOOL
    )
    region = models.CharField(_("region"), max_length=2, choices=Region)
    district = models.CharField(
        _("district"),
        max_length=200,
        blank=True,
        help_text=_("District of the city or municipal district of the region."),
    )
    city = models.CharField(_("city or settlement"), max_length=200)
    address = models.CharField(_("address"), max_length=500)
    inn = models.CharField(
        _("INN"), max_length=12, blank=True, validators=[validate_inn]
    )
    ogrn = models.CharField(
        _("OGRN"), max_length=15, blank=True, validators=[validate_ogrn]
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    head_name = models.CharField(
        _("head's full name"),
        max_length=300,
        help_text=_("Фамилия, имя, отчество of the head, as in documents."),
    )
    head_position = models.CharField(
        _("head's position"), max_length=200, default="Директор"
    )
    # Lower-cased names and places, kept by save(): SQLite compares Cyrillic
    # case-sensitively, so the directory search matches against this.
    search_text = models.TextField(editable=False, default="")
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["short_name"]
        permissions = [
            ("view_members", _("Can see the members of the organisation")),
            ("manage_members", _("Can invite and manage members")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inn"],
                condition=~Q(inn=""),
                name="organisations_organisation_inn_unique",
                violation_error_message=_(
                    "An organisation with this INN is already registered."
                ),
            ),
        ]
        indexes = [models.Index(fields=["region", "district"])]

    def __str__(self) -> str:
        return self.short_name

    def save(self, *args, **kwargs) -> None:
        self.search_text = organisation_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation_detail", args=[self.pk])

    @property
    def can_act_officially(self) -> bool:
        """Only a verified organisation may sign agreements or publish."""
        return self.is_verified


class RoleGroup(models.Model):
    """The permission group of one role in one organisation.

    Object permissions are granted to these groups, never to individual
    users, so that a change of membership needs no re-granting.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="role_groups"
    )
    role = models.CharField(max_length=20, choices=Role)
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="organisation_role"
    )

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"], name="organisations_one_group_per_role"
            ),
        ]

    def __str__(self) -> str:
        return self.group.name


class Membership(models.Model):
    """A person's place in an organisation, with their role there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="organisations_one_membership"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class Invitation(models.Model):
    """An invitation to join an organisation, sent by email.

    Only the SHA-256 of the token is stored; the token itself lives in the
    emailed link.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=20, choices=Role)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return not (self.accepted_at or self.revoked_at or self.is_expired)


class JoinRequest(models.Model):
    """A person's request to join an organisation, decided by its head."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decline_reason = models.CharField(_("reason"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(status="pending"),
                name="organisations_one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class EquipmentType(models.Model):
    """A kind of equipment a product may need and a school may have.

    The list is kept by administrators so that a product's requirements and
    a school's inventory name the same things (material-technical support).
    """

    class Category(models.TextChoices):
        COMPUTERS = "computers", _("Computers and peripherals")
        DIGITAL_LAB = "digital_lab", _("Digital laboratories")
        ROBOTICS = "robotics", _("Robotics and engineering")
        PRESENTATION = "presentation", _("Presentation equipment")
        NETWORK = "network", _("Network and software")
        FURNITURE = "furniture", _("Furniture and premises")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.OTHER
    )
    unit = models.CharField(_("unit"), max_length=30, default="шт.")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("equipment type")
        verbose_name_plural = _("equipment types")
        ordering = ["category", "name"]

    def __str__(self) -> str:
        return self.name
