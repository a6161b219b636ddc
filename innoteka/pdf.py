"""Rendering documents to PDF with WeasyPrint.

Documents are HTML templates under ``templates/documents/`` with a print
stylesheet; the fonts (DejaVu, which covers Cyrillic) are embedded in the
PDF, so a document looks the same on every reader.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint keeps a font cache; containers often have no writable home.
os.environ.setdefault("XDG_CACHE_HOME", str(Path(settings.BASE_DIR) / ".cache"))


def render_pdf(template: str, context: dict, *, language: str = "ru") -> bytes:
    """Render ``template`` with ``context`` to the bytes of a PDF.

    Documents are legal texts for Russian schools: they are rendered in
    Russian whatever the language of the person who caused the rendering.
    """
    from weasyprint import HTML  # a heavy import, paid only when a PDF is made

    with translation.override(language):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(field_file) -> str:
    """The SHA-256 of a stored file, read in chunks."""
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()
