"""Forms of declared interest and of the carrier's partners database."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.regions import Region
from products.models import Interest, PositioningEvent, Product


class InterestForm(forms.Form):
    """A recipient's interest; the organisation is asked only if it may vary."""

    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none()
    )
    message = forms.CharField(
        label=_("Message to the carrier"),
        max_length=Interest._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why your organisation is interested, what you expect from the "
            "product, who will be responsible for its implementation."
        ),
    )
    expected_start = forms.DateField(
        label=_("Expected start of implementation"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source_event = forms.ModelChoiceField(
        label=_("Where you learned of the product"),
        queryset=PositioningEvent.objects.none(),
        required=False,
        empty_label=_("— not at an event —"),
    )

    def __init__(
        self, *args, organisations: list[Organisation], product: Product, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if len(organisations) > 1:
            field = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            ).order_by("short_name")
            field.label_from_instance = lambda organisation: organisation.short_name
        else:
            del self.fields["organisation"]
        events = product.events.order_by("-starts_at")
        if events.exists():
            self.fields["source_event"].queryset = events
            self.fields["source_event"].label_from_instance = _event_label
        else:
            del self.fields["source_event"]

    def clean_expected_start(self) -> date | None:
        expected_start = self.cleaned_data["expected_start"]
        if expected_start and expected_start < timezone.localdate():
            raise forms.ValidationError(
                _("The start cannot be in the past."), code="past"
            )
        return expected_start

    @property
    def chosen_organisation(self) -> Organisation:
        if "organisation" in self.fields:
            return self.cleaned_data["organisation"]
        return self.organisations[0]


def _event_label(event: PositioningEvent) -> str:
    day = timezone.localtime(event.starts_at).strftime("%d.%m.%Y")
    return f"{event.title} ({event.get_kind_display()}, {day})"


class PartnerFilterForm(forms.Form):
    """Filters of the partners database, read from the query string."""

    q = forms.CharField(label=_("Organisation"), required=False, max_length=100)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("All products"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Interest.Status.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
    )

    def __init__(self, *args, products, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        self.fields["product"].label_from_instance = lambda product: product.title

    def filters(self) -> dict:
        """Return the valid filters; an invalid value is ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if self.cleaned_data.get(name)
        }


class InterestStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in Interest.Status.choices
            if value in Interest.OPEN_STATUSES
        ],
    )
    reason = forms.CharField(label=_("Comment"), required=False, max_length=100)

    def __init__(self, *args, **kwargs) -> None:
        # The decline form on the same page also has a "reason".
        kwargs.setdefault("auto_id", "status-%s")
        super().__init__(*args, **kwargs)


class InterestDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation will see it."),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "decline-%s")
        super().__init__(*args, **kwargs)


class InterestNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Carrier's notes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Seen only by your organisation's heads and coordinators."),
    )
