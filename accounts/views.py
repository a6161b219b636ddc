from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import (
    AccessibilityForm,
    ConsentForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from accounts.models import User
from accounts.tokens import email_confirmation_token

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Return the ``next`` parameter if it points into this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")

    version = services.current_consent_version()
    if version is None:
        raise Http404("No consent text is published.")

    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.register_user(
            email=data["email"],
            password=data["password1"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            patronymic=data["patronymic"],
            position=data["position"],
            consent_version=version,
            request=request,
        )
        request.session["accounts:registered-email"] = data["email"]
        return redirect("accounts:register_done")

    return render(
        request, "accounts/register.html", {"form": form, "consent_version": version}
    )


def register_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("accounts:registered-email", "")
    return render(request, "accounts/register_done.html", {"email": email})


def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None

    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "accounts/confirm_email_invalid.html", status=400)
    if user.has_confirmed_email:
        messages.info(request, _("Your email is already confirmed. Please sign in."))
        return redirect("accounts:login")

    services.confirm_email(user=user)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, _("Your email is confirmed. Welcome to Innoteka!"))
    return redirect("dashboard")


def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email=form.cleaned_data["email"], email_confirmed_at__isnull=True
        ).first()
        if user is not None:
            services.send_confirmation_email(user=user, request=request)
        # The same answer whether or not the account exists, so the form
        # cannot be used to find out who is registered.
        messages.info(
            request,
            _(
                "If an unconfirmed account with this email exists, we have sent "
                "the letter again."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/emails/password_reset_body.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Following the emailed link proves the address, as confirmation does.
        services.confirm_email(user=form.user)
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")

    memberships = request.user.memberships.select_related("organisation")
    consents = request.user.consents.select_related("version")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "memberships": memberships, "consents": consents},
    )


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    version = services.current_consent_version()
    next_url = safe_next(request, reverse("dashboard"))
    if version is None or services.has_current_consent(request.user):
        return redirect(next_url)

    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_consent(user=request.user, version=version, request=request)
        messages.success(request, _("Thank you. Your consent has been recorded."))
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "consent_version": version, "next": next_url},
    )


def consent_text(request: HttpRequest) -> HttpResponse:
    version = services.current_consent_version()
    if version is None:
        raise Http404("No consent text is published.")
    return render(request, "accounts/consent_text.html", {"consent_version": version})


def accessibility(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AccessibilityForm(request.POST)
        if form.is_valid():
            services.save_accessibility_preferences(
                request=request, preferences=form.preferences()
            )
            return redirect(safe_next(request, reverse("accessibility")))
        status = 400
    else:
        form = AccessibilityForm(initial=services.accessibility_preferences(request))
        form.initial["enabled"] = "1" if form.initial["enabled"] else "0"
        form.initial["hide_images"] = "1" if form.initial["hide_images"] else "0"
        status = 200
    return render(request, "accounts/accessibility.html", {"form": form}, status=status)
