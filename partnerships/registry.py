"""What each stage must produce, and what the document package holds.

DESIGN.md names the exit conditions of every stage and the items of the
stage-2 document package. Some of them are produced by apps that build on
this one (roadmaps, courses), which must not be imported from here: this
module declares every condition and item, and the app that produces it
provides the function that evaluates it when it loads (its
``AppConfig.ready()``). A condition nobody provides yet counts as not met,
so a partnership cannot skip what the stage requires; the stage track says
which part of the platform will provide it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass
class ExitCondition:
    """Something stage ``stage`` must produce before the partnership moves on."""

    key: str
    stage: int
    label: str | Promise
    check: Callable | None = None
    link: Callable | None = None


@dataclass(frozen=True)
class ConditionState:
    condition: ExitCondition
    met: bool
    url: str = ""

    @property
    def provided(self) -> bool:
        return self.condition.check is not None


class ItemState:
    """States of a document-package item, in the order they are reached."""

    MISSING = "missing"
    DRAFT = "draft"
    AGREED = "agreed"
    SIGNED = "signed"
    AVAILABLE = "available"

    LABELS = {
        MISSING: _("Missing"),
        DRAFT: pgettext_lazy("document", "Draft"),
        AGREED: _("Agreed"),
        SIGNED: _("Signed"),
        AVAILABLE: _("Available"),
    }


@dataclass(frozen=True)
class PackageEntry:
    """What the package page shows for one item of one partnership."""

    state: str = ItemState.MISSING
    url: str = ""
    note: str | Promise = ""

    @property
    def state_label(self) -> str | Promise:
        return ItemState.LABELS[self.state]


@dataclass
class PackageItem:
    key: str
    label: str | Promise
    description: str | Promise = ""
    state: Callable | None = None

    @property
    def is_provided(self) -> bool:
        """Whether a part of the platform gives this item its state."""
        return self.state is not None


@dataclass
class Registry:
    conditions: dict[str, ExitCondition] = field(default_factory=dict)
    package: dict[str, PackageItem] = field(default_factory=dict)

    def declare_condition(self, key: str, stage: int, label) -> None:
        self.conditions.setdefault(key, ExitCondition(key, stage, label))

    def provide_condition(
        self, key: str, check: Callable, link: Callable | None = None
    ) -> None:
        """Attach ``check(partnership) -> bool`` to a declared condition."""
        condition = self.conditions[key]
        condition.check = check
        condition.link = link

    def declare_package_item(self, key: str, label, description="") -> None:
        self.package.setdefault(key, PackageItem(key, label, description))

    def provide_package_item(self, key: str, state: Callable) -> None:
        """Attach ``state(partnership) -> PackageEntry`` to a declared item."""
        self.package[key].state = state

    def conditions_of(self, stage: int) -> list[ExitCondition]:
        return [c for c in self.conditions.values() if c.stage == stage]

    def evaluate(self, partnership, stage: int) -> list[ConditionState]:
        states = []
        for condition in self.conditions_of(stage):
            met = bool(condition.check and condition.check(partnership))
            url = condition.link(partnership) if condition.link else ""
            states.append(ConditionState(condition, met, url or ""))
        return states

    def missing(self, partnership, stage: int) -> list[ConditionState]:
        return [state for state in self.evaluate(partnership, stage) if not state.met]

    def package_of(self, partnership) -> list[tuple[PackageItem, PackageEntry]]:
        return [
            (item, item.state(partnership) if item.state else PackageEntry())
            for item in self.package.values()
        ]


registry = Registry()

# The exit conditions of DESIGN.md. Stage 1 ends when the carrier accepts the
# interest, which is what creates the partnership; stage 5 ends when the
# carrier marks the partnership completed.
registry.declare_condition(
    "agreement_draft", 2, _("The draft of the cooperation agreement exists")
)
registry.declare_condition("roadmap_draft", 2, _("The draft of the roadmap exists"))
registry.declare_condition(
    "agreement_signed", 3, _("The cooperation agreement is signed by both sides")
)
registry.declare_condition(
    "roadmap_approved", 3, _("The roadmap is approved by both sides")
)
registry.declare_condition(
    "readiness_monitored", 4, _("Readiness monitoring (equipment, specialists) is done")
)
registry.declare_condition("schedule_agreed", 4, _("The calendar schedule is agreed"))

# The document package of stage 2, in the order of the source document.
registry.declare_package_item(
    "course_programme",
    _("Distance course programme"),
    _("The programme of the course that prepares the recipient's staff."),
)
registry.declare_package_item(
    "diagnostics",
    _("Readiness diagnostics"),
    _("Questionnaires that show how ready the recipient's team is."),
)
registry.declare_package_item(
    "agreement",
    _("Cooperation agreement"),
    _("The agreement between the carrier and the recipient, signed by both heads."),
)
registry.declare_package_item(
    "roadmap",
    _("Roadmap"),
    _("The step-by-step plan of adoption agreed by both sides."),
)
registry.declare_package_item(
    "instructions",
    _("Platform instructions"),
    _("How to work with the product on the platform, from the carrier."),
)
