import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import Consent, ConsentVersion
from accounts.tokens import email_confirmation_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_consent_stores_address_and_browser(consent_version):
    user = UserFactory(consent=False)
    request = RequestFactory().post(
        "/", REMOTE_ADDR="10.0.0.7", HTTP_USER_AGENT="Яндекс Браузер 24"
    )

    consent = services.record_consent(
        user=user, version=consent_version, request=request
    )

    assert (consent.user, consent.version) == (user, consent_version)
    assert consent.ip_address == "10.0.0.7"
    assert consent.user_agent == "Яндекс Браузер 24"


def test_record_consent_twice_keeps_the_first_record(consent_version):
    user = UserFactory(consent=False)
    first = services.record_consent(
        user=user,
        version=consent_version,
        request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.7"),
    )

    second = services.record_consent(
        user=user,
        version=consent_version,
        request=RequestFactory().post("/", REMOTE_ADDR="10.0.0.99"),
    )

    assert second.pk == first.pk
    assert Consent.objects.filter(user=user).count() == 1
    assert Consent.objects.get(user=user).ip_address == "10.0.0.7"


def test_record_consent_without_request_stores_no_address(consent_version):
    user = UserFactory(consent=False)

    consent = services.record_consent(user=user, version=consent_version)

    assert (consent.ip_address, consent.user_agent) == (None, "")


def test_has_current_consent_is_true_after_agreeing_to_the_current_text(
    consent_version,
):
    user = UserFactory(consent=False)
    Consent.objects.create(user=user, version=consent_version)

    assert services.has_current_consent(user) is True


def test_has_current_consent_is_false_without_any_consent(consent_version):
    user = UserFactory(consent=False)

    assert services.has_current_consent(user) is False


def test_has_current_consent_is_false_when_only_an_older_text_was_agreed(
    consent_version, new_consent_version
):
    user = UserFactory(consent=False)
    Consent.objects.create(user=user, version=consent_version)

    assert services.has_current_consent(user) is False


def test_has_current_consent_is_true_when_no_text_is_published():
    user = UserFactory(consent=False)
    ConsentVersion.objects.all().delete()

    assert services.has_current_consent(user) is True


def test_current_consent_version_is_cached_until_the_cache_is_cleared(
    consent_version,
):
    services.current_consent_version()
    newer = ConsentVersion.objects.create(
        version="2.0", title="Согласие", text="Новый текст", effective_at=timezone.now()
    )

    cached = services.current_consent_version()
    cache.clear()
    fresh = services.current_consent_version()

    assert cached == consent_version
    assert fresh == newer


def test_send_templated_email_sends_after_commit(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(first_name="Анна")

    with django_capture_on_commit_callbacks(execute=True):
        services.send_templated_email(
            to="anna@school.example",
            template="accounts/emails/confirm_email",
            context={"user": user, "link": "http://testserver/x/", "valid_days": 3},
        )

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@school.example"]
    assert "http://testserver/x/" in mail.outbox[0].body


def test_send_templated_email_sends_nothing_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.send_templated_email(
            to="anna@school.example",
            template="accounts/emails/confirm_email",
            context={"user": user, "link": "http://testserver/x/", "valid_days": 3},
        )
        raise RuntimeError("rolled back")

    assert callbacks == []
    assert mail.outbox == []


def test_register_user_sends_nothing_when_the_transaction_rolls_back(
    consent_version, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.register_user(
            email="anna@school.example",
            password="Ab3-long-enough",
            last_name="Иванова",
            first_name="Анна",
            consent_version=consent_version,
        )
        raise RuntimeError("rolled back")

    assert mail.outbox == []
    assert not Consent.objects.exists()


def test_register_user_emails_a_link_to_site_url_without_a_request(
    settings, consent_version, django_capture_on_commit_callbacks, sent_link
):
    settings.SITE_URL = "https://innoteka.example/"

    with django_capture_on_commit_callbacks(execute=True):
        user = services.register_user(
            email="Anna@School.Example",
            password="Ab3-long-enough",
            last_name="Иванова",
            first_name="Анна",
            consent_version=consent_version,
        )

    link = sent_link(r"https://innoteka\.example/accounts/confirm/[^/\s]+/[^/\s]+/")
    uidb64, token = link.split("/")[-3:-1]
    assert user.email == "anna@school.example"
    assert user.email_confirmed_at is None
    assert Consent.objects.filter(user=user, version=consent_version).count() == 1
    assert mail.outbox[0].to == ["anna@school.example"]
    assert uidb64 == urlsafe_base64_encode(force_bytes(user.pk))
    assert email_confirmation_token.check_token(user, token) is True


def test_confirm_email_marks_the_address_confirmed_once():
    user = UserFactory(email_confirmed_at=None)

    first = services.confirm_email(user=user)
    confirmed_at = user.email_confirmed_at
    second = services.confirm_email(user=user)

    user.refresh_from_db()
    assert (first, second) == (True, False)
    assert user.email_confirmed_at == confirmed_at


def test_confirmation_token_stops_working_once_the_email_is_changed():
    user = UserFactory(email="anna@school.example", email_confirmed_at=None)
    token = email_confirmation_token.make_token(user)

    user.email = "anna.petrova@school.example"
    user.save()

    assert email_confirmation_token.check_token(user, token) is False


def consent_request(user) -> HttpRequest:
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.7")
    request.session = SessionStore()
    request.user = user
    return request


def test_record_consent_marks_the_session_of_the_signed_in_user(consent_version):
    user = UserFactory(consent=False)
    request = consent_request(user)

    services.record_consent(user=user, version=consent_version, request=request)

    assert request.session[services.CONSENT_SESSION_KEY] == consent_version.pk


def test_record_consent_of_a_new_account_leaves_the_guest_session_unmarked(
    consent_version,
):
    user = UserFactory(consent=False)
    request = consent_request(AnonymousUser())

    services.record_consent(user=user, version=consent_version, request=request)

    assert services.CONSENT_SESSION_KEY not in request.session
    assert Consent.objects.get(user=user).ip_address == "10.0.0.7"
