"""Forms of partnership pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organisations.models import Role
from partnerships.models import Agreement, AgreementComment, NegotiationNote
from partnerships.services.agreements import EDITABLE_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LEAD_ROLES = (Role.HEAD, Role.COORDINATOR)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )

    @classmethod
    def reason_of(cls, data) -> str:
        """The posted reason, or "" (the service then asks for one)."""
        form = cls(data)
        return form.cleaned_data["reason"] if form.is_valid() else ""


class NegotiationNoteForm(forms.ModelForm):
    class Meta:
        model = NegotiationNote
        fields = ["held_on", "text"]
        widgets = {"held_on": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class CommentForm(forms.ModelForm):
    class Meta:
        model = AgreementComment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Your comment or proposed edit")}


class AgreementForm(forms.ModelForm):
    """The editable terms of a draft, with the edit version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Agreement
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "agreement_date": DATE_WIDGET,
            "expiry_date": DATE_WIDGET,
            "subject": forms.Textarea(attrs={"rows": 4}),
            "carrier_obligations": forms.Textarea(attrs={"rows": 8}),
            "recipient_obligations": forms.Textarea(attrs={"rows": 8}),
            "changes_procedure": forms.Textarea(attrs={"rows": 4}),
            "termination_procedure": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partnership = self.instance.partnership
        self.fields["version"].initial = self.instance.version
        self.fields["product_version"].queryset = partnership.product.versions.all()
        for field, organisation in (
            ("carrier_signatory", partnership.carrier),
            ("recipient_signatory", partnership.recipient),
        ):
            self.fields[field].queryset = User.objects.filter(
                memberships__organisation=organisation,
                memberships__role__in=LEAD_ROLES,
                is_active=True,
            ).order_by("last_name", "first_name")
            self.fields[field].label_from_instance = lambda user: user.full_name

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in EDITABLE_FIELDS}


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_(
            "Entering your password is your simple electronic signature under "
            "the agreed text of the agreement."
        ),
        error_messages={"required": _("Enter your password to sign.")},
    )
    confirm = forms.BooleanField(
        label=_("I have read the agreement and sign it on behalf of my organisation"),
        error_messages={"required": _("Confirm that you sign the agreement.")},
    )
