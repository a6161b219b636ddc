"""Partnerships between a carrier and a recipient, and their agreements.

A partnership is created when the carrier accepts a recipient's interest in a
product and walks the five stages of DESIGN.md. Its cooperation agreement
(and supplementary agreements to it) goes draft → agreed → signed, and the
PDF both sides signed is stored once with its SHA-256.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from organisations.models import Organisation
from products.models import Interest, Product, ProductVersion
from products.storage import private_storage


class Stage(models.IntegerChoices):
    POSITIONING = 1, _("Positioning and search")
    DOCUMENTS = 2, _("Document package")
    COMMUNITY = 3, _("Network community")
    PREPARATION = 4, _("Preparation")
    IMPLEMENTATION = 5, _("Practical implementation")


class Side(models.TextChoices):
    CARRIER = "carrier", _("Carrier")
    RECIPIENT = "recipient", _("Recipient")


class Partnership(models.Model):
    """A recipient adopting a carrier's product together with its authors."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("product"),
    )
    interest = models.OneToOneField(
        Interest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership",
        verbose_name=_("interest"),
    )
    carrier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="carried_partnerships",
        verbose_name=_("carrier"),
    )
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="received_partnerships",
        verbose_name=_("recipient"),
    )
    carrier_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carrier's responsible person"),
    )
    recipient_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient's responsible person"),
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=Stage, default=Stage.DOCUMENTS
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.ACTIVE
    )
    end_reason = models.TextField(_("reason for ending"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="accompanied_partnerships",
        verbose_name=_("accompanying experts"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[experts])

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "recipient"],
                condition=Q(status="active"),
                name="partnerships_one_active_per_recipient",
                violation_error_message=_(
                    "This organisation already has an active partnership "
                    "on this product."
                ),
            ),
            models.CheckConstraint(
                condition=Q(stage__gte=1, stage__lte=5),
                name="partnerships_stage_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["carrier", "status", "stage"]),
            models.Index(fields=["recipient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.product} — {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:partnership_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def organisation_of(self, side: str) -> Organisation:
        return self.carrier if side == Side.CARRIER else self.recipient


class PartnershipUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)


class PartnershipGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)


class StageMove(models.Model):
    """One move of a partnership between stages, forward or back."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_moves"
    )
    from_stage = models.PositiveSmallIntegerField(_("from stage"), choices=Stage)
    to_stage = models.PositiveSmallIntegerField(_("to stage"), choices=Stage)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    moved_at = models.DateTimeField(_("moved at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        ordering = ["-moved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage} → {self.to_stage}"

    @property
    def is_back(self) -> bool:
        return self.to_stage < self.from_stage


class NegotiationNote(models.Model):
    """A record of negotiations between the heads (the network community)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="negotiation_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what was agreed"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("negotiation note")
        verbose_name_plural = _("negotiation notes")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.held_on}"


class AgreementTemplate(models.Model):
    """The wording a carrier starts an agreement from, edited in admin.

    The texts may contain placeholders in braces: {carrier}, {recipient},
    {product}, {version}, {term_months}.
    """

    name = models.CharField(_("name"), max_length=200)
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("New agreements are drafted from the default template."),
    )
    subject = models.TextField(_("subject of the agreement"))
    carrier_obligations = models.TextField(_("obligations of the carrier"))
    recipient_obligations = models.TextField(_("obligations of the recipient"))
    changes_procedure = models.TextField(_("procedure for changes"))
    termination_procedure = models.TextField(_("procedure for termination"))
    term_months = models.PositiveSmallIntegerField(_("term, months"), default=12)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="partnerships_one_default_template",
                violation_error_message=_("Only one template can be the default."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A cooperation agreement, or a supplementary agreement to one.

    Both sides edit the draft (``version`` catches concurrent saves); the
    recipient agrees, which fixes the text and renders the PDF both heads
    sign; the signed PDF, with the signature records, is stored once.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement", "Draft")
        AGREED = "agreed", _("Agreed")
        SIGNED = "signed", _("Signed")
        EXPIRED = "expired", _("Expired")
        TERMINATED = "terminated", _("Terminated")

    # Agreements that still bind or may come to bind the partners.
    LIVE_STATUSES = (Status.DRAFT, Status.AGREED, Status.SIGNED)

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="agreements",
        verbose_name=_("partnership"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name=_("main agreement"),
    )
    number = models.CharField(_("number"), max_length=50)
    agreement_date = models.DateField(_("date"), default=timezone.localdate)
    subject = models.TextField(_("subject of the agreement"), max_length=10000)
    carrier_obligations = models.TextField(
        _("obligations of the carrier"), max_length=20000
    )
    recipient_obligations = models.TextField(
        _("obligations of the recipient"), max_length=20000
    )
    changes_procedure = models.TextField(_("procedure for changes"), max_length=10000)
    termination_procedure = models.TextField(
        _("procedure for termination"), max_length=10000
    )
    expiry_date = models.DateField(_("valid until"))
    product_version = models.ForeignKey(
        ProductVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product version"),
    )
    carrier_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signs for the carrier"),
    )
    recipient_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signs for the recipient"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("edit version"), default=1)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    document = models.FileField(
        _("document to sign"),
        storage=private_storage,
        upload_to="agreements/%Y/%m/",
        blank=True,
    )
    document_sha256 = models.CharField(
        _("SHA-256 of the document"), max_length=64, blank=True
    )
    signed_document = models.FileField(
        _("signed document"),
        storage=private_storage,
        upload_to="agreements/signed/%Y/%m/",
        blank=True,
    )
    signed_sha256 = models.CharField(
        _("SHA-256 of the signed document"), max_length=64, blank=True
    )
    signed_at = models.DateTimeField(_("signed by both at"), null=True, blank=True)
    end_reason = models.TextField(_("reason for termination"), blank=True)
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["partnership", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(
                    parent__isnull=True, status__in=["draft", "agreed", "signed"]
                ),
                name="partnerships_one_live_main_agreement",
                violation_error_message=_(
                    "The partnership already has a cooperation agreement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Agreement No. %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("partnerships:agreement_detail", args=[self.pk])

    @property
    def is_supplementary(self) -> bool:
        return self.parent_id is not None

    @property
    def title(self) -> str:
        if self.is_supplementary:
            return _("Supplementary agreement No. %(number)s") % {"number": self.number}
        return _("Cooperation agreement No. %(number)s") % {"number": self.number}

    def signatory_of(self, side: str):
        return (
            self.carrier_signatory if side == Side.CARRIER else self.recipient_signatory
        )


class Signature(models.Model):
    """A simple electronic signature of one side under an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signatures"
    )
    side = models.CharField(_("side"), max_length=20, choices=Side)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signer"),
    )
    signer_name = models.CharField(_("signer's name"), max_length=300)
    signer_position = models.CharField(_("position"), max_length=300)
    role = models.CharField(_("role in the organisation"), max_length=20)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    document_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "side"], name="partnerships_one_signature_per_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.signer_name} ({self.get_side_display()})"


class AgreementComment(models.Model):
    """One message of the negotiation thread of an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    side = models.CharField(_("side"), max_length=20, choices=Side)
    text = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.created_at:%Y-%m-%d}"
