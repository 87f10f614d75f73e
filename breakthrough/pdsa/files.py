"""Attachment checks: what a file really is, judged from its content, never from its name.

A pure module: bytes in, a verdict out. The view stores the file only under a generated name
with the extension of the type found here.
"""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_bytes() -> int:
    """The upload limit, from PDSA_ATTACHMENT_MAX_BYTES (10 MB by default)."""
    try:
        return int(os.environ.get("PDSA_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG image")
JPEG = FileType("image/jpeg", "jpg", "JPEG image")
GIF = FileType("image/gif", "gif", "GIF image")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word"
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel"
)
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    "PowerPoint",
)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "OpenDocument text")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "OpenDocument sheet")
TEXT = FileType("text/plain", "txt", "plain text")
CSV = FileType("text/csv", "csv", "CSV")

ALLOWED_LABEL = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, plain text or CSV"


class FileRejected(ValueError):
    """The file may not be attached; the message says why in plain words."""


def _office_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                kind = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(kind)
            if "[Content_Types].xml" not in names:
                return None
            if any(n.startswith("word/") for n in names):
                return DOCX
            if any(n.startswith("xl/") for n in names):
                return XLSX
            if any(n.startswith("ppt/") for n in names):
                return PPTX
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _text_type(data: bytes, name: str) -> FileType | None:
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    return CSV if name.lower().endswith(".csv") else TEXT


def sniff(data: bytes, name: str = "") -> FileType:
    """The file's type from its first bytes (and, for zip containers, its parts).

    >>> sniff(b"%PDF-1.7 ...").extension
    'pdf'
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if data.startswith(b"PK\x03\x04"):
        found = _office_type(data)
        if found:
            return found
        raise FileRejected("Zip archives cannot be attached; attach the documents themselves.")
    lowered = data[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        raise FileRejected("Web pages, SVG and XML files cannot be attached.")
    if data.startswith((b"MZ", b"\x7fELF", b"#!")):
        raise FileRejected("Programs and scripts cannot be attached.")
    found = _text_type(data, name)
    if found:
        return found
    raise FileRejected(f"This kind of file cannot be attached. Attach a {ALLOWED_LABEL} file.")


def check(data: bytes, name: str, limit: int | None = None) -> FileType:
    """Check size and type; raise FileRejected with the reason."""
    limit = max_bytes() if limit is None else limit
    if not data:
        raise FileRejected("The file is empty.")
    if len(data) > limit:
        raise FileRejected(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB."
        )
    return sniff(data, name)


def display_name(name: str, file_type: FileType) -> str:
    """A safe name to show and to offer on download: no path, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    base = base.strip(" .")[:150]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'attachment'}.{file_type.extension}"
