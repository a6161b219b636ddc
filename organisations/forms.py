from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, Role
from organisations.regions import Region


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "full_name",
            "short_name",
            "kind",
            "region",
            "district",
            "city",
            "address",
            "inn",
            "ogrn",
            "website",
            "email",
            "phone",
            "head_name",
            "head_position",
        ]
        widgets = {
            "full_name": forms.Textarea(attrs={"rows": 2}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "inn": forms.TextInput(attrs={"inputmode": "numeric"}),
            "ogrn": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "full_name": _(
                "As in the charter, for example: Государственное "
                "бюджетное общеобразовательное учреждение средняя "
                "общеобразовательная школа № 619 Калининского "
                "района Санкт-Петербурга."
            ),
            "short_name": _("For example: ГБОУ СОШ № 619."),
        }

    def clean_inn(self) -> str:
        return self.cleaned_data["inn"].strip()

    def clean_ogrn(self) -> str:
        return self.cleaned_data["ogrn"].strip()


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, city or district"), required=False, max_length=100
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's email"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (value, label) for value, label in Role.choices if value in roles
        ]
        self.fields["role"].initial = Role.SPECIALIST


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the head"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say who you are, for example your position."),
    )


class JoinDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))]
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.SPECIALIST
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
