"""URLs of partnerships: the list, the board, a partnership and its agreements."""

from django.urls import path

from partnerships.views import agreements, board, partnerships

app_name = "partnerships"

urlpatterns = [
    path("", partnerships.partnership_list, name="partnership_list"),
    path("board/", board.board, name="board"),
    path("board/export.xlsx", board.board_export, name="board_export"),
    path("<int:pk>/", partnerships.partnership_detail, name="partnership_detail"),
    path(
        "<int:pk>/advance/",
        partnerships.partnership_advance,
        name="partnership_advance",
    ),
    path("<int:pk>/back/", partnerships.partnership_back, name="partnership_back"),
    path(
        "<int:pk>/complete/",
        partnerships.partnership_complete,
        name="partnership_complete",
    ),
    path(
        "<int:pk>/terminate/",
        partnerships.partnership_terminate,
        name="partnership_terminate",
    ),
    path("<int:pk>/notes/", partnerships.note_create, name="note_create"),
    path(
        "<int:pk>/contact/",
        partnerships.partnership_contact,
        name="partnership_contact",
    ),
    path("<int:pk>/package/", partnerships.package, name="package"),
    path(
        "<int:pk>/agreement/new/",
        partnerships.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/agree/", agreements.agreement_agree, name="agreement_agree"
    ),
    path(
        "agreements/<int:pk>/reopen/",
        agreements.agreement_reopen,
        name="agreement_reopen",
    ),
    path("agreements/<int:pk>/sign/", agreements.agreement_sign, name="agreement_sign"),
    path(
        "agreements/<int:pk>/comments/",
        agreements.agreement_comment,
        name="agreement_comment",
    ),
    path(
        "agreements/<int:pk>/supplementary/",
        agreements.agreement_supplementary,
        name="agreement_supplementary",
    ),
    path(
        "agreements/<int:pk>/terminate/",
        agreements.agreement_terminate,
        name="agreement_terminate",
    ),
    path(
        "agreements/<int:pk>/document.pdf",
        agreements.agreement_pdf,
        name="agreement_pdf",
    ),
    path(
        "agreements/<int:pk>/verify/",
        agreements.agreement_verify,
        name="agreement_verify",
    ),
]
