from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User, normalize_email

NAME_HELP = _("As in your passport, in Russian.")


class RegistrationForm(forms.ModelForm):
    """Sign-up: name, address, password twice and the consent checkbox."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={
            "required": _(
                "Registration is impossible without consent to the processing "
                "of personal data."
            )
        },
    )

    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "email", "position"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "patronymic": forms.TextInput(attrs={"autocomplete": "additional-name"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }
        help_texts = {
            "last_name": NAME_HELP,
            "patronymic": _("Leave empty if you have none."),
            "position": _("For example: учитель математики, заместитель директора."),
        }

    def clean_email(self) -> str:
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise ValidationError(
                _(
                    "An account with this email already exists. Sign in or reset "
                    "your password."
                )
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                last_name=cleaned.get("last_name", ""),
                first_name=cleaned.get("first_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Sign-in by email; an unconfirmed address gets a clear message."""

    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "Wrong email or password. Note that the password is case-sensitive."
        ),
        "inactive": _("This account is disabled. Contact the administrator."),
    }

    def clean_username(self) -> str:
        return normalize_email(self.cleaned_data["username"])

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.has_confirmed_email:
            resend = reverse("accounts:resend_confirmation")
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Confirm your email first: follow the link in the letter "
                        "we sent you."
                    ),
                    resend,
                    _("Send the letter again"),
                ),
                code="unconfirmed",
            )


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["last_name", "first_name", "patronymic", "position", "phone"]
        widgets = {
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "patronymic": forms.TextInput(attrs={"autocomplete": "additional-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data"),
        error_messages={"required": _("Tick the box to continue using the platform.")},
    )


def _yes(value: str) -> bool:
    return value == "1"


YES_NO = [("1", _("On")), ("0", _("Off"))]


class AccessibilityForm(forms.Form):
    """Settings of the version for the visually impaired.

    Every field is optional: a button in the page header sends one setting,
    the settings page sends them all. Only the fields sent are changed.
    """

    enabled = forms.TypedChoiceField(
        label=_("Version for the visually impaired"),
        choices=YES_NO,
        coerce=_yes,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    font_size = forms.ChoiceField(
        label=_("Font size"),
        choices=User.FontSize.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    colour_scheme = forms.ChoiceField(
        label=_("Colours"),
        choices=User.ColourScheme.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    hide_images = forms.TypedChoiceField(
        label=_("Images"),
        choices=[("1", _("Hide")), ("0", _("Show"))],
        coerce=_yes,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def preferences(self) -> dict:
        """Return the settings that were sent, by their preference keys."""
        return {
            key: value
            for key, value in self.cleaned_data.items()
            if key in self.data and value not in (None, "")
        }
