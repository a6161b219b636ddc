"""Services of notifications: notify, reading, email preferences."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy, override

from notifications import services
from notifications.kinds import Kind
from notifications.models import EmailPreference, Notification
from tests.factories import UserFactory
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db

TITLE = "Соглашение готово к подписанию"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver"


def notify(users, **fields):
    fields.setdefault("kind", Kind.AGREEMENT_READY_TO_SIGN)
    fields.setdefault("title", TITLE)
    return services.notify(users=users, **fields)


# notify


def test_notify_writes_one_notification_per_user_and_emails_them(
    recipient_head,
    recipient_specialist,
    carrier_head,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            [recipient_head, recipient_specialist],
            body="Проверьте текст соглашения.",
            link="/partnerships/7/",
            actor=carrier_head,
        )

    assert [n.recipient for n in created] == [recipient_head, recipient_specialist]
    stored = Notification.objects.get(recipient=recipient_head)
    assert (stored.kind, stored.title, stored.body, stored.link) == (
        Kind.AGREEMENT_READY_TO_SIGN,
        TITLE,
        "Проверьте текст соглашения.",
        "/partnerships/7/",
    )
    assert stored.actor == carrier_head
    assert stored.read_at is None
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [recipient_head.email, recipient_specialist.email]
    )
    email = mailoutbox[0]
    assert email.subject == TITLE
    assert "Проверьте текст соглашения." in email.body
    assert "http://testserver/partnerships/7/" in email.body
    assert "http://testserver/notifications/preferences/" in email.body


def test_notify_deduplicates_users(
    recipient_head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify([recipient_head, recipient_head, recipient_head])

    assert len(created) == 1
    assert Notification.objects.filter(recipient=recipient_head).count() == 1
    assert len(mailoutbox) == 1


def test_notify_skips_the_actor(
    recipient_head, carrier_head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = notify([carrier_head, recipient_head], actor=carrier_head)

    assert [n.recipient for n in created] == [recipient_head]
    assert not Notification.objects.filter(recipient=carrier_head).exists()
    assert [m.to for m in mailoutbox] == [[recipient_head.email]]


def test_notify_skips_inactive_users(
    recipient_head, mailoutbox, django_capture_on_commit_callbacks
):
    former = UserFactory(email="former@gymnasium70.example", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        created = notify([former, recipient_head])

    assert [n.recipient for n in created] == [recipient_head]
    assert not Notification.objects.filter(recipient=former).exists()
    assert [m.to for m in mailoutbox] == [[recipient_head.email]]


def test_opted_out_user_gets_the_notification_but_no_email(
    recipient_head,
    recipient_specialist,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    services.set_email_preferences(
        user=recipient_specialist, enabled_kinds={Kind.STAGE_MOVED}
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify([recipient_head, recipient_specialist])

    assert Notification.objects.filter(recipient=recipient_specialist).count() == 1
    assert [m.to for m in mailoutbox] == [[recipient_head.email]]


def test_opting_out_of_another_kind_keeps_this_email(
    recipient_head, mailoutbox, django_capture_on_commit_callbacks
):
    services.set_email_preferences(
        user=recipient_head, enabled_kinds={Kind.AGREEMENT_READY_TO_SIGN}
    )

    with django_capture_on_commit_callbacks(execute=True):
        notify([recipient_head])

    assert len(mailoutbox) == 1


def test_notify_reads_preferences_in_one_query_whatever_the_number_of_users(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    users = [UserFactory() for _ in range(12)]
    services.set_email_preferences(user=users[0], enabled_kinds=set())

    # savepoint, bulk insert, opted-out set, release
    with (
        django_capture_on_commit_callbacks() as callbacks,
        django_assert_num_queries(4),
    ):
        notify(users)

    assert len(callbacks) == 11


def test_emails_wait_for_the_commit(recipient_head, mailoutbox):
    notify([recipient_head])

    # The test transaction never commits: nothing is sent.
    assert mailoutbox == []
    assert Notification.objects.filter(recipient=recipient_head).count() == 1


def test_emails_are_in_russian_whatever_the_actors_language(
    recipient_head, mailoutbox, django_capture_on_commit_callbacks
):
    with override("en"), django_capture_on_commit_callbacks(execute=True):
        notify([recipient_head], title=gettext_lazy("Russian"))

    assert Notification.objects.get().title == "Русский"
    assert mailoutbox[0].subject == "Русский"


def test_notify_with_nobody_left_writes_nothing(carrier_head, mailoutbox):
    assert notify([carrier_head], actor=carrier_head) == []
    assert notify([]) == []

    assert not Notification.objects.exists()


def test_long_title_is_shortened(recipient_head):
    notify([recipient_head], title="Очень " * 60)

    title = Notification.objects.get().title
    assert len(title) == 200
    assert title.endswith("…")


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "agreement_lost"},
        {"title": "  "},
        {"link": "https://evil.example/"},
        {"link": "//evil.example/"},
        {"link": "/\\evil.example/"},
        {"link": "partnerships/7/"},
    ],
)
def test_notify_refuses_bad_input_and_writes_nothing(
    recipient_head, mailoutbox, fields, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        notify([recipient_head], **fields)

    assert not Notification.objects.exists()
    assert mailoutbox == []


# mark_read, mark_all_read


def test_recipient_marks_a_notification_read(unread, recipient_head):
    changed = services.mark_read(notification=unread, user=recipient_head)

    unread.refresh_from_db()
    assert changed is True
    assert unread.read_at is not None


def test_marking_read_twice_keeps_the_first_time(read, recipient_head):
    first = read.read_at

    changed = services.mark_read(notification=read, user=recipient_head)

    read.refresh_from_db()
    assert changed is False
    assert read.read_at == first


def test_nobody_else_marks_a_notification_read(unread, recipient_specialist):
    with pytest.raises(PermissionDenied):
        services.mark_read(notification=unread, user=recipient_specialist)

    unread.refresh_from_db()
    assert unread.read_at is None


def test_mark_all_read_touches_only_the_users_unread(
    unread, read, recipient_head, recipient_specialist
):
    second = make_notification(recipient_head)
    other = make_notification(recipient_specialist)
    first_read_at = read.read_at

    count = services.mark_all_read(user=recipient_head)

    assert count == 2
    for notification in (unread, read, second, other):
        notification.refresh_from_db()
    assert unread.read_at is not None
    assert second.read_at is not None
    assert read.read_at == first_read_at
    assert other.read_at is None


# Email preferences


def test_email_is_wanted_by_default(recipient_head):
    assert services.wants_email(recipient_head, Kind.AGREEMENT_COMMENT) is True


def test_set_email_preferences_turns_kinds_off_and_back_on(recipient_head):
    services.set_email_preferences(
        user=recipient_head, enabled_kinds={Kind.AGREEMENT_SIGNED}
    )

    assert services.wants_email(recipient_head, Kind.AGREEMENT_SIGNED) is True
    assert services.wants_email(recipient_head, Kind.AGREEMENT_COMMENT) is False

    services.set_email_preferences(user=recipient_head, enabled_kinds=set(Kind))

    assert all(services.wants_email(recipient_head, kind) for kind in Kind)
    assert EmailPreference.objects.filter(user=recipient_head).count() == len(Kind)


def test_preferences_of_one_user_leave_others_alone(
    recipient_head, recipient_specialist
):
    services.set_email_preferences(user=recipient_head, enabled_kinds=set())

    assert services.wants_email(recipient_specialist, Kind.STAGE_MOVED) is True


def test_unknown_kind_in_preferences_is_refused(recipient_head):
    with pytest.raises(ValidationError):
        services.set_email_preferences(
            user=recipient_head, enabled_kinds={"agreement_lost"}
        )

    assert not EmailPreference.objects.exists()


def test_read_property_follows_read_at(recipient_head):
    notification = make_notification(recipient_head, read_at=timezone.now())

    assert notification.is_read is True


def test_email_text_is_not_html_escaped(
    recipient_head, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [recipient_head],
            title='Комментарий к "Соглашению" & роадмапу',
            body="<b>Срок</b> — 5 дней",
        )

    assert mailoutbox[0].subject == 'Комментарий к "Соглашению" & роадмапу'
    assert "<b>Срок</b> — 5 дней" in mailoutbox[0].body
