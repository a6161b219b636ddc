"""Demo partnerships: School 619's products at every stage, with agreements.

Each partnership is played through the partnerships services as its people
would play it: a school declares interest, the carrier accepts it, drafts
the agreement, both sides comment and edit, the recipient agrees, the heads
sign with their passwords. So the agreed and signed PDFs, their SHA-256 and
the signature records are real, and the services write the notifications.

Two things the rules do not let anyone reach directly are set by hand here:

- moves past stage 2, because their exit conditions include the roadmap and
  the calendar schedule, which another part of the platform provides; the
  move is recorded as ``advance_stage`` records it (a stage move and a
  history entry);
- dates in the past: the acceptance of an interest is dated back so that
  the board shows partners of different ages, and the agreement that has
  expired gets its past dates through the edit service before it is agreed,
  so its signed PDF carries them.

Signatures and everything after them keep the time of seeding: a signed
document is never altered afterwards, not even in the demo. Demo addresses
are fictional, so no email is sent while seeding.
"""

from datetime import timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from innoteka.demo.people import DEMO_DOMAIN, DEMO_PASSWORD
from innoteka.demo.products import PRODUCTS
from organisations.models import Organisation
from partnerships import services
from partnerships.models import Agreement, Partnership, Stage, StageMove
from products.models import Interest, Product
from products.services.interests import declare_interest, set_interest_status

# Documentation addresses (RFC 5737): the signature records show them.
CARRIER_IP = "198.51.100.7"
RECIPIENT_IP = "203.0.113.24"

QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"

# simple-history keeps a change reason of at most this many characters.
HISTORY_REASON_LENGTH = 100


def _user(login: str) -> User:
    return User.objects.get(email=f"{login}@{DEMO_DOMAIN}")


def _product(carrier: Organisation, index: int) -> Product:
    return Product.objects.get(carrier=carrier, title=PRODUCTS[index].title)


def _interest(product: Product, organisation: Organisation, declarer: User, text):
    """The organisation's undecided interest in ``product``, declared if none.

    An accepted interest without a partnership (a database seeded before
    partnerships existed) is taken as it is: accepting it again creates the
    partnership.
    """
    existing = (
        Interest.objects.filter(product=product, organisation=organisation)
        .exclude(status=Interest.Status.DECLINED)
        .filter(partnership__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    return declare_interest(
        product=product,
        organisation=organisation,
        actor=declarer,
        message=text,
        expected_start=timezone.localdate() + timedelta(days=30),
    )


def _accept(interest: Interest, actor: User, days_ago: int) -> Partnership:
    """Get in contact, accept, and date the acceptance ``days_ago`` back."""
    if interest.status == Interest.Status.NEW:
        set_interest_status(
            interest=interest, actor=actor, status=Interest.Status.IN_CONTACT
        )
    partnership = services.accept_interest(interest=interest, actor=actor)

    # The services stamp the present; update() leaves the history as it was.
    accepted = timezone.now() - timedelta(days=days_ago)
    Interest.objects.filter(pk=interest.pk).update(
        created_at=accepted - timedelta(days=12), decided_at=accepted
    )
    Partnership.objects.filter(pk=partnership.pk).update(created_at=accepted)
    partnership.stage_moves.update(moved_at=accepted)
    partnership.refresh_from_db()
    return partnership


def _move(partnership: Partnership, to_stage: int, actor: User, reason: str):
    """Record a move that ``advance_stage`` would refuse for now.

    The exits of stages 2–4 include the roadmap and the calendar schedule,
    which the roadmaps part of the platform provides; until it does, no
    partnership can pass them through the service.
    """
    StageMove.objects.create(
        partnership=partnership,
        from_stage=partnership.stage,
        to_stage=to_stage,
        actor=actor,
        reason=reason,
    )
    partnership.stage = to_stage
    partnership._history_user = actor
    partnership._change_reason = reason[:HISTORY_REASON_LENGTH]
    partnership.save()


def _edit(agreement: Agreement, actor: User, **data) -> Agreement:
    return services.update_agreement(
        agreement=agreement, actor=actor, data=data, expected_version=agreement.version
    )


def _agree(agreement: Agreement, actor: User) -> Agreement:
    return services.agree_agreement(
        agreement=agreement, actor=actor, expected_version=agreement.version
    )


def _sign(agreement: Agreement, actor: User, ip_address: str) -> None:
    services.sign_agreement(
        agreement=agreement,
        actor=actor,
        password=DEMO_PASSWORD,
        ip_address=ip_address,
    )


def _signed(agreement: Agreement, carrier_head: User, recipient_head: User):
    """The recipient signs first, then the carrier; return the fresh row."""
    _sign(agreement, recipient_head, RECIPIENT_IP)
    _sign(agreement, carrier_head, CARRIER_IP)
    agreement.refresh_from_db()
    return agreement


def _replace(text: str, old: str, new: str) -> str:
    """Put ``new`` in place of ``old``, or after the text if an administrator
    has reworded the template."""
    return text.replace(old, new) if old in text else f"{text}\n{new}"


def _draft_with_negotiation(flipped: Product, organisations: dict) -> None:
    """Gymnasium 70, stage 2: a draft the sides are still discussing."""
    coordinator, head = _user("coordinator619"), _user("head619")
    recipient_coordinator, recipient_head = _user("coordinator70"), _user("head70")
    interest = _interest(
        flipped,
        organisations["gymnasium70"],
        recipient_head,
        "Гимназия готова апробировать «перевёрнутый класс» на уроках физики и "
        "математики в 8-х классах. Учителя уже записывают короткие видеоуроки, "
        "но им нужна помощь в организации работы на самом уроке.",
    )
    partnership = _accept(interest, coordinator, days_ago=21)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)

    services.add_comment(
        agreement=agreement,
        actor=recipient_coordinator,
        text="Добрый день! Просим уточнить в разделе 2 сроки дистанционного "
        "курса. В октябре у наших восьмиклассников ВПР, учителям удобнее "
        "начать обучение в ноябре.",
    )
    agreement = _edit(
        agreement,
        coordinator,
        carrier_obligations=_replace(
            agreement.carrier_obligations,
            "2. Провести дистанционные обучающие курсы для сотрудников реципиента.",
            "2. Провести для учителей реципиента дистанционный курс «Перевёрнутый "
            "класс: проектирование урока» (36 часов) с 11 ноября по 20 декабря.",
        ),
    )
    services.add_comment(
        agreement=agreement,
        actor=coordinator,
        text="Юлия Павловна, курс начнётся 11 ноября, занятия по вторникам после "
        "уроков. Сроки внесли в пункт 2 раздела 2 — посмотрите, пожалуйста, "
        "новую редакцию.",
    )
    services.add_comment(
        agreement=agreement,
        actor=recipient_head,
        text="Сроки курса нас устраивают, спасибо. Предлагаем продлить действие "
        "соглашения до конца учебного года, чтобы консультации захватили "
        "итоговую аттестацию. Если коллеги не возражают, поправим срок и "
        "согласуем текст.",
    )
    services.add_negotiation_note(
        partnership=partnership,
        actor=head,
        held_on=timezone.localdate() - timedelta(days=3),
        text="Провели онлайн-встречу руководителей (Е. Н. Воронцова, "
        "Т. И. Белова). Договорились: апробация — в 8-х классах на уроках физики "
        "и математики со второго полугодия; ответственный за внедрение в "
        "гимназии — Ю. П. Ковалёва; в декабре три учителя гимназии проходят "
        "стажировку на базе школы № 619. Следующая встреча — после согласования "
        "текста соглашения.",
    )


def _agreed(engineering: Product, organisations: dict) -> None:
    """Pskov gymnasium, stage 3: the text is agreed, nobody has signed yet."""
    coordinator = _user("coordinator619")
    recipient_head = _user("head-pskov")
    interest = _interest(
        engineering,
        organisations["pskov_gymnasium"],
        recipient_head,
        "Хотим открыть инженерный кружок для 5–7 классов на базе нашей "
        "лаборатории робототехники. Конструкторы есть, нужна программа и "
        "подготовка педагогов.",
    )
    partnership = _accept(interest, coordinator, days_ago=45)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    _move(
        partnership,
        Stage.COMMUNITY,
        coordinator,
        "Черновики соглашения и дорожной карты готовы, переходим к переговорам "
        "руководителей.",
    )
    services.add_comment(
        agreement=agreement,
        actor=recipient_head,
        text="Текст согласовали с юристом управления образования, замечаний нет. "
        "Готовы подписать на этой неделе.",
    )
    _agree(agreement, recipient_head)


def _signed_by_recipient(flagship: Product, organisations: dict) -> None:
    """School 482, stage 3: the recipient signed, the carrier's head has not."""
    coordinator = _user("coordinator619")
    recipient_head = _user("head482")
    interest = _interest(
        flagship,
        organisations["school_vyborg"],
        recipient_head,
        "По итогам диагностики функциональной грамотности школа выбрала "
        "направление цифровой образовательной среды. Просим включить нас в "
        "число партнёров.",
    )
    partnership = _accept(interest, coordinator, days_ago=60)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    _move(
        partnership,
        Stage.COMMUNITY,
        coordinator,
        "Пакет документов собран, начинаем переговоры.",
    )
    services.add_negotiation_note(
        partnership=partnership,
        actor=recipient_head,
        held_on=timezone.localdate() - timedelta(days=10),
        text="Встреча руководителей в школе № 619. Посмотрели уроки с "
        "цифровыми заданиями в 6-м и 7-м классах, договорились начать с "
        "математики и русского языка, информатику подключить во втором "
        "полугодии.",
    )
    agreement = _agree(agreement, recipient_head)
    _sign(agreement, recipient_head, RECIPIENT_IP)


def _signed_with_supplement(flagship: Product, organisations: dict) -> None:
    """Lyceum 402, stage 4: signed by both, a supplementary draft, an expert."""
    coordinator, head = _user("coordinator619"), _user("head619")
    recipient_head = _user("head402")
    interest = _interest(
        flagship,
        organisations["lyceum_kolpino"],
        recipient_head,
        "Лицей участвует в районной программе по функциональной грамотности и "
        "хотел бы перенять вашу модель работы с цифровыми заданиями в "
        "5–9 классах.",
    )
    partnership = _accept(interest, coordinator, days_ago=120)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    _move(
        partnership,
        Stage.COMMUNITY,
        coordinator,
        "Черновики соглашения и дорожной карты готовы.",
    )
    agreement = _signed(_agree(agreement, recipient_head), head, recipient_head)
    _move(
        partnership,
        Stage.PREPARATION,
        coordinator,
        "Соглашение подписано обеими сторонами, дорожная карта утверждена.",
    )
    services.set_experts(
        partnership=partnership, actor=_user("admin"), experts=[_user("expert")]
    )

    supplement = services.create_supplementary(parent=agreement, actor=coordinator)
    supplement = _edit(
        supplement,
        coordinator,
        subject=f"{supplement.subject}\n"
        "1. Дополнить обязательства носителя: провести в лицее открытый "
        "методический день для учителей Колпинского района.\n"
        "2. Включить в апробацию 9-е классы с 1 февраля.",
    )
    services.add_comment(
        agreement=supplement,
        actor=coordinator,
        text="Ирина Владимировна, подготовили проект дополнительного соглашения "
        "по итогам мониторинга готовности. Посмотрите, пожалуйста, до пятницы.",
    )


def _implementing(engineering: Product, organisations: dict) -> None:
    """House of children's creativity, stage 5: implementation under way."""
    coordinator, head = _user("coordinator619"), _user("head619")
    recipient_head = _user("head-ddt")
    interest = _interest(
        engineering,
        organisations["ddt_primorsky"],
        recipient_head,
        "Дом детского творчества открывает направление технического творчества "
        "и ищет готовую программу по робототехнике с методическим "
        "сопровождением.",
    )
    partnership = _accept(interest, coordinator, days_ago=200)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    _move(partnership, Stage.COMMUNITY, coordinator, "Пакет документов готов.")
    _signed(_agree(agreement, recipient_head), head, recipient_head)
    _move(
        partnership,
        Stage.PREPARATION,
        coordinator,
        "Соглашение подписано, дорожная карта утверждена обеими сторонами.",
    )
    _move(
        partnership,
        Stage.IMPLEMENTATION,
        coordinator,
        "Мониторинг готовности проведён: оборудование в наличии, два педагога "
        "прошли курс. Календарный график согласован.",
    )


def _completed(flipped: Product, organisations: dict) -> None:
    """Lyceum No. 1 of Petrozavodsk: a year of work, completed; expired."""
    coordinator, head = _user("coordinator619"), _user("head619")
    recipient_head = _user("head-petrozavodsk")
    interest = _interest(
        flipped,
        organisations["petrozavodsk_lyceum"],
        recipient_head,
        "Лицей давно использует видеоуроки, но без системы. Хотим освоить "
        "технологию «перевёрнутого класса» целиком, с подготовкой учителей.",
    )
    partnership = _accept(interest, coordinator, days_ago=420)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    # The partnership ran last year: its agreement is dated then.
    today = timezone.localdate()
    made_on = today - timedelta(days=400)
    agreement = _edit(
        agreement,
        coordinator,
        number=f"{made_on.year}/{partnership.pk}",
        agreement_date=made_on,
        expiry_date=today - timedelta(days=35),
    )
    _move(partnership, Stage.COMMUNITY, coordinator, "Пакет документов готов.")
    _signed(_agree(agreement, recipient_head), head, recipient_head)
    _move(partnership, Stage.PREPARATION, coordinator, "Соглашение подписано.")
    _move(
        partnership,
        Stage.IMPLEMENTATION,
        coordinator,
        "Готовность подтверждена, календарный график согласован.",
    )
    services.expire_agreements(today=today)
    services.complete_partnership(partnership=partnership, actor=head)


def _terminated(flagship: Product, organisations: dict) -> None:
    """School 39 of Kazan, stage 3: signed, then ended by the recipient."""
    coordinator, head = _user("coordinator619"), _user("head619")
    recipient_head = _user("head-kazan")
    interest = _interest(
        flagship,
        organisations["kazan_school"],
        recipient_head,
        "Школа развивает цифровую образовательную среду и хотела бы "
        "использовать вашу модель в 5–7 классах.",
    )
    partnership = _accept(interest, coordinator, days_ago=150)
    agreement = services.draft_agreement(partnership=partnership, actor=coordinator)
    _move(partnership, Stage.COMMUNITY, coordinator, "Пакет документов готов.")
    agreement = _signed(_agree(agreement, recipient_head), head, recipient_head)
    reason = (
        "Школа включена в региональный проект по цифровой образовательной "
        "среде с другим оператором; два параллельных внедрения перегрузят "
        "педагогов. Расторгаем по согласию сторон."
    )
    services.terminate_agreement(
        agreement=agreement, actor=recipient_head, reason=reason
    )
    services.terminate_partnership(
        partnership=partnership, actor=recipient_head, reason=reason
    )


def _school_as_recipient(organisations: dict) -> None:
    """School 619 adopts the methodological centre's mentoring model."""
    carrier = organisations["imc_kalininsky"]
    product = Product.objects.filter(carrier=carrier, title=PRODUCTS[5].title).first()
    if product is None:
        return
    interest = _interest(
        product,
        organisations["school619"],
        _user("head619"),
        "В этом году в школу пришли шесть молодых учителей. Хотим выстроить "
        "наставничество по вашей модели вместе с другими школами района.",
    )
    _accept(interest, _user("methodist"), days_ago=5)


def _seed(organisations: dict[str, Organisation]) -> None:
    school = organisations["school619"]
    flagship, flipped, engineering = (_product(school, i) for i in range(3))
    _draft_with_negotiation(flipped, organisations)
    _agreed(engineering, organisations)
    _signed_by_recipient(flagship, organisations)
    _signed_with_supplement(flagship, organisations)
    _implementing(engineering, organisations)
    _completed(flipped, organisations)
    _terminated(flagship, organisations)
    _school_as_recipient(organisations)


def seed_partnerships(organisations: dict[str, Organisation]) -> int:
    """Create the demo partnerships once; return how many partnerships exist."""
    if Partnership.objects.filter(carrier=organisations["school619"]).exists():
        return Partnership.objects.count()
    # The services' emails go out when the transaction commits, inside the
    # override.
    with override_settings(EMAIL_BACKEND=QUIET_EMAIL), transaction.atomic():
        _seed(organisations)
    return Partnership.objects.count()
