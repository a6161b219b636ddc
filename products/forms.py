from decimal import Decimal, InvalidOperation

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from organisations.regions import Region
from products.catalogue import RATING_STEPS, SORTS, CatalogueQuery
from products.models import Product, ProductVersion, RequiredEquipment
from products.uploads import validate_cover


class ProductForm(forms.ModelForm):
    """The passport of a product, without its equipment (a formset)."""

    class Meta:
        model = Product
        fields = [
            "title",
            "summary",
            "description",
            "kind",
            "subject_areas",
            "education_levels",
            "target_audience",
            "problem",
            "expected_results",
            "change_level",
            "implementation_months",
            "required_staff",
            "required_time",
            "required_budget",
            "budget_note",
            "coordinator",
            "contact_email",
            "contact_phone",
            "cover",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "required_staff": forms.Textarea(attrs={"rows": 2}),
            "subject_areas": forms.CheckboxSelectMultiple,
            "education_levels": forms.CheckboxSelectMultiple,
            "change_level": forms.RadioSelect,
            "cover": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        }

    def __init__(self, *args, coordinators=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if coordinators is not None:
            self.fields["coordinator"].queryset = coordinators
        self.fields["coordinator"].label_from_instance = lambda user: user.full_name

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):
            validate_cover(cover)
        return cover


class BaseRequiredEquipmentFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check) -> str:
        # Django names the field by its code ("equipment_type").
        return _("The same equipment is listed twice; keep one line for it.")


RequiredEquipmentFormSet = inlineformset_factory(
    Product,
    RequiredEquipment,
    formset=BaseRequiredEquipmentFormSet,
    fields=["equipment_type", "quantity", "is_mandatory", "note"],
    extra=2,
    can_delete=True,
)


class ProductVersionForm(forms.ModelForm):
    class Meta:
        model = ProductVersion
        fields = ["number", "released_on", "changes", "reason"]
        widgets = {
            "released_on": forms.DateInput(attrs={"type": "date"}),
            "changes": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Return for revision"))]
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _number(value: str) -> int | None:
    """A positive whole number written in the address, or None."""
    if not value.isdecimal() or len(value) > 9:
        return None
    return int(value)


def _distinct(values) -> list:
    """The values in their first order, each once."""
    return list(dict.fromkeys(values))


def _int_list(values: list[str]) -> list[int]:
    numbers = (_number(value) for value in values)
    return _distinct(number for number in numbers if number is not None)[:20]


def _min_rating(value: str) -> Decimal | None:
    try:
        asked = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    return next((step for step in RATING_STEPS if step == asked), None)


def catalogue_query(params) -> CatalogueQuery:
    """Read the catalogue's search and filters from the query string.

    Unknown values are dropped rather than refused, so an old shared link
    still opens; repeated ones count once.
    """
    districts = (district.strip()[:200] for district in params.getlist("district"))
    return CatalogueQuery(
        text=params.get("q", "").strip()[:200],
        kinds=_distinct(k for k in params.getlist("kind") if k in Product.Kind.values),
        subject_areas=_int_list(params.getlist("area")),
        levels=_distinct(level[:20] for level in params.getlist("level"))[:10],
        regions=_distinct(r for r in params.getlist("region") if r in Region.values),
        districts=_distinct(district for district in districts if district)[:10],
        equipment=_int_list(params.getlist("equipment")),
        min_rating=_min_rating(params.get("rating", "")),
        sort=params.get("sort", "") if params.get("sort", "") in SORTS else "",
        page=_number(params.get("page", "")) or 1,
    )


def catalogue_query_string(query: CatalogueQuery) -> str:
    """The query string of ``query`` without its page: what the catalogue's
    links carry, the same for every way of writing one search."""
    params = QueryDict(mutable=True)
    if query.text:
        params["q"] = query.text
    if query.sort:
        params["sort"] = query.sort
    params.setlist("kind", query.kinds)
    params.setlist("area", [str(pk) for pk in query.subject_areas])
    params.setlist("level", query.levels)
    params.setlist("region", query.regions)
    params.setlist("district", query.districts)
    params.setlist("equipment", [str(pk) for pk in query.equipment])
    if query.min_rating is not None:
        params["rating"] = str(query.min_rating)
    return params.urlencode()
