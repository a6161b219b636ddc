"""State changes of partnerships and their agreements, one function each."""

from partnerships.services.agreements import (
    add_comment,
    agree_agreement,
    create_supplementary,
    draft_agreement,
    expire_agreements,
    reopen_agreement,
    sign_agreement,
    terminate_agreement,
    update_agreement,
    warn_expiring_agreements,
)
from partnerships.services.partnerships import (
    accept_interest,
    add_negotiation_note,
    advance_stage,
    complete_partnership,
    move_stage_back,
    set_contacts,
    set_experts,
    terminate_partnership,
)

__all__ = [
    "accept_interest",
    "add_comment",
    "add_negotiation_note",
    "advance_stage",
    "agree_agreement",
    "complete_partnership",
    "create_supplementary",
    "draft_agreement",
    "expire_agreements",
    "move_stage_back",
    "reopen_agreement",
    "set_contacts",
    "set_experts",
    "sign_agreement",
    "terminate_agreement",
    "terminate_partnership",
    "update_agreement",
    "warn_expiring_agreements",
]
