"""The kinds of events people are notified of.

A kind decides nothing about the wording (the caller writes the title); it
is what a user turns email on and off for.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PRODUCT_TO_MODERATE = "product_to_moderate", _("Product sent to moderation")
    PRODUCT_MODERATED = "product_moderated", _("Product published or returned")
    REVIEW_SUBMITTED = "review_submitted", _("Expert conclusion on a product")
    INTEREST_DECLARED = "interest_declared", _("New interest in a product")
    INTEREST_DECLINED = "interest_declined", _("Interest declined")
    INTEREST_ACCEPTED = "interest_accepted", _("Interest accepted")
    AGREEMENT_READY_TO_SIGN = "agreement_ready_to_sign", _("Agreement ready to sign")
    AGREEMENT_SIGNED_BY_OTHER_SIDE = (
        "agreement_signed_by_other_side",
        _("Agreement signed by the other side"),
    )
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed by both sides")
    STAGE_MOVED = "stage_moved", _("Partnership stage moved")
    AGREEMENT_EXPIRING = "agreement_expiring", _("Agreement expires soon")
    AGREEMENT_COMMENT = "agreement_comment", _("New comment on an agreement")
