"""The activities of each stage, in the two columns of the source document.

The partnership page shows the current stage's activities of the carrier
and of the recipient; the roadmaps will turn them into tasks.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from partnerships.models import Stage


@dataclass(frozen=True)
class StageActivities:
    stage: int
    carrier: tuple[str | Promise, ...]
    recipient: tuple[str | Promise, ...]
    recipient_tasks_note: str | Promise = ""


ACTIVITIES = {
    Stage.POSITIONING: StageActivities(
        Stage.POSITIONING,
        carrier=(
            _(
                "Positioning the innovation product at seminars, conferences, "
                "forums, webinars, competitions, in the media and social networks"
            ),
            _(
                "Studying the database of potential partner organisations that "
                "showed interest in the product"
            ),
        ),
        recipient=(
            _("The main content and the level of changes are defined"),
            _(
                "A comprehensive analysis of the situation: self-assessment, the "
                "external environment and comparison with other organisations"
            ),
            _(
                "The driving and restraining forces of the coming changes and the "
                "potential problems are analysed"
            ),
            _("A clear understanding of the organisation's weak points is built"),
            _("The innovations needed to overcome the weak points are chosen"),
            _(
                "The concrete result the innovations will bring and its deadline "
                "are set"
            ),
            _("Expert opinions on the quality of innovation products are studied"),
        ),
    ),
    Stage.DOCUMENTS: StageActivities(
        Stage.DOCUMENTS,
        carrier=(
            _("The programme of distance courses for the partner's staff"),
            _(
                "Diagnostic materials on the readiness of the partner's staff to "
                "use the product in their work"
            ),
            _("The cooperation agreement"),
            _("The roadmap for adopting the innovation product"),
            _("Instructions for working on the Innoteka platform"),
        ),
        recipient=(
            _("A strategy of work with the staff is developed"),
            _(
                "The resources needed (staff, time, financial, material and other) "
                "are defined, and whether external consultants are needed is "
                "decided"
            ),
            _("A preliminary step-by-step plan is drawn up"),
        ),
    ),
    Stage.COMMUNITY: StageActivities(
        Stage.COMMUNITY,
        carrier=(
            _("Negotiations on cooperation between the heads of the organisations"),
            _("Concluding cooperation agreements with the partner organisations"),
            _("Agreeing the roadmap for adopting the innovation product"),
        ),
        recipient=(
            _("Preparing the organisation's services and processes for the changes"),
        ),
        recipient_tasks_note=_(
            "The main tasks: relieving tension in the team, choosing the best "
            "ways to train and inform the staff, following the progress of the "
            "preparation and, where needed, correcting plans and approaches."
        ),
    ),
    Stage.PREPARATION: StageActivities(
        Stage.PREPARATION,
        carrier=(
            _(
                "A series of business meetings with those responsible for the "
                "adoption in each partner organisation"
            ),
            _(
                "Monitoring the partners' readiness: the material and technical "
                "base and the specialists"
            ),
            _(
                "The online consultation point for written questions of the "
                "partners' specialists"
            ),
            _("Distance courses for the partners' staff"),
            _(
                "Effectiveness criteria and indicators, entered into the "
                "platform's passport"
            ),
        ),
        recipient=(
            _(
                "Spreading the knowledge of why the innovation is needed inside the "
                "organisation: an image of the new organisation"
            ),
            _(
                "A shared vision of the changes through training the management "
                "team and the specialists"
            ),
        ),
    ),
    Stage.IMPLEMENTATION: StageActivities(
        Stage.IMPLEMENTATION,
        carrier=(
            _(
                "A calendar schedule of the adoption with each partner, agreed "
                "individually"
            ),
            _(
                "Adoption in the partner organisations by the schedule, with "
                "work-completion acts"
            ),
            _("Piloting of the product by the partners in their own schools"),
            _("The partners' qualitative evaluation of the product (a review)"),
            _(
                "Changes to the product (technical, content and other) from the "
                "partners' remarks and proposals"
            ),
            _(
                "Consulting the partners on the use of the product until the "
                "cooperation agreement expires"
            ),
            _(
                "Criteria and indicators of the effectiveness of adopting "
                "innovations through the platform"
            ),
        ),
        recipient=(
            _("All necessary resources are allocated"),
            _("Further training for working with the adopted innovation is decided"),
            _(
                "Current results are evaluated, studying all consequences of the "
                "adoption"
            ),
            _("Feedback inside the organisation is kept up"),
        ),
    ),
}
