"""Checking an uploaded file before it is stored: size, type, and content against its extension.

Pure: a file object and the name the browser sent in, the detected type or an `UploadError` out.
The name is used only to read the extension the person claims; the stored name is made by the
caller, never from this name.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO


class UploadError(ValueError):
    """The file is refused; the message says why, in words for the person uploading."""


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


TYPES: dict[str, FileType] = {
    t.extension: t
    for t in (
        FileType("pdf", "application/pdf", "PDF"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word document",
        ),
        FileType(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
        ),
        FileType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
        ),
        FileType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument text"),
        FileType("ods", "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument sheet"),
        FileType("odp", "application/vnd.oasis.opendocument.presentation", "OpenDocument slides"),
        FileType("doc", "application/msword", "Word 97–2003 document"),
        FileType("xls", "application/vnd.ms-excel", "Excel 97–2003"),
        FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97–2003"),
        FileType("csv", "text/csv", "CSV"),
        FileType("txt", "text/plain", "text"),
        FileType("md", "text/markdown", "Markdown text"),
        FileType("png", "image/png", "PNG image"),
        FileType("jpg", "image/jpeg", "JPEG image"),
        FileType("jpeg", "image/jpeg", "JPEG image"),
    )
}
ALLOWED_LIST = "PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG"

_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
_ODF_MIME = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def extension_of(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def safe_display_name(name: str, extension: str) -> str:
    """A harmless file name for downloads: letters, digits, spaces, dots, dashes; no path."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = unicodedata.normalize("NFKC", stem)
    stem = re.sub(r"[^\w\s.-]", "", stem, flags=re.UNICODE).strip(" .")[:120]
    return f"{stem or 'resource'}.{extension}"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The head may end in the middle of a multi-byte character.
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
        return controls <= len(text) // 100
    return False


def _zip_names(fileobj: BinaryIO) -> list[str]:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def _content_matches(ext: str, head: bytes, fileobj: BinaryIO) -> bool:
    if ext == "pdf":
        return head.lstrip(b"\r\n\t \xef\xbb\xbf")[:5] == b"%PDF-"
    if ext in {"png"}:
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if ext in {"doc", "xls", "ppt"}:
        return head.startswith(_OLE)
    if ext in _OOXML_PART:
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(fileobj)
        return "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[ext]) for n in names)
    if ext in _ODF_MIME:
        # ODF puts an uncompressed "mimetype" file first: its content sits at byte 38.
        return (
            head.startswith(b"PK\x03\x04")
            and head[30:38] == b"mimetype"
            and (head[38 : 38 + len(_ODF_MIME[ext])] == _ODF_MIME[ext])
        )
    if ext in {"csv", "txt", "md"}:
        return _looks_like_text(head)
    return False


def check_upload(fileobj: BinaryIO, name: str, size: int, max_bytes: int) -> FileType:
    """The file's type, or UploadError: too large, empty, a type not allowed, or content that
    does not match the extension (e.g. a program renamed to .pdf)."""
    if size > max_bytes:
        raise UploadError(
            f"The file is {human_size(size)}; the library takes files up to "
            f"{human_size(max_bytes)}. Share a link to a larger file instead."
        )
    if size == 0:
        raise UploadError("The file is empty.")
    ext = extension_of(name)
    if ext not in TYPES:
        shown = f".{ext} files" if ext else "Files without an extension"
        raise UploadError(f"{shown} cannot be uploaded. Upload a {ALLOWED_LIST} file.")
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    ok = _content_matches(ext, head, fileobj)
    fileobj.seek(0)
    if not ok:
        raise UploadError(
            f"The file is named .{ext} but its content is not a {TYPES[ext].label} file. "
            "Save it again in that format, or give it the right extension."
        )
    return TYPES[ext]
