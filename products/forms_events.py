"""Forms of positioning events and of the news section."""

from django import forms
from django.utils.translation import gettext_lazy as _

from products.models import NewsItem, PositioningEvent, Product
from products.services.events import EVENT_FIELDS

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PositioningEventForm(forms.ModelForm):
    """What an editor tells about an event; the service checks the dates."""

    class Meta:
        model = PositioningEvent
        fields = list(EVENT_FIELDS)
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
            ),
            "materials": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "place": _("City and venue, or the name of the media or network."),
            "audience_size": _("How many people took part or saw it."),
            "outcome": _("What came of it: contacts, interest, publications."),
        }


class EventFilterForm(forms.Form):
    """The filters of the events list; a wrong value is ignored."""

    kind = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[("", _("All kinds")), *PositioningEvent.Kind.choices],
        required=False,
    )
    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("For example: 2025-03."),
    )


class NewsItemForm(forms.ModelForm):
    """A news item; the organisation is chosen once, when it is created."""

    class Meta:
        model = NewsItem
        fields = ["title", "summary", "body", "product", "is_published"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "body": _("Markdown: **bold**, *italics*, lists, links, headings."),
            "is_published": _("Untick to keep the news as a draft."),
        }

    def __init__(self, *args, products=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = (
            products if products is not None else Product.objects.none()
        )
        self.fields["product"].required = False


class NewsCreateForm(NewsItemForm):
    """A new news item, in the name of one of the author's organisations.

    An administrator may leave the organisation empty for platform news.
    """

    field_order = ["organisation", "title", "summary", "body", "product"]

    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
    )

    def __init__(
        self, *args, organisations=(), platform_allowed: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations
        field.required = not platform_allowed
        field.empty_label = _("The platform") if platform_allowed else None
        field.label_from_instance = lambda organisation: organisation.short_name
