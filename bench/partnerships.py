"""Partnerships benchmark: board, list, partnership page, agreement PDF.

Uses the database and the seeding of the catalogue benchmark: with
``seed_demo --scale 100`` there are 200,000 generated partnerships, of which
the coordinator of the focus organisation sees 5,000 (the carrier's own
1,500, 500 as recipient, 3,000 of the three schools of its network; see
innoteka/demo/scale_partnerships.py). Each page is served many times to that
coordinator in process through Django's test client, like the catalogue
pages, and compared with the same one-query baseline view. Then a long
signed cooperation agreement is rendered to PDF repeatedly: cold and warm
render time, page count, and memory (the peak of Python allocations by
tracemalloc, and the growth of the process's peak resident set).

    python -m bench partnerships [--requests 200] [--scale 100] [--renders 30]
"""

import io
import math
import re
import resource
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from bench.__main__ import measure, prepare_environment

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

SUBJECT = (
    "{carrier} (носитель инновационного опыта) передаёт, а {recipient} "
    "(реципиент) внедряет в свою образовательную практику инновационный продукт "
    "«{product}» при методическом, консультационном и экспертном сопровождении "
    "носителя с использованием открытой инновационной платформы «Иннотека». "
    "Стороны действуют в интересах обучающихся, руководствуясь Федеральным "
    "законом «Об образовании в Российской Федерации», федеральными "
    "государственными образовательными стандартами и уставами сторон."
)
CARRIER_CLAUSES = [
    "Предоставить реципиенту пакет документов по внедрению инновационного "
    "продукта: программу дистанционного курса, диагностические материалы, "
    "дорожную карту и инструкции по работе на платформе «Иннотека».",
    "Провести для педагогов реципиента дистанционный курс повышения "
    "квалификации объёмом 36 академических часов, включая вебинары, "
    "практические задания и итоговую защиту проектов уроков.",
    "Провести входную и итоговую диагностику готовности педагогического "
    "коллектива реципиента к внедрению и передать реципиенту её результаты "
    "с рекомендациями.",
    "Организовать работу онлайн-консультационного пункта: отвечать на "
    "письменные обращения специалистов реципиента не позднее пяти рабочих "
    "дней со дня обращения.",
    "Провести не менее трёх деловых встреч с руководителем и ответственным за "
    "внедрение реципиента: установочную, промежуточную и итоговую.",
    "Провести мониторинг готовности реципиента к внедрению (оборудование, "
    "кадры, нормативная база) и согласовать с ним календарный график.",
    "Организовать стажировку педагогов реципиента на своей базе: посещение "
    "уроков, мастер-классы, разбор сценариев занятий.",
    "Рассматривать акты выполненных работ реципиента и подписывать их либо "
    "направлять мотивированные замечания в течение десяти рабочих дней.",
    "Учитывать замечания реципиента при доработке продукта и сообщать ему о "
    "выпуске новых версий продукта.",
    "Консультировать реципиента по использованию продукта до истечения срока "
    "действия соглашения.",
]
RECIPIENT_CLAUSES = [
    "Назначить приказом ответственного за внедрение инновационного продукта и "
    "сообщить носителю его контактные данные.",
    "Разработать стратегию работы с персоналом и план ресурсов (кадровых, "
    "временных, финансовых, материальных) в соответствии с дорожной картой.",
    "Обеспечить участие не менее пяти педагогов в дистанционном курсе и в "
    "диагностике готовности.",
    "Подготовить службы и процессы организации к внедрению: внести изменения в "
    "рабочие программы, расписание и локальные нормативные акты.",
    "Внедрять инновационный продукт в соответствии с согласованным календарным "
    "графиком и ежеквартально сообщать носителю о ходе работ.",
    "Оформлять акты выполненных работ по этапам календарного графика.",
    "Провести апробирование продукта не менее чем в двух классах и "
    "представить носителю отзыв о его применении.",
    "Вносить в паспорт платформы значения показателей эффективности внедрения.",
    "Распространять опыт внедрения внутри организации: провести методический "
    "семинар и открытые уроки для коллег.",
    "Не передавать материалы инновационного продукта третьим лицам без "
    "письменного согласия носителя.",
]
CHANGES = (
    "Изменения и дополнения к соглашению оформляются дополнительными "
    "соглашениями, которые согласуются и подписываются сторонами на платформе "
    "«Иннотека» и являются неотъемлемой частью настоящего соглашения. "
    "Предложение об изменении направляется другой стороне через платформу; "
    "сторона рассматривает его в течение десяти рабочих дней. Изменение "
    "календарного графика, не затрагивающее срок действия соглашения, "
    "согласуется ответственными за внедрение и отражается в дорожной карте."
)
TERMINATION = (
    "Соглашение может быть расторгнуто по взаимному согласию сторон либо по "
    "инициативе одной из сторон с уведомлением другой стороны не позднее чем за "
    "30 календарных дней. Уведомление направляется через платформу с указанием "
    "причины. Обязательства, возникшие до расторжения, исполняются в полном "
    "объёме; материалы, переданные носителем, реципиент вправе использовать "
    "в образовательных целях до конца учебного года. Споры разрешаются путём "
    "переговоров руководителей сторон, а при недостижении согласия — в порядке, "
    "установленном законодательством Российской Федерации."
)


def _numbered(clauses: list[str]) -> str:
    return "\n".join(f"{n}. {text}" for n, text in enumerate(clauses, start=1))


def agreement_context() -> dict:
    """A long signed agreement between two schools, built in memory."""
    from accounts.models import User
    from organisations.models import Organisation
    from partnerships.models import Agreement, Partnership, Side, Signature
    from products.models import Product, ProductVersion

    carrier = Organisation(
        full_name="Государственное бюджетное общеобразовательное учреждение средняя "
        "общеобразовательная школа № 619 Калининского района Санкт-Петербурга",
        short_name="ГБОУ СОШ № 619",
        city="Санкт-Петербург",
        address="195269, Санкт-Петербург, ул. Учительская, д. 9",
        head_name="Воронцова Елена Николаевна",
        head_position="Директор",
        inn="7804123456",
        ogrn="1027802512345",
        email="school619@example.org",
        phone="+7 812 417-00-00",
    )
    recipient = Organisation(
        full_name="Муниципальное бюджетное общеобразовательное учреждение "
        "«Псковская инженерно-лингвистическая гимназия»",
        short_name="МБОУ «ПИЛГ»",
        city="Псков",
        address="180007, Псков, ул. Народная, д. 10",
        head_name="Фёдорова Ольга Михайловна",
        head_position="Директор",
        inn="6027012345",
        ogrn="1026000971234",
        email="pilg@example.org",
        phone="+7 8112 57-00-00",
    )
    product = Product(
        carrier=carrier,
        title="Цифровая образовательная среда как ресурс формирования "
        "функциональной грамотности",
    )
    version = ProductVersion(
        product=product, number="1.1", released_on=date(2026, 2, 10)
    )
    partnership = Partnership(product=product, carrier=carrier, recipient=recipient)
    carrier_head = User(
        last_name="Воронцова", first_name="Елена", patronymic="Николаевна"
    )
    recipient_head = User(
        last_name="Фёдорова", first_name="Ольга", patronymic="Михайловна"
    )
    values = {
        "carrier": carrier.full_name,
        "recipient": recipient.full_name,
        "product": product.title,
    }
    agreement = Agreement(
        partnership=partnership,
        number="2026/1042",
        agreement_date=date(2026, 3, 2),
        subject=SUBJECT.format(**values),
        carrier_obligations=_numbered(CARRIER_CLAUSES),
        recipient_obligations=_numbered(RECIPIENT_CLAUSES),
        changes_procedure=CHANGES,
        termination_procedure=TERMINATION,
        expiry_date=date(2027, 3, 1),
        product_version=version,
        carrier_signatory=carrier_head,
        recipient_signatory=recipient_head,
        status=Agreement.Status.SIGNED,
    )
    digest = "3f1c9a" * 10 + "b2d4"
    signed_at = date(2026, 3, 4)
    signatures = {
        side: Signature(
            agreement=agreement,
            side=side,
            organisation=organisation,
            signer_name=person.full_name,
            signer_position="Директор",
            signed_at=_aware(signed_at + timedelta(days=offset)),
            ip_address=address,
            document_sha256=digest,
        )
        for side, organisation, person, offset, address in (
            (Side.RECIPIENT, recipient, recipient_head, 0, "203.0.113.24"),
            (Side.CARRIER, carrier, carrier_head, 1, "198.51.100.7"),
        )
    }
    return {
        "agreement": agreement,
        "partnership": partnership,
        "carrier": carrier,
        "recipient": recipient,
        "product": product,
        "version": version,
        "parent": None,
        "signatures": signatures,
        "signed": True,
    }


def _aware(day: date):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(day.year, day.month, day.day, 14, 30))


def page_count(pdf: bytes) -> int:
    """The number of pages, as poppler's ``pdfinfo`` reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(
            ["pdfinfo", handle.name], capture_output=True, text=True, check=True
        ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_pdf(renders: int) -> dict:
    from innoteka.pdf import render_pdf

    context = agreement_context()
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    pdf = render_pdf("documents/agreement.html", context)
    cold = time.perf_counter() - start

    timings = []
    for _ in range(renders):
        start = time.perf_counter()
        render_pdf("documents/agreement.html", context)
        timings.append(time.perf_counter() - start)
    timings.sort()
    rss_after = peak_rss_mb()

    tracemalloc.start()
    render_pdf("documents/agreement.html", context)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "pages": page_count(pdf),
        "size_kb": len(pdf) / 1024,
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[max(math.ceil(len(timings) * 0.95) - 1, 0)] * 1000,
        "traced_peak_mb": traced_peak / 1024 / 1024,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
    }


def explain(client, url: str) -> None:
    """Print EXPLAIN ANALYZE of the slowest query of one request to ``url``."""
    from django.db import connection

    timed = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append((time.perf_counter() - start, sql, params))

    with connection.execute_wrapper(record):
        client.get(url)
    seconds, sql, params = max(timed, key=lambda row: row[0])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print(f"\n--- {url}: slowest query {seconds * 1000:.1f} ms\n{sql}\n{plan}")


def main(args) -> None:
    prepare_environment(args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from innoteka.demo.scale_partnerships import focus_coordinator, network
    from partnerships.models import Partnership, Stage
    from partnerships.selectors import visible_partnerships
    from partnerships.views.partnerships import PAGE_SIZE

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale=args.scale, stdout=io.StringIO())
    print(f"seed: {time.perf_counter() - started:.1f} s")
    call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    focus = network()[0]
    user = focus_coordinator()
    visible = visible_partnerships(user).count()
    as_carrier = Partnership.objects.filter(carrier=focus).count()
    print(
        f"partnerships: {Partnership.objects.count()}; visible to {user.email}: "
        f"{visible}; its organisation is the carrier of {as_carrier}"
    )
    partnership = (
        Partnership.objects.filter(
            carrier=focus, stage=Stage.COMMUNITY, status=Partnership.Status.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    deep = max(math.ceil(visible / PAGE_SIZE) * 4 // 5, 1)

    setup_test_environment()
    pages = [
        ("board of the carrier", f"/partnerships/board/?organisation={focus.pk}"),
        ("my partnerships, all, page 1", "/partnerships/?status=all"),
        (
            f"my partnerships, all, page {deep}",
            f"/partnerships/?status=all&page={deep}",
        ),
        ("my partnerships, active (default)", "/partnerships/"),
        ("partnership page", f"/partnerships/{partnership.pk}/"),
    ]
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False
    ):
        anonymous = Client()
        client = Client()
        client.force_login(user, backend=MODEL_BACKEND)
        results = [
            (
                "baseline (1 query, small template)",
                measure(anonymous, "/bench/baseline/", args.requests),
            ),
            (
                "baseline, signed in",
                measure(client, "/bench/baseline/", args.requests),
            ),
        ]
        results += [(name, measure(client, url, args.requests)) for name, url in pages]
        if args.explain:
            for _name, url in pages:
                explain(client, url)

    base = results[0][1]["per_second"]
    header = ("page", "queries", "median ms", "p95 ms", "req/s", "vs base")
    print("\n{:40} {:>7} {:>10} {:>8} {:>7} {:>8}".format(*header))
    for name, r in results:
        print(
            f"{name:40} {r['queries']:>7} {r['median_ms']:>10.1f} "
            f"{r['p95_ms']:>8.1f} {r['per_second']:>7.0f} "
            f"{r['per_second'] / base:>8.0%}"
        )
    database = settings.DATABASES["default"]["NAME"]
    print(f"\ndatabase: {database}, requests per page: {args.requests}")

    pdf = measure_pdf(args.renders)
    print(
        f"\nagreement PDF ({pdf['pages']} pages, {pdf['size_kb']:.0f} KB), "
        f"{args.renders} renders:\n"
        f"  cold render       {pdf['cold_ms']:>8.0f} ms\n"
        f"  median            {pdf['median_ms']:>8.0f} ms\n"
        f"  p95               {pdf['p95_ms']:>8.0f} ms\n"
        f"  tracemalloc peak  {pdf['traced_peak_mb']:>8.1f} MB (one render)\n"
        f"  peak RSS          {pdf['rss_before_mb']:>8.0f} → "
        f"{pdf['rss_after_mb']:.0f} MB "
        f"(+{pdf['rss_after_mb'] - pdf['rss_before_mb']:.0f} MB)"
    )
