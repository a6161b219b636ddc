"""Checks of uploaded files by their content, not only by their names.

A file is accepted when its first bytes (and, for office documents, the
parts inside the archive) show one of the allowed formats, its extension
agrees with that format, and it is not larger than the limit. Every refusal
is a ``ValidationError`` with a message in the person's language.
"""

import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileFormat:
    name: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileFormat("PDF", "application/pdf", (".pdf",))
DOCX = FileFormat(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileFormat(
    "XLSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = FileFormat(
    "PPTX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ODT = FileFormat("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileFormat("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileFormat("ODP", "application/vnd.oasis.opendocument.presentation", (".odp",))
LEGACY_OFFICE = FileFormat(
    "DOC/XLS/PPT", "application/msword", (".doc", ".xls", ".ppt")
)
JPEG = FileFormat("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileFormat("PNG", "image/png", (".png",))
MP4 = FileFormat("MP4", "video/mp4", (".mp4", ".m4v"))

MATERIAL_FORMATS = (PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, LEGACY_OFFICE, JPEG, PNG, MP4)
COVER_FORMATS = (JPEG, PNG)

# The old binary office formats share one signature; the extension, which
# must agree with it, tells the document from the sheet and the slides.
_LEGACY_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}

_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_MIMETYPE_LIMIT = 100
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}


def _zip_format(upload: UploadedFile) -> FileFormat | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # Read only the first bytes: the entry is tiny in a real
                # document, and a crafted archive must not inflate in memory.
                with archive.open("mimetype") as entry:
                    return _ODF_TYPES.get(entry.read(_MIMETYPE_LIMIT).strip())
            if "[Content_Types].xml" in names:
                for prefix, file_format in _OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return file_format
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, RuntimeError, zlib.error):
        # A damaged, encrypted or oddly compressed archive is no document
        # this platform accepts.
        return None
    return None


# The brands of an ISO media file's ``ftyp`` box that mean an MP4 video.
# QuickTime, HEIF and AVIF pictures, Canon raw photographs and M4A audio share
# the box but are not videos a browser plays; a file whose first (major) brand
# is one of those is refused even if it also claims a compatible MP4 brand.
# The brands cannot tell more: an audio-only file labelled plainly ``isom``
# passes, and the browser then plays it as sound.
MP4_BRANDS = {
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"avc1",
    b"dash",
    b"M4V ",
    b"M4VH",
    b"M4VP",
    b"mmp4",
    b"MSNV",
}
NOT_VIDEO_BRANDS = {
    b"qt  ",
    b"heic",
    b"heix",
    b"hevc",
    b"heim",
    b"heis",
    b"mif1",
    b"msf1",
    b"avif",
    b"avis",
    b"M4A ",
    b"M4B ",
    b"M4P ",
    b"crx ",
}
FTYP_BOX_LIMIT = 256


def _is_mp4_video(upload: UploadedFile) -> bool:
    """Read the ``ftyp`` box: its major brand, then its compatible brands."""
    upload.seek(0)
    box = upload.read(FTYP_BOX_LIMIT)
    size = min(int.from_bytes(box[:4], "big"), len(box))
    major = box[8:12]
    compatible = {box[at : at + 4] for at in range(16, size - 3, 4)}
    if major in NOT_VIDEO_BRANDS:
        return False
    return major in MP4_BRANDS or bool(compatible & MP4_BRANDS)


def detect_format(upload: UploadedFile) -> FileFormat | None:
    """Return the format the content of ``upload`` shows, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = None
    if head.startswith(b"%PDF-"):
        detected = PDF
    elif head.startswith(b"\xff\xd8\xff"):
        detected = JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        detected = PNG
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        detected = LEGACY_OFFICE
    elif len(head) >= 12 and head[4:8] == b"ftyp":
        detected = MP4 if _is_mp4_video(upload) else None
    elif head.startswith(b"PK\x03\x04"):
        detected = _zip_format(upload)
    upload.seek(0)
    return detected


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def validate_upload(
    upload: UploadedFile, allowed: tuple[FileFormat, ...], max_mb: int
) -> FileFormat:
    """Return the format of ``upload`` or refuse it with a clear reason."""
    if upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("The file is too large: %(size).1f MB. The limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": max_mb},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    names = format_names(allowed)
    detected = detect_format(upload)
    if detected is None or detected not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Allowed: %(formats)s.")
            % {"formats": names},
            code="bad_type",
        )
    if _extension(upload.name) not in detected.extensions:
        raise ValidationError(
            _(
                "The file's content is %(format)s, but its name ends in "
                "“%(extension)s”. Rename the file to %(expected)s."
            )
            % {
                "format": detected.name,
                "extension": _extension(upload.name) or "—",
                "expected": " / ".join(detected.extensions),
            },
            code="extension_mismatch",
        )
    return detected


def validate_material(upload: UploadedFile) -> FileFormat:
    return validate_upload(upload, MATERIAL_FORMATS, settings.MATERIAL_MAX_UPLOAD_MB)


def validate_cover(upload: UploadedFile) -> FileFormat:
    return validate_upload(upload, COVER_FORMATS, settings.COVER_MAX_UPLOAD_MB)


def content_type_for(file_format: FileFormat, name: str) -> str:
    """Return the content type to serve a file of ``file_format`` with."""
    if file_format == LEGACY_OFFICE:
        return _LEGACY_TYPES.get(_extension(name), file_format.content_type)
    return file_format.content_type


def accepted_extensions(allowed: tuple[FileFormat, ...]) -> str:
    """Return the ``accept`` attribute of a file input for ``allowed``."""
    return ",".join(ext for file_format in allowed for ext in file_format.extensions)


def format_names(allowed: tuple[FileFormat, ...]) -> str:
    """Return the names of ``allowed`` as a person reads them: "PDF, DOCX"."""
    return ", ".join(file_format.name for file_format in allowed)
