from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from organisations.models import EquipmentType, Organisation
from products.storage import private_storage
from products.text import search_text_of


class SubjectArea(models.Model):
    """A subject area of a product (mathematics, primary school, …)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("subject area")
        verbose_name_plural = _("subject areas")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EducationLevel(models.Model):
    """A level of education, as named by the law on education."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("education level")
        verbose_name_plural = _("education levels")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ProductQuerySet(models.QuerySet):
    def published(self) -> "ProductQuerySet":
        return self.filter(status=Product.Status.PUBLISHED)


# The history of a passport keeps its areas and levels with each record (its
# equipment has a history of its own); ``products.history.one_record`` makes
# one record of a passport saved in parts.
PASSPORT_HISTORY = HistoricalRecords(
    excluded_fields=["search_vector", "search_text"],
    m2m_fields=["subject_areas", "education_levels"],
)


class Product(models.Model):
    """An innovation product and its passport.

    It belongs to its carrier organisation. Only a published product is
    seen by people outside the carrier; every change is historised.
    """

    class Kind(models.TextChoices):
        METHODOLOGY = "methodology", _("Methodology")
        PROGRAMME = "programme", _("Educational programme")
        DIGITAL_RESOURCE = "digital", _("Digital resource")
        ORGANISATIONAL_MODEL = "model", _("Organisational model")
        TECHNOLOGY = "technology", _("Technology")
        OTHER = "other", _("Other")

    class ChangeLevel(models.TextChoices):
        LOCAL = "local", _("Local: one practice or subject")
        MODULAR = "modular", _("Modular: several related practices")
        SYSTEMIC = "systemic", _("Systemic: the whole organisation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for moderation")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    carrier = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("carrier"),
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.CharField(_("short summary"), max_length=600)
    description = models.TextField(
        _("full description"),
        help_text=_("Markdown: **bold**, *italics*, lists, links, headings."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    subject_areas = models.ManyToManyField(
        SubjectArea, related_name="products", verbose_name=_("subject areas")
    )
    education_levels = models.ManyToManyField(
        EducationLevel, related_name="products", verbose_name=_("education levels")
    )
    target_audience = models.TextField(_("target audience"))
    problem = models.TextField(_("problem it solves"))
    expected_results = models.TextField(_("expected results"))
    change_level = models.CharField(
        _("level of change"), max_length=20, choices=ChangeLevel
    )
    implementation_months = models.PositiveSmallIntegerField(
        _("implementation takes, months"),
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    required_staff = models.TextField(
        _("staff and qualification required"),
        help_text=_("Who is needed and what training they must have."),
    )
    required_time = models.CharField(
        _("time required"),
        max_length=300,
        help_text=_("For example: 2 hours a week for a teacher for one term."),
    )
    required_budget = models.DecimalField(
        _("money required, roubles"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_note = models.CharField(
        _("what the money is for"), max_length=300, blank=True
    )
    equipment = models.ManyToManyField(
        EquipmentType,
        through="RequiredEquipment",
        related_name="products",
        verbose_name=_("required equipment"),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_products",
        verbose_name=_("responsible coordinator"),
    )
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    cover = models.ImageField(
        _("cover image"),
        upload_to="products/covers/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    rating = models.DecimalField(
        _("expert rating"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Average of the expert reviews' scores, from 1 to 5."),
    )
    review_count = models.PositiveIntegerField(_("expert reviews"), default=0)
    # Lower-case words of the title, summary and description, kept by save():
    # the simple search of the embedded SQLite database matches against it.
    search_text = models.TextField(editable=False, default="")
    # PostgreSQL keeps this weighted vector itself (a trigger, see the
    # migrations); it stays empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProductQuerySet.as_manager()
    history = PASSPORT_HISTORY

    class Meta:
        verbose_name = _("innovation product")
        verbose_name_plural = _("innovation products")
        ordering = ["-published_at", "-pk"]
        permissions = [("moderate_product", _("Can moderate products"))]
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="products_published_newest",
            ),
            models.Index(
                fields=["-rating", "-id"],
                condition=Q(status="published"),
                name="products_published_rating",
            ),
            models.Index(fields=["carrier", "status"], name="products_carrier_status"),
            # The catalogue's facets count kinds, carriers' regions and
            # districts and ratings of every published product: this narrow
            # index answers them without reading the wide rows.
            models.Index(
                fields=["carrier", "kind", "rating"],
                condition=Q(status="published"),
                name="products_published_facets",
            ),
        ]

    # The status the database holds, as last read or written: "" before the
    # first save, None when it was not read. The catalogue's signal compares
    # it with the new one to tell whether a change concerns the catalogue.
    stored_status: str | None = ""

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = search_text_of(self.title, self.summary, self.description)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "description"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        if update_fields is None or "status" in update_fields:
            self.stored_status = self.status

    def get_absolute_url(self) -> str:
        return reverse("products:product_detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values) -> "Product":
        product = super().from_db(db, field_names, values)
        product.stored_status = product.__dict__.get("status")
        return product

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using, fields, from_queryset)
        if fields is None or "status" in fields:
            self.stored_status = self.__dict__.get("status")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def concerns_catalogue(self) -> bool:
        """Whether the catalogue shows, showed or may show this product."""
        return self.stored_status is None or self.Status.PUBLISHED in (
            self.status,
            self.stored_status,
        )


class RequiredEquipment(models.Model):
    """One item of equipment a product needs, with how many."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="required_equipment"
    )
    equipment_type = models.ForeignKey(
        EquipmentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("equipment"),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("required equipment")
        verbose_name_plural = _("required equipment")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "equipment_type"], name="products_equipment_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.equipment_type} × {self.quantity}"


class ProductVersion(models.Model):
    """A numbered version of a product: what changed and why."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.CharField(_("version"), max_length=20)
    released_on = models.DateField(_("date"), default=timezone.localdate)
    changes = models.TextField(_("what changed"))
    reason = models.TextField(
        _("why"),
        help_text=_("For example: partners' remarks after piloting."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        ordering = ["-released_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "number"], name="products_version_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.number}"


class Material(models.Model):
    """A file or a link attached to a product.

    Files live in private storage and are served only through a view that
    checks permission; a material for partners is hidden from everyone else.
    """

    class Kind(models.TextChoices):
        INSTRUCTIONS = "instructions", _("Platform instructions")
        NORMATIVE = "normative", _("Normative documents")
        METHODOLOGICAL = "methodological", _("Methodological materials")
        PUBLICATION = "publication", _("Publications")
        PRESENTATION = "presentation", _("Presentations")
        VIDEO = "video", _("Video")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        PARTNERS = "partners", _("Partners only")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="materials"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="products/materials/%Y/%m/",
        storage=private_storage,
        blank=True,
    )
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    url = models.URLField(_("link"), blank=True)
    visibility = models.CharField(
        _("who sees it"), max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="products_material_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class PositioningEvent(models.Model):
    """Where a product was shown: a seminar, a conference, a post…"""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", _("Seminar")
        CONFERENCE = "conference", _("Conference")
        FORUM = "forum", _("Forum")
        WEBINAR = "webinar", _("Webinar")
        COMPETITION = "competition", _("Competition")
        MEDIA = "media", _("Media publication")
        SOCIAL = "social", _("Social network post")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    title = models.CharField(_("title"), max_length=250)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    url = models.URLField(_("link"), blank=True)
    audience_size = models.PositiveIntegerField(_("audience"), null=True, blank=True)
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("Programme, slides, recording.")
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("positioning event")
        verbose_name_plural = _("positioning events")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="products_event_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="products_event_ends_after_start",
                violation_error_message=_("The event cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Said of the end, so that forms show it beside that field; the
        # database's check constraint holds the same rule for other writers.
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError(
                {
                    "ends_at": ValidationError(
                        _("The event cannot end before it starts."),
                        code="ends_before_start",
                    )
                }
            )


class Interest(models.Model):
    """A recipient's declared interest in a product.

    The carrier's database of potential partners is made of these.
    Accepting one is the exit of stage 1.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_CONTACT = "in_contact", _("In contact")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    OPEN_STATUSES = (Status.NEW, Status.IN_CONTACT)

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="interests"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("organisation"),
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    message = models.TextField(_("message"), max_length=3000)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    source_event = models.ForeignKey(
        PositioningEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
        verbose_name=_("learned of it at"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NEW
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    carrier_notes = models.TextField(_("carrier's notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["-created_at"]
        # The potential partners' database lists a product's interests by
        # status; the unique constraint below only covers the open ones.
        indexes = [
            models.Index(fields=["product", "status"], name="products_interest_status")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "organisation"],
                condition=Q(status__in=["new", "in_contact"]),
                name="products_one_open_interest",
                violation_error_message=_(
                    "Your organisation has already declared interest in this product."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.product}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def active_partnership(self):
        """The live partnership this interest led to, if any.

        The partnerships app adds the ``partnership`` relation; select it
        with the interest (``select_related("partnership")``) to save a query.
        """
        partnership = getattr(self, "partnership", None)
        if partnership is None or partnership.status != "active":
            return None
        return partnership


class ReviewCriterion(models.Model):
    """A named criterion of expert reviews, kept by administrators."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ExpertReview(models.Model):
    """An expert's structured opinion of a product."""

    class Recommendation(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended for adoption")
        WITH_REVISIONS = "revisions", _("Recommended after revisions")
        NOT_RECOMMENDED = "not_recommended", _("Not recommended")

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="expert_reviews"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expert_reviews",
        verbose_name=_("expert"),
    )
    conclusion = models.TextField(_("conclusion"))
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation
    )
    average_score = models.DecimalField(
        _("average score"), max_digits=3, decimal_places=2, default=0
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expert review")
        verbose_name_plural = _("expert reviews")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "expert"], name="products_one_review_per_expert"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.product}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        ExpertReview, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ReviewCriterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    # A rewritten review replaces its scores; the history keeps the earlier.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="products_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="products_score_from_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class NewsItem(models.Model):
    """A news item of the «Региональная инновационная площадка» section."""

    title = models.CharField(_("title"), max_length=250)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("organisation"),
        help_text=_("Empty for news of the platform itself."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("product"),
    )
    is_published = models.BooleanField(_("published"), default=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-pk"]
        # The home page, the news list and the feeds read the newest
        # published items.
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(is_published=True),
                name="products_news_published",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("products:news_detail", args=[self.pk])


class ProductUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Product, on_delete=models.CASCADE)


class ProductGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Product, on_delete=models.CASCADE)
