"""Forms of a product's materials: a new file or link, and its description."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from products.models import Material
from products.uploads import (
    MATERIAL_FORMATS,
    accepted_extensions,
    format_names,
    validate_material,
)


def _model_field(name: str, **kwargs) -> forms.Field:
    return Material._meta.get_field(name).formfield(**kwargs)


class MaterialForm(forms.Form):
    """What a material is called, its kind and who sees it."""

    kind = _model_field("kind", label=_("Kind of material"))
    title = _model_field("title")
    description = _model_field("description", widget=forms.Textarea(attrs={"rows": 3}))
    visibility = _model_field(
        "visibility",
        widget=forms.RadioSelect,
        help_text=_(
            "A material for partners is seen only by your colleagues, experts "
            "and organisations whose interest you have accepted."
        ),
    )


class MaterialUploadForm(MaterialForm):
    """A new material: the description and either a file or a link.

    The service decides on "one of the two"; this form checks the file's
    content early so that its error shows together with the others.
    """

    file = forms.FileField(label=_("File"), required=False, widget=forms.FileInput)
    url = forms.URLField(
        label=_("Or a link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example, a recorded webinar or a published article."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = accepted_extensions(
            MATERIAL_FORMATS
        )
        self.fields["file"].help_text = _(
            "Allowed formats: %(formats)s. Up to %(limit)d MB."
        ) % {
            "formats": format_names(MATERIAL_FORMATS),
            "limit": settings.MATERIAL_MAX_UPLOAD_MB,
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_material(upload)
        return upload
