"""A partnership and its agreement at each step, built through the services.

The carrier persona's school publishes a product; the recipient school's
head declares interest in it and the carrier's coordinator accepts, which
creates the partnership (stage 2). Both schools have a head (the default
signatories) and the carrier has a coordinator; the other personas of
``tests/conftest.py`` (specialists, outsider, expert, administrator) join
only when a test asks for them.

Fixtures, each built on the one before (``default_template`` apart):

- ``recipient_coordinator``: the recipient school's coordinator, a persona
  the shared conftest lacks;
- ``product``: the published product, with version 2.0;
- ``interest``: the recipient's declared interest in it;
- ``partnership``: the partnership created by accepting ``interest``;
- ``default_template``: the default agreement template of the migrations;
- ``draft_agreement``: the carrier coordinator's draft from the default
  template (heads as signatories, edit version 1);
- ``agreed_agreement``: the draft agreed by the recipient's head, with the
  PDF to sign stored (rendered once);
- ``signed_agreement``: signed by both heads, with the signed PDF stored
  (rendered once more).

PDF rendering costs a tenth of a second or more: ask for the least advanced
fixture a test needs. Helper functions (``new_partner``, ``agree``, ``sign``,
``set_stage``, ``notified``, ``run_concurrently``, ``slowed``) and the
``postgresql_only`` mark are imported from this module.
"""

import importlib
import threading
import time

import pytest
from django.apps import apps
from django.db import connection, connections

from notifications.models import Notification
from organisations.models import Role
from partnerships import services
from partnerships.models import Agreement, AgreementTemplate, Partnership
from products.models import Interest, Product, ProductVersion
from products.services.interests import declare_interest
from tests.factories import PASSWORD, OrganisationFactory, ProductFactory, member

SIGNER_IP = "192.0.2.15"

# Row locks only exist on PostgreSQL: SQLite serialises every write anyway.
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def new_partner(product: Product, actor) -> Partnership:
    """Accept, as ``actor``, the interest of a new school with its own head.

    For tests that need several partnerships of one product; the school's
    head is ``partnership.recipient_contact``.
    """
    school = OrganisationFactory()
    head = member(school, Role.HEAD)
    interest = declare_interest(
        product=product, organisation=school, actor=head, message="Хотим внедрить."
    )
    return services.accept_interest(interest=interest, actor=actor)


def agree(agreement: Agreement, actor) -> Agreement:
    """Agree to ``agreement`` as ``actor`` with its current edit version."""
    agreement.refresh_from_db()
    return services.agree_agreement(
        agreement=agreement, actor=actor, expected_version=agreement.version
    )


def sign(agreement: Agreement, actor, password: str = PASSWORD):
    """Sign ``agreement`` as ``actor``; returns the Signature."""
    return services.sign_agreement(
        agreement=agreement, actor=actor, password=password, ip_address=SIGNER_IP
    )


def set_stage(partnership: Partnership, stage: int) -> Partnership:
    """Put ``partnership`` at ``stage`` directly, without the exit checks.

    For arranging a test at a later stage only: the services are what moves
    stages for real.
    """
    Partnership.objects.filter(pk=partnership.pk).update(stage=stage)
    partnership.refresh_from_db()
    return partnership


def run_concurrently(*calls) -> list:
    """Start each call in its own thread (and database connection) at once.

    Returns what each call returned or raised, in the order given. Use in
    tests marked ``django_db(transaction=True)``: the threads cannot see the
    data of an open test transaction.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slowed(function, seconds: float = 0.3):
    """``function`` that first waits, to hold a transaction open longer."""

    def wrapper(*args, **kwargs):
        time.sleep(seconds)
        return function(*args, **kwargs)

    return wrapper


def notified(kind: str) -> set:
    """The ids of the users holding a notification of ``kind``."""
    return set(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


@pytest.fixture
def recipient_coordinator(recipient):
    """The recipient school's coordinator (not one of the shared personas)."""
    return member(recipient, Role.COORDINATOR, email="coordinator@gymnasium70.example")


@pytest.fixture
def product(carrier, carrier_coordinator) -> Product:
    """The carrier's published product, coordinated by its coordinator."""
    product = ProductFactory(
        carrier=carrier,
        coordinator=carrier_coordinator,
        title="Цифровая лаборатория в основной школе",
    )
    ProductVersion.objects.create(
        product=product,
        number="2.0",
        changes="Добавлены задания для 8 класса.",
        reason="Замечания партнёров после апробирования.",
    )
    return product


@pytest.fixture
def interest(product, recipient, recipient_head) -> Interest:
    """The recipient head's open interest in ``product``."""
    return declare_interest(
        product=product,
        organisation=recipient,
        actor=recipient_head,
        message="Хотим внедрить цифровую лабораторию с сентября.",
    )


@pytest.fixture
def partnership(interest, carrier_head, carrier_coordinator) -> Partnership:
    """The partnership created when the carrier's coordinator accepts."""
    return services.accept_interest(interest=interest, actor=carrier_coordinator)


@pytest.fixture
def default_template(db) -> AgreementTemplate:
    """The default agreement template that migration 0002 creates.

    Made again when a transactional test before this one has emptied the
    database (data migrations do not run again after a flush).
    """
    migration = importlib.import_module(
        "partnerships.migrations.0002_default_agreement_template"
    )
    migration.create_template(apps, None)
    return AgreementTemplate.objects.get(is_default=True)


@pytest.fixture
def draft_agreement(partnership, carrier_coordinator, default_template) -> Agreement:
    """The draft agreement from the default template, edit version 1."""
    return services.draft_agreement(partnership=partnership, actor=carrier_coordinator)


@pytest.fixture
def agreed_agreement(draft_agreement, recipient_head) -> Agreement:
    """The draft agreed by the recipient's head: the PDF to sign is stored."""
    return agree(draft_agreement, recipient_head)


@pytest.fixture
def signed_agreement(agreed_agreement, carrier_head, recipient_head) -> Agreement:
    """The agreement signed by both heads: the signed PDF is stored."""
    sign(agreed_agreement, carrier_head)
    sign(agreed_agreement, recipient_head)
    agreed_agreement.refresh_from_db()
    return agreed_agreement
