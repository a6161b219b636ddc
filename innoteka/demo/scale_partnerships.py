"""Generated partnerships in bulk, for the partnerships benchmark.

Brings the generated set up to ``scale`` × 2,000 partnerships between
generated organisations on generated products. Each has its main agreement
in a mix of states, with the signature records its state implies (no PDFs
are rendered), and the object permissions ``accept_interest`` would grant:
both sides' role groups, heads and coordinators view and change, specialists
view. Bulk inserts write no history, no stage moves and no notifications.

One person sees a fixed share of them, as a busy network coordinator would:
the coordinator of the first generated organisation (the focus organisation)
also coordinates the next three generated organisations, its network. At
the benchmark scale (100) that person sees 5,000 of 200,000 partnerships:
1,500 where the focus organisation is the carrier, 500 where it is the
recipient and 1,000 where each school of the network is the carrier.
Nothing else involves these four organisations, so the numbers are exact.
"""

import random
import sys
import time
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import current_consent_version, record_consent
from innoteka.demo.scale import PREFIX
from innoteka.demo.scale_products import MARK
from organisations.models import Membership, Organisation, Role, RoleGroup
from partnerships.models import (
    Agreement,
    Partnership,
    PartnershipGroupObjectPermission,
    Side,
    Signature,
    Stage,
)
from partnerships.permissions import PARTNER_PERMISSIONS
from products.models import Product

PER_SCALE = 2000
BATCH = 5000
NETWORK_SIZE = 3
# The focus person sees one generated partnership in this many.
FOCUS_SHARE = 40

SUBJECT = (
    "Носитель передаёт, а реципиент внедряет в свою практику инновационный "
    "продукт при методическом и консультационном сопровождении носителя."
)
CARRIER_OBLIGATIONS = (
    "1. Предоставить пакет документов по внедрению.\n"
    "2. Провести дистанционные курсы для сотрудников реципиента.\n"
    "3. Консультировать реципиента до истечения срока соглашения."
)
RECIPIENT_OBLIGATIONS = (
    "1. Назначить ответственного за внедрение.\n"
    "2. Внедрять продукт по согласованному календарному графику.\n"
    "3. Предоставить отзыв о применении продукта."
)
CHANGES = "Изменения оформляются дополнительными соглашениями."
TERMINATION = "Соглашение расторгается по согласию сторон или с уведомлением."
END_REASON = "Реципиент приостановил внедрение из-за смены руководства."


def network() -> list[Organisation]:
    """The focus organisation, then the schools of its network."""
    return list(
        Organisation.objects.filter(full_name__startswith=PREFIX).order_by("pk")[
            : NETWORK_SIZE + 1
        ]
    )


def focus_coordinator() -> User | None:
    """The person the benchmark measures the partnership pages for."""
    organisations = network()
    if not organisations:
        return None
    return (
        Membership.objects.select_related("user")
        .get(organisation=organisations[0], role=Role.COORDINATOR)
        .user
    )


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _targets(total: int) -> dict[str, int]:
    seen = total // FOCUS_SHARE
    as_carrier = seen * 3 // 10
    as_recipient = seen // 10
    in_network = (seen - as_carrier - as_recipient) // NETWORK_SIZE * NETWORK_SIZE
    return {
        "carrier": as_carrier,
        "recipient": as_recipient,
        "network": in_network,
        "rest": total - as_carrier - as_recipient - in_network,
    }


def seed_scale_partnerships(scale: int) -> int:
    """Bring the generated partnerships up to ``scale`` × 2,000.

    Returns how many were created now; running it again with the same scale
    creates nothing. Each batch commits on its own, so an interrupted run
    is completed by the next one.
    """
    organisations = network()
    if len(organisations) < NETWORK_SIZE + 1:
        return 0
    focus, schools = organisations[0], organisations[1:]
    _join_network(focus, schools)
    generated = Partnership.objects.filter(product__summary__endswith=MARK)
    wanted = scale * PER_SCALE
    if generated.count() >= wanted:
        return 0

    world = _World.load(focus, schools, generated)
    carriers = [world.focus, *world.schools]
    if len(world.others) < 2 or not all(world.products[pk] for pk in carriers):
        return 0
    existing = {
        "carrier": generated.filter(carrier=focus).count(),
        "recipient": generated.filter(recipient=focus).count(),
        "network": generated.filter(carrier__in=schools).count(),
    }
    existing["rest"] = generated.count() - sum(existing.values())
    plan = []
    for kind, target in _targets(wanted).items():
        plan += [kind] * max(target - existing[kind], 0)
    world.rng.shuffle(plan)

    started, created = time.monotonic(), 0
    for start in range(0, len(plan), BATCH):
        created += world.create(plan[start : start + BATCH])
        _say(
            f"  партнёрства: {created} из {len(plan)} "
            f"({time.monotonic() - started:.0f} с)"
        )
    return created


@transaction.atomic
def _join_network(focus: Organisation, schools: list[Organisation]) -> None:
    """Make the focus coordinator a coordinator of the network's schools.

    A saved membership puts the person in the role group (a signal). The
    person has also consented to the processing of personal data, as every
    person who signs in has, so that they can be signed in as.
    """
    person = Membership.objects.get(organisation=focus, role=Role.COORDINATOR).user
    for school in schools:
        Membership.objects.get_or_create(
            user=person, organisation=school, defaults={"role": Role.COORDINATOR}
        )
    version = current_consent_version()
    if version is not None:
        record_consent(user=person, version=version)


class _World:
    """What the generator draws from, loaded once per run."""

    def __init__(self, focus, schools, generated) -> None:
        self.rng = random.Random(generated.count())
        self.focus = focus.pk
        self.schools = [school.pk for school in schools]
        self.used = set(generated.values_list("product_id", "recipient_id"))
        self.today = timezone.localdate()
        self.now = timezone.now()

    @classmethod
    def load(cls, focus, schools, generated) -> "_World":
        world = cls(focus, schools, generated)
        excluded = {world.focus, *world.schools}
        organisations = list(
            Organisation.objects.filter(full_name__startswith=PREFIX).values_list(
                "pk", flat=True
            )
        )
        world.others = [pk for pk in organisations if pk not in excluded]
        world.products = defaultdict(list)
        rows = Product.objects.filter(
            summary__endswith=MARK, carrier_id__in=organisations
        ).values_list("pk", "carrier_id")
        for product_id, carrier_id in rows:
            world.products[carrier_id].append(product_id)
        world.other_products = [
            (product_id, carrier_id)
            for carrier_id in world.others
            for product_id in world.products[carrier_id]
        ]
        world.people = _people(organisations)
        world.groups = {
            (rg.organisation_id, rg.role): rg.group_id
            for rg in RoleGroup.objects.filter(organisation_id__in=organisations)
        }
        world.permissions = dict(
            Permission.objects.filter(
                content_type__app_label="partnerships",
                codename__in=["view_partnership", "change_partnership"],
            ).values_list("codename", "pk")
        )
        return world

    def _pair(self, kind: str) -> tuple[int, int, int] | None:
        """(product, carrier, recipient) not yet partners, of the given kind."""
        for _attempt in range(200):
            if kind == "carrier":
                carrier = self.focus
                product = self.rng.choice(self.products[carrier])
                recipient = self.rng.choice(self.others)
            elif kind == "network":
                carrier = self.rng.choice(self.schools)
                product = self.rng.choice(self.products[carrier])
                recipient = self.rng.choice(self.others)
            else:
                product, carrier = self.rng.choice(self.other_products)
                recipient = (
                    self.focus if kind == "recipient" else self.rng.choice(self.others)
                )
            if recipient != carrier and (product, recipient) not in self.used:
                self.used.add((product, recipient))
                return product, carrier, recipient
        return None

    def create(self, kinds: list[str]) -> int:
        pairs = [pair for pair in map(self._pair, kinds) if pair is not None]
        lives = [_lifecycle(self.rng) for _ in pairs]
        partnerships = [
            Partnership(
                product_id=product,
                carrier_id=carrier,
                recipient_id=recipient,
                carrier_contact_id=self.people[carrier][Role.COORDINATOR],
                recipient_contact_id=self.people[recipient][Role.COORDINATOR],
                stage=stage,
                status=status,
                end_reason=END_REASON
                if status == Partnership.Status.TERMINATED
                else "",
                ended_at=None if status == Partnership.Status.ACTIVE else self.now,
                created_by_id=self.people[carrier][Role.COORDINATOR],
            )
            for (product, carrier, recipient), (stage, status, _, _) in zip(
                pairs, lives, strict=True
            )
        ]
        with transaction.atomic():
            Partnership.objects.bulk_create(partnerships, batch_size=BATCH)
            PartnershipGroupObjectPermission.objects.bulk_create(
                self._grants(partnerships), batch_size=BATCH
            )
            agreements = [
                self._agreement(partnership, state)
                for partnership, (_, _, state, _) in zip(
                    partnerships, lives, strict=True
                )
            ]
            Agreement.objects.bulk_create(agreements, batch_size=BATCH)
            signatures = [
                signature
                for partnership, agreement, (_, _, _, sides) in zip(
                    partnerships, agreements, lives, strict=True
                )
                for signature in self._signatures(partnership, agreement, sides)
            ]
            Signature.objects.bulk_create(signatures, batch_size=BATCH)
        return len(partnerships)

    def _grants(self, partnerships):
        for partnership in partnerships:
            for organisation in (partnership.carrier_id, partnership.recipient_id):
                for role, codenames in PARTNER_PERMISSIONS.items():
                    for codename in codenames:
                        yield PartnershipGroupObjectPermission(
                            group_id=self.groups[(organisation, role)],
                            permission_id=self.permissions[codename],
                            content_object_id=partnership.pk,
                        )

    def _agreement(self, partnership: Partnership, status: str) -> Agreement:
        if status == Agreement.Status.EXPIRED:
            made_on = self.today - timedelta(days=400)
        else:
            made_on = self.today - timedelta(days=self.rng.randint(0, 300))
        agreed = status != Agreement.Status.DRAFT
        signed = status in (Agreement.Status.SIGNED, Agreement.Status.EXPIRED)
        carrier_head = self.people[partnership.carrier_id][Role.HEAD]
        recipient_head = self.people[partnership.recipient_id][Role.HEAD]
        return Agreement(
            partnership_id=partnership.pk,
            number=f"{made_on.year}/{partnership.pk}",
            agreement_date=made_on,
            subject=SUBJECT,
            carrier_obligations=CARRIER_OBLIGATIONS,
            recipient_obligations=RECIPIENT_OBLIGATIONS,
            changes_procedure=CHANGES,
            termination_procedure=TERMINATION,
            expiry_date=made_on + timedelta(days=365),
            carrier_signatory_id=carrier_head,
            recipient_signatory_id=recipient_head,
            status=status,
            agreed_by_id=recipient_head if agreed else None,
            agreed_at=self.now if agreed else None,
            signed_at=self.now if signed else None,
            end_reason=partnership.end_reason,
            created_by_id=partnership.created_by_id,
        )

    def _signatures(self, partnership, agreement, sides: tuple[str, ...]):
        for side in sides:
            organisation = (
                partnership.carrier_id
                if side == Side.CARRIER
                else partnership.recipient_id
            )
            head = self.people[organisation][Role.HEAD]
            yield Signature(
                agreement_id=agreement.pk,
                side=side,
                organisation_id=organisation,
                signer_id=head,
                signer_name=self.people[organisation]["name"],
                signer_position="Директор",
                role=Role.HEAD,
                signed_at=self.now,
            )


def _people(organisations: list[int]) -> dict[int, dict]:
    """Each organisation's head and coordinator ids, and the head's name."""
    people = defaultdict(dict)
    rows = Membership.objects.filter(
        organisation_id__in=organisations, role__in=[Role.HEAD, Role.COORDINATOR]
    ).values_list(
        "organisation_id",
        "role",
        "user_id",
        "user__last_name",
        "user__first_name",
        "user__patronymic",
    )
    # The first membership of a role is the organisation's own person; the
    # focus coordinator joins the network's schools later.
    for organisation, role, user, *name in rows.order_by("pk"):
        people[organisation].setdefault(role, user)
        if role == Role.HEAD:
            people[organisation]["name"] = " ".join(name)
    return people


def _lifecycle(rng: random.Random) -> tuple[int, str, str, tuple[str, ...]]:
    """(stage, status, agreement status, sides that signed) of one partnership."""
    both = (Side.RECIPIENT, Side.CARRIER)
    stage = rng.choices(
        [Stage.DOCUMENTS, Stage.COMMUNITY, Stage.PREPARATION, Stage.IMPLEMENTATION],
        weights=[30, 30, 20, 20],
    )[0]
    chance = rng.random()
    if chance < 0.07:
        return stage, Partnership.Status.TERMINATED, Agreement.Status.TERMINATED, ()
    if chance < 0.15:
        status = rng.choice([Agreement.Status.SIGNED, Agreement.Status.EXPIRED])
        return Stage.IMPLEMENTATION, Partnership.Status.COMPLETED, status, both
    active = Partnership.Status.ACTIVE
    if stage == Stage.DOCUMENTS:
        return stage, active, Agreement.Status.DRAFT, ()
    if stage == Stage.COMMUNITY:
        state, sides = rng.choice(
            [
                (Agreement.Status.DRAFT, ()),
                (Agreement.Status.AGREED, ()),
                (Agreement.Status.AGREED, (Side.RECIPIENT,)),
                (Agreement.Status.SIGNED, both),
            ]
        )
        return stage, active, state, sides
    if stage == Stage.IMPLEMENTATION and rng.random() < 0.15:
        return stage, active, Agreement.Status.EXPIRED, both
    return stage, active, Agreement.Status.SIGNED, both
