"""Attachments: type judged from the content, size limited, stored under a generated name."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breakthrough.pdsa import files
from breakthrough.pdsa.models import CycleAttachment

from .helpers import plan

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "data, name, extension",
    [
        (PDF, "form.pdf", "pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "x.png", "png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "x.jpeg", "jpg"),
        (b"count,week\n3,1\n", "tally.csv", "csv"),
        (b"Notes of the huddle\n", "notes.txt", "txt"),
        (docx_bytes(), "protocol.docx", "docx"),
        (docx_bytes(), "renamed.pdf", "docx"),  # the content decides, not the name
    ],
)
def test_sniff_accepts_documents_by_content(data, name, extension):
    assert files.check(data, name).extension == extension


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"<html><script>alert(1)</script></html>", "form.pdf", "Web pages"),
        (b"<svg onload=alert(1)></svg>", "chart.png", "SVG"),
        (b"MZ\x90\x00" + b"\0" * 50, "form.pdf", "Programs"),
        (b"\x00\x01\x02binary", "form.doc", "cannot be attached"),
        (b"", "empty.txt", "empty"),
    ],
)
def test_sniff_refuses_what_is_not_a_document(data, name, reason):
    with pytest.raises(files.FileRejected, match=reason):
        files.check(data, name)


def test_size_limit():
    with pytest.raises(files.FileRejected, match="the limit is 1 MB"):
        files.check(b"a" * (1_048_576 + 1), "big.txt", limit=1_048_576)


def test_display_name_never_carries_a_path():
    assert files.display_name("../../etc/passwd.pdf", files.PDF) == "passwd.pdf"
    assert files.display_name("C:\\temp\\<evil>.exe", files.PDF) == "evil.pdf"
    assert files.display_name("...", files.TEXT) == "attachment.txt"


def test_upload_download_and_delete(world, media):
    cycle = plan(world)
    client = world.client("bob")
    upload = SimpleUploadedFile("../../../tally sheet.pdf", PDF, content_type="text/html")
    response = client.post(
        reverse("pdsa:attach", args=["testbsc", cycle.pk]),
        {"file": upload, "description": "Blank tally"},
    )
    assert response.status_code == 302
    attachment = CycleAttachment.objects.get()
    assert attachment.name == "tally sheet.pdf" and attachment.content_type == "application/pdf"
    assert (
        attachment.file.name.startswith(f"pdsa/{cycle.pk}/") and "tally" not in attachment.file.name
    )
    assert (media / attachment.file.name).read_bytes() == PDF
    # Another team reads it (sharing is on); someone outside does not.
    download = world.client("carol").get(
        reverse("pdsa:attachment", args=["testbsc", cycle.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="tally sheet.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert (
        world.client("olga")
        .get(reverse("pdsa:attachment", args=["testbsc", cycle.pk, attachment.pk]))
        .status_code
        == 404
    )
    # Carol may not remove it; Bob may.
    delete = reverse("pdsa:attachment-delete", args=["testbsc", cycle.pk, attachment.pk])
    assert world.client("carol").post(delete).status_code == 403
    assert client.post(delete).status_code == 302
    assert not CycleAttachment.objects.exists()


def test_rejected_upload_says_why(world):
    cycle = plan(world)
    upload = SimpleUploadedFile("protocol.pdf", b"<html>not a pdf</html>")
    response = world.client("alice").post(
        reverse("pdsa:attach", args=["testbsc", cycle.pk]), {"file": upload}, follow=True
    )
    assert (
        "The file was not attached: Web pages, SVG and XML files cannot be attached."
        in response.content.decode()
    )
    assert not CycleAttachment.objects.exists()


def test_size_limit_on_upload(world, monkeypatch):
    monkeypatch.setenv("PDSA_ATTACHMENT_MAX_BYTES", "100")
    cycle = plan(world)
    upload = SimpleUploadedFile("notes.txt", b"x" * 200)
    response = world.client("alice").post(
        reverse("pdsa:attach", args=["testbsc", cycle.pk]), {"file": upload}, follow=True
    )
    assert "the limit is" in response.content.decode()
    assert not CycleAttachment.objects.exists()


def test_clone_copies_attachments(world):
    from breakthrough.pdsa import actions

    cycle = plan(world)
    actions.do_add_attachment(cycle, data=PDF, name="form.pdf", by=world.alice)
    clone = actions.do_clone_cycle(cycle, team=world.team_b, by=world.carol)
    copy = clone.attachments.get()
    assert copy.name == "form.pdf" and copy.file.name != cycle.attachments.get().file.name
    with copy.file.open("rb") as handle:
        assert handle.read() == PDF
