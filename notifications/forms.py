from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind


class EmailPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Email me about"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Notifications always appear under the bell; these settings only "
            "decide which of them also come by email."
        ),
    )
