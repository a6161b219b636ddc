"""The agreement PDFs as a reader sees them, read back with pdftotext.

pdftotext comes with poppler-utils. Without it these tests are skipped on a
developer's machine and fail in CI (where the CI variable is set).
"""

import os
import re
import shutil
import subprocess

import pytest
from django.utils import dateformat, translation

from innoteka.pdf import file_sha256
from partnerships import services
from tests.partnerships.conftest import agree

# A4 is 595 points wide; the signature table's two cells meet in the middle
# of the text area (margins of 25 mm on the left and 15 mm on the right).
COLUMN_SPLIT = 311
PAGE_WIDTH, PAGE_HEIGHT = 596, 842


def pdf_text(field_file, *, left: int = 0, width: int = PAGE_WIDTH) -> str:
    """The text of a stored PDF with its layout, optionally of one band."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is required in CI.")
        pytest.skip("pdftotext (poppler-utils) is not installed.")
    with field_file.open("rb") as handle:
        pdf = handle.read()
    crop = ["-x", str(left), "-y", "0", "-W", str(width), "-H", str(PAGE_HEIGHT)]
    result = subprocess.run(
        ["pdftotext", "-layout", *crop, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def flat(text: str) -> str:
    """Join words hyphenated at line ends and collapse the layout's spaces."""
    text = re.sub(r"[\u00ad\u2010-]\n\s*", "", text)
    return " ".join(text.split())


def solid(text: str) -> str:
    """The text without any whitespace: a hash broken over lines is whole."""
    return "".join(text.split())


def heading(title: str, language: str = "ru") -> str:
    """The document heading as printed: translated, then upper-cased."""
    with translation.override(language):
        return translation.gettext(title).upper()


def test_signed_pdf_names_the_parties_and_the_signatures(signed_agreement):
    agreement = signed_agreement
    partnership = agreement.partnership
    signatures = {s.side: s for s in agreement.signatures.all()}

    text = flat(pdf_text(agreement.signed_document))
    carrier_column = solid(pdf_text(agreement.signed_document, width=COLUMN_SPLIT))
    recipient_column = solid(
        pdf_text(
            agreement.signed_document,
            left=COLUMN_SPLIT,
            width=PAGE_WIDTH - COLUMN_SPLIT,
        )
    )

    assert re.search("[а-яА-ЯёЁ]", text)
    assert f"{heading('Cooperation agreement')} № {agreement.number}" in text
    assert partnership.carrier.full_name in text
    assert partnership.recipient.full_name in text
    assert f"«{partnership.product.title}»" in text
    for signature in signatures.values():
        assert f"{signature.signer_name}, {signature.signer_position}" in text
        assert signature.ip_address in text
    for column, side in ((carrier_column, "carrier"), (recipient_column, "recipient")):
        signature = signatures[side]
        assert solid(signature.signer_name) in column
        assert f"SHA-256:{signature.document_sha256}" in column
    assert file_sha256(agreement.signed_document) == agreement.signed_sha256


def test_agreed_pdf_awaits_the_signatures(agreed_agreement, carrier_head):
    agreement = agreed_agreement

    text = flat(pdf_text(agreement.document))

    assert f"{heading('Cooperation agreement')} № {agreement.number}" in text
    assert agreement.partnership.carrier.full_name in text
    assert carrier_head.full_name in text
    assert agreement.recipient_signatory.full_name in text
    assert "SHA-256" not in text


def test_pdf_is_in_russian_whatever_the_agreeing_persons_language(
    draft_agreement, recipient_head
):
    with translation.override("en"):
        agreement = agree(draft_agreement, recipient_head)

    text = flat(pdf_text(agreement.document))

    with translation.override("ru"):
        russian_date = dateformat.format(agreement.agreement_date, "d E Y")
    assert russian_date in text
    assert re.search("[а-яё]{4,}", russian_date)


def test_supplementary_pdf_refers_to_the_main_agreement(
    signed_agreement, carrier_coordinator, recipient_head
):
    supplement = services.create_supplementary(
        parent=signed_agreement, actor=carrier_coordinator
    )
    supplement = agree(supplement, recipient_head)

    text = flat(pdf_text(supplement.document))

    assert f"{heading('Supplementary agreement')} № {supplement.number}" in text
    with translation.override("ru"):
        reference = translation.gettext(
            "to cooperation agreement No. %(number)s of %(date)s"
        ) % {
            "number": signed_agreement.number,
            "date": signed_agreement.agreement_date.strftime("%d.%m.%Y"),
        }
    assert reference in text
    signed_agreement.refresh_from_db()
    assert file_sha256(signed_agreement.signed_document) == (
        signed_agreement.signed_sha256
    )
