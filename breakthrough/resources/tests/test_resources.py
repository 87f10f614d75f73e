"""The resource library: uploads checked and stored safely, search and filters, access."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breakthrough.collaboratives.models import StaffRole
from breakthrough.resources.actions import do_add_resource
from breakthrough.resources.models import Resource
from breakthrough.resources.uploads import UploadError, check_upload, safe_display_name
from breakthrough.test import make_person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes(part="word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.RESOURCE_MAX_BYTES = 1000
    return tmp_path


def url(name, *args):
    return reverse(f"resources:{name}", args=["testbsc", *args])


def upload(client, name, content, **extra):
    data = {
        "title": extra.pop("title", "Match script note"),
        "kind": extra.pop("kind", "tool"),
        "description": extra.pop("description", "How we run the nightly match."),
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    return client.post(url("new"), data)


# The pure check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content",
    [
        ("guide.pdf", PDF),
        ("form.docx", docx_bytes()),
        ("sheet.xlsx", docx_bytes("xl/workbook.xml")),
        ("notes.txt", "Café notes, line one\nline two\n".encode()),
        ("counts.csv", b"month,count\n2009-01,4\n"),
        ("chart.png", PNG),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
)
def test_files_whose_content_matches_their_extension_pass(name, content):
    kind = check_upload(io.BytesIO(content), name, len(content), 10_000)
    assert name.lower().endswith(kind.extension)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("tool.exe", b"MZ\x90\x00", ".exe files cannot be uploaded"),
        ("page.html", b"<script>", ".html files cannot be uploaded"),
        ("drawing.svg", b"<svg onload=alert(1)>", ".svg files cannot be uploaded"),
        ("README", b"text", "Files without an extension cannot be uploaded"),
        ("guide.pdf", b"MZ\x90\x00 not a pdf", "named .pdf but its content is not a PDF file"),
        ("form.docx", docx_bytes("xl/workbook.xml"), "not a Word document file"),
        ("form.docx", PDF, "not a Word document file"),
        ("notes.txt", b"\x00\x01\x02binary", "not a text file"),
        ("chart.png", PDF, "not a PNG image file"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_refused_files_say_why(name, content, message):
    with pytest.raises(UploadError, match=message):
        check_upload(io.BytesIO(content), name, len(content), 10_000)


def test_too_large_is_refused_with_sizes():
    with pytest.raises(
        UploadError, match=r"The file is 2.0 KB; the library takes files up to 1.0 KB"
    ):
        check_upload(io.BytesIO(PDF), "big.pdf", 2048, 1024)


def test_display_names_cannot_carry_paths():
    assert safe_display_name("../../etc/passwd.pdf", "pdf") == "passwd.pdf"
    assert safe_display_name("C:\\Users\\x\\Plan <v2>.pdf", "pdf") == "Plan v2.pdf"
    assert safe_display_name("....pdf", "pdf") == "resource.pdf"


# Through the pages ---------------------------------------------------------------------------


def test_member_uploads_a_file_stored_under_a_made_up_name(world, media):
    response = upload(
        world.client("alice"),
        "../../../etc/Match script.pdf",
        PDF,
        team=world.team_a.pk,
        nodes=[world.idea.pk],
    )
    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    assert resource.file_name == "Match script.pdf"
    assert resource.file.name.startswith(f"resources/{world.collaborative.pk}/")
    assert ".." not in resource.file.name and "Match" not in resource.file.name
    stored = media / resource.file.name
    assert stored.read_bytes() == PDF
    assert resource.content_type == "application/pdf" and resource.size == len(PDF)
    assert resource.team == world.team_a and list(resource.nodes.all()) == [world.idea]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("big.pdf", PDF + b"x" * 2000, "the library takes files up to 1000 bytes"),
        ("virus.exe", b"MZ", ".exe files cannot be uploaded"),
        ("renamed.pdf", b"MZ\x90\x00", "its content is not a PDF file"),
    ],
)
def test_refused_uploads_show_the_reason_and_store_nothing(world, media, name, content, message):
    response = upload(world.client("alice"), name, content, team=world.team_a.pk)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resource.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_resource_needs_a_file_or_a_link_not_both(world):
    client = world.client("alice")
    neither = client.post(url("new"), {"title": "x", "kind": "tool", "team": world.team_a.pk})
    assert neither.status_code == 400
    assert b"Choose a file to upload, or give a link." in neither.content
    both = upload(client, "a.pdf", PDF, url="https://example.org/x", team=world.team_a.pk)
    assert both.status_code == 400
    assert b"Give either a file or a link, not both." in both.content
    link = client.post(
        url("new"),
        {
            "title": "Sharing guide",
            "kind": "protocol",
            "url": "https://example.org/guide",
            "team": world.team_a.pk,
        },
    )
    assert link.status_code == 302
    assert Resource.objects.get().is_link


def test_members_share_only_as_their_own_team(world):
    response = upload(world.client("alice"), "a.pdf", PDF, team=world.team_b.pk)
    assert response.status_code == 400
    assert not Resource.objects.exists()


def test_download_checks_access_every_time(world):
    resource = do_add_resource(
        collaborative=world.collaborative,
        added_by=world.alice,
        title="Guide",
        kind="measurement",
        upload=SimpleUploadedFile("Guide.pdf", PDF),
        team=world.team_a,
    )
    target = url("download", resource.pk)
    response = world.client("carol").get(target)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Guide.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert world.client("olga").get(target).status_code == 404
    assert world.client("anon").get(target).status_code == 302
    evaluator = make_person("eva", "Eva Evans")
    StaffRole.objects.create(collaborative=world.collaborative, person=evaluator, role="evaluator")
    world.eva = evaluator
    assert world.client("eva").get(target).status_code == 403
    assert world.client("eva").get(url("list")).status_code == 403


def test_who_may_change_a_resource(world, media):
    resource = do_add_resource(
        collaborative=world.collaborative,
        added_by=world.alice,
        title="Guide",
        kind="tool",
        upload=SimpleUploadedFile("Guide.pdf", PDF),
        team=world.team_a,
    )
    assert world.client("carol").get(url("edit", resource.pk)).status_code == 403
    assert world.client("carol").post(url("delete", resource.pk)).status_code == 403
    assert world.client("bob").get(url("edit", resource.pk)).status_code == 200  # same team
    assert world.client("fran").get(url("edit", resource.pk)).status_code == 200


def test_replacing_and_deleting_remove_old_files(world, media, django_capture_on_commit_callbacks):
    resource = do_add_resource(
        collaborative=world.collaborative,
        added_by=world.alice,
        title="Guide",
        kind="tool",
        upload=SimpleUploadedFile("Guide.pdf", PDF),
        team=world.team_a,
    )
    first = media / resource.file.name
    client = world.client("alice")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("edit", resource.pk),
            {
                "title": "Guide v2",
                "kind": "tool",
                "team": world.team_a.pk,
                "file": SimpleUploadedFile("Guide v2.docx", docx_bytes()),
                "edit_version": 1,
            },
        )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert not first.exists()
    assert resource.file_name == "Guide v2.docx" and resource.title == "Guide v2"
    second = media / resource.file.name
    assert second.exists()
    stale = client.post(
        url("edit", resource.pk),
        {"title": "Old", "kind": "tool", "team": world.team_a.pk, "edit_version": 1},
    )
    assert stale.status_code == 409
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("delete", resource.pk))
    assert not Resource.objects.exists() and not second.exists()


def test_search_and_filters(world):
    def add(title, kind, team=None, nodes=(), description=""):
        return do_add_resource(
            collaborative=world.collaborative,
            added_by=world.fran,
            title=title,
            kind=kind,
            url="https://example.org/" + title.replace(" ", "-"),
            team=team,
            nodes=nodes,
            description=description,
        )

    add("Alert template", "form", world.team_b, [world.idea])
    add("Sharing guide", "protocol", world.team_a, [world.component])
    add("Run chart primer", "measurement", description="Reading charts with small numbers")
    client = world.client("carol")

    def titles(**params):
        response = client.get(url("list"), params)
        return sorted(r.title for r in response.context["page"].object_list)

    assert titles() == ["Alert template", "Run chart primer", "Sharing guide"]
    assert titles(q="small numbers") == ["Run chart primer"]
    assert titles(kind="form") == ["Alert template"]
    assert titles(team="alder") == ["Sharing guide"]
    assert titles(node=world.component.pk) == ["Alert template", "Sharing guide"]
    assert titles(node=world.idea.pk) == ["Alert template"]
    assert titles(kind="nonsense") == ["Alert template", "Run chart primer", "Sharing guide"]


def test_library_query_count_is_flat(world, django_assert_max_num_queries):
    for i in range(20):
        do_add_resource(
            collaborative=world.collaborative,
            added_by=world.alice,
            title=f"Resource {i}",
            kind="tool",
            url=f"https://example.org/{i}",
            team=world.team_a,
            nodes=[world.component, world.idea],
        )
    client = world.client("carol")
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert len(response.context["page"].object_list) == 20


def test_identifying_details_in_a_description_are_flagged(world):
    response = upload(
        world.client("alice"),
        "a.pdf",
        PDF,
        team=world.team_a.pk,
        description="Filled form for Jamie Rivera, DOB 2/2/1994",
    )
    assert response.status_code == 400
    assert b"looks like a date of birth" in response.content
