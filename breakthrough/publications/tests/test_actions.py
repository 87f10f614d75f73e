"""What the publications' actions and exports do."""

from __future__ import annotations

import io
import sys
import types
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from breakthrough.changes.models import ChangePackage
from breakthrough.concurrency import EditConflict
from breakthrough.publications import actions, documents
from breakthrough.publications.models import Build, TeamStoryboard


def test_generating_twice_keeps_the_edited_sections(pworld):
    section = pworld.report.sections.get(key="lessons")
    actions.do_update_section(
        section, expected_version=section.edit_version, title="Lessons", body="Ours", by=None
    )
    again = actions.do_create_final_report(pworld.world.collaborative)
    assert again.pk == pworld.report.pk
    assert again.sections.count() == len(actions.SECTIONS)
    assert again.sections.get(key="lessons").body == "Ours"


def test_a_stale_section_save_is_refused_and_history_kept(pworld):
    section = pworld.report.sections.get(key="overview")
    loaded = section.edit_version
    actions.do_update_section(section, expected_version=loaded, title="Overview", body="First")
    stale = type(section).objects.get(pk=section.pk)
    stale.edit_version = loaded
    with pytest.raises(EditConflict) as exc:
        actions.do_update_section(stale, expected_version=loaded, title="Overview", body="Second")
    assert [c.name for c in exc.value.changes] == ["body"]
    section.refresh_from_db()
    assert section.body == "First"
    assert section.history.count() == 2


def test_section_edit_page_saves_and_shows_conflicts(pworld):
    w = pworld.world
    section = pworld.report.sections.get(key="results")
    url = reverse("publications:section-edit", args=["testbsc", section.pk])
    client = w.client("dina")
    ok = client.post(url, {"title": "Results", "body": "Tested.", "edit_version": 1})
    assert ok.status_code == 302
    late = client.post(url, {"title": "Results", "body": "Mine.", "edit_version": 1})
    assert late.status_code == 409
    assert "saved this while you were editing" in late.content.decode()
    section.refresh_from_db()
    assert section.body == "Tested."
    autosave = reverse("publications:section-autosave", args=["testbsc", section.pk])
    saved = client.post(autosave, {"title": "Results", "body": "Auto.", "edit_version": 2})
    assert saved.json()["edit_version"] == 3
    blank = client.post(autosave, {"title": "", "body": "x", "edit_version": 3})
    assert blank.status_code == 400 and "Title" in blank.json()["message"]


def test_public_page_needs_a_published_report(pworld):
    r = pworld.report
    with pytest.raises(ValidationError, match="Publish the report"):
        actions.do_update_final_report(
            r,
            expected_version=r.edit_version,
            title=r.title,
            subtitle="",
            status="draft",
            public_page=True,
        )
    actions.do_update_final_report(
        r, expected_version=r.edit_version, title=r.title, subtitle="", status="published",
        public_page=True,
    )  # fmt: skip
    r.refresh_from_db()
    assert r.public_page and r.published_on is not None


def test_storyboard_is_created_then_versioned(pworld):
    w = pworld.world
    board = actions.do_save_storyboard(
        w.team_a, expected_version=None, by=w.alice, title="Alder", aim="Every youth"
    )
    assert board.edit_version == 1
    actions.do_save_storyboard(
        w.team_a, expected_version=1, by=w.bob, title="Alder", aim="Every youth", lessons="L"
    )
    with pytest.raises(EditConflict):
        actions.do_save_storyboard(w.team_a, expected_version=1, title="Alder", aim="Other")
    board.refresh_from_db()
    assert (board.lessons, board.aim, board.edit_version) == ("L", "Every youth", 2)
    assert board.history.count() == 2
    with pytest.raises(ValidationError):
        actions.do_save_storyboard(
            w.team_b, expected_version=None, title="B", until_period=None,
            event=type(w.periods[0]).objects.none().first() or _other_event(w),
        )  # fmt: skip


def _other_event(w):
    from datetime import date

    from breakthrough.collaboratives.models import Event

    return Event.objects.create(
        collaborative=w.other_collaborative, kind="learning_session", title="X", start=date.today()
    )


def test_storyboard_edit_page_saves_text(pworld):
    w = pworld.world
    url = reverse("publications:storyboard-edit", args=["testbsc", w.team_a.slug])
    response = w.client("alice").post(
        url,
        {"title": "Alder at LS1", "aim": "All youth", "next_steps": "Spread", "edit_version": ""},
    )
    assert response.status_code == 302
    board = TeamStoryboard.objects.get(team=w.team_a)
    assert (board.title, board.next_steps, board.updated_by) == ("Alder at LS1", "Spread", w.alice)
    page = w.client("carol").get(reverse("publications:storyboard", args=["testbsc", "alder"]))
    assert "Alder at LS1" in page.content.decode()


def test_model_becomes_the_next_package_version(pworld):
    w = pworld.world
    other = actions.do_save_practice(
        pworld.phase, area="Notification", title="Notify both workers within a day"
    )
    draft = actions.do_model_to_package(pworld.model, version="2.0", by=w.dina)
    assert draft.status == ChangePackage.Status.DRAFT and draft.based_on == w.package
    copied = draft.nodes.get(lineage=w.idea)
    assert "Phase I" in copied.tags
    added = draft.nodes.get(title=other.title)
    assert added.kind == "idea" and added.parent.title == "Identification"
    assert added.parent.kind == "component"
    pworld.model.refresh_from_db()
    assert pworld.model.package == draft
    with pytest.raises(ValidationError, match="draft version is already being prepared"):
        actions.do_model_to_package(pworld.model, version="3.0")


def test_practice_refuses_evidence_of_another_collaborative(pworld):
    from breakthrough.measures.models import Measure

    foreign = Measure.objects.create(
        collaborative=pworld.world.other_collaborative, code="X", name="X", kind="process",
        data_type="count",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="another collaborative"):
        actions.do_save_practice(pworld.phase, area="A", title="T", fidelity_measure=foreign)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_build_makes_the_file_and_reports_progress(pworld, fmt):
    w = pworld.world
    response = w.client("dina").post(
        reverse("publications:build-start", args=["testbsc"]), {"kind": "final", "format": fmt}
    )
    build = Build.objects.get()
    assert response.url == reverse("publications:build", args=["testbsc", build.pk])
    assert (build.state, build.progress) == ("done", 100)
    data = bytes(build.output)
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "docx":
        from docx import Document

        doc = Document(io.BytesIO(data))
        headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert headings == [s.title for s in pworld.report.sections.all()]
        tables = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert "1.1 Daily automated match" in tables
    else:
        assert b"Results by component" in data
    download = w.client("dina").get(
        reverse("publications:build-download", args=["testbsc", build.pk])
    )
    assert download.status_code == 200 and bytes(download.content) == data
    status = w.client("dina").get(
        reverse("publications:build", args=["testbsc", build.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Download" in status.content.decode() and "<html" not in status.content.decode()


def test_failed_build_says_why(pworld, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr(documents, "final_report_file", broken)
    build = actions.do_request_build(pworld.world.collaborative, kind="final", fmt="pdf")
    done = actions.run_build(build.pk)
    assert done.state == "failed" and "fonts are missing" in done.error


def test_build_refuses_unknown_formats(pworld):
    with pytest.raises(ValidationError, match="'odt' is not a format"):
        actions.do_request_build(pworld.world.collaborative, kind="final", fmt="odt")


@pytest.mark.parametrize(
    "args",
    [
        ["final", "--collaborative", "testbsc", "--format", "pdf"],
        ["final", "--collaborative", "testbsc", "--format", "docx"],
        ["storyboard", "--collaborative", "testbsc", "--team", "alder", "--format", "pdf"],
        ["model", "--collaborative", "testbsc", "--format", "docx"],
    ],
)
def test_report_command_writes_the_same_files(pworld, tmp_path, args):
    out = tmp_path / "out"
    call_command("report", *args, "-o", str(out), verbosity=0)
    data = out.read_bytes()
    assert data.startswith(b"%PDF" if "pdf" in args else b"PK")


def test_report_command_says_what_is_wrong(pworld, tmp_path):
    with pytest.raises(CommandError, match="its teams are: alder, birch"):
        call_command(
            "report", "storyboard", "--collaborative", "testbsc", "--team", "nope", "-o",
            str(tmp_path / "x"),
        )  # fmt: skip
    with pytest.raises(CommandError, match="No collaborative with the slug 'nope'"):
        call_command("report", "final", "--collaborative", "nope", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="no final report yet"):
        call_command("report", "final", "--collaborative", "other", "-o", str(tmp_path / "x"))


def test_html_of_the_command_matches_the_web_export(pworld, tmp_path):
    out = tmp_path / "r.html"
    call_command(
        "report", "final", "--collaborative", "testbsc", "--format", "html", "-o", str(out)
    )
    text = out.read_text()
    assert "Test Collaborative: final report" in text
    assert "Daily matching finds every crossover youth." in text


@dataclass
class FakeSpec:
    team: object
    measure: object
    title: str
    vega: dict


def _fake_charts_module():
    """A stand-in of the measures' chart contract (breakthrough.measures.charts)."""
    from breakthrough.reports import charts as rc

    def spec_for(team, measure, title):
        vega = {
            "$schema": rc.SCHEMA,
            "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
            "mark": "line",
            "encoding": {
                "x": {"field": "x", "type": "quantitative"},
                "y": {"field": "y", "type": "quantitative"},
            },
        }
        return FakeSpec(team, measure, title, vega)

    module = types.ModuleType("breakthrough.measures.charts")
    module.calls = []

    def team_measure_charts(
        team, *, viewer_standing, until_period=None, size="normal", measures=None
    ):
        module.calls.append(("team", team.slug, viewer_standing.is_staff))
        return [
            spec_for(team, m, f"{m.code} chart of {team.name}")
            for m in team.collaborative.measures.all()
        ]

    def pooled_chart(collaborative, measure, *, viewer_standing):
        module.calls.append(("pooled", measure.code, viewer_standing.is_staff))
        return spec_for(None, measure, f"{measure.code} pooled")

    def small_multiples(collaborative, measure, *, viewer_standing):
        return spec_for(None, measure, f"{measure.code} by team")

    def render_chart(spec, fmt="svg"):
        return rc.render(spec.vega, fmt=fmt)

    module.team_measure_charts = team_measure_charts
    module.pooled_chart = pooled_chart
    module.small_multiples = small_multiples
    module.render_chart = render_chart
    module.latest_signal_status = lambda *a, **k: {}
    return module


def test_measure_charts_are_used_once_the_contract_exists(pworld, monkeypatch):
    w = pworld.world
    fake = _fake_charts_module()
    monkeypatch.setitem(sys.modules, "breakthrough.measures.charts", fake)
    page = w.client("carol").get(reverse("publications:storyboard", args=["testbsc", "alder"]))
    html = page.content.decode()
    assert "M1 chart of Alder County" in html and "<svg" in html
    assert ("team", "alder", False) in fake.calls  # carol reads as another team: suppressed view
    final = w.client("dina").get(reverse("publications:final", args=["testbsc"])).content.decode()
    assert "M1 pooled" in final and "M1 by team" in final
    assert "not available" not in final
    data = documents.final_report_file(w.collaborative, _standing(w), "docx")
    from docx import Document

    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) >= 3  # status chart, pooled and small multiples as PNG


def _standing(w):
    from breakthrough.collaboratives.access import standing_for

    return standing_for(w.dina, w.collaborative)


def test_without_the_contract_the_charts_say_so(pworld):
    html = pworld.world.client("dina").get(reverse("publications:final", args=["testbsc"]))
    if "breakthrough.measures.charts" in sys.modules:
        pytest.skip("the measures chart contract is installed")
    assert "not available in this installation" in html.content.decode()


def test_publications_travel_in_the_collaborative_archive(pworld, tmp_path):
    from django.contrib.auth import get_user_model

    from breakthrough.collaboratives.models import Collaborative
    from breakthrough.publications.models import FinalReport, Practice
    from breakthrough.teams.models import Jurisdiction

    w = pworld.world
    actions.do_save_storyboard(w.team_a, expected_version=None, by=w.alice, title="Alder")
    out = tmp_path / "a.zip"
    call_command("export", collaborative="testbsc", output=str(out))
    Collaborative.objects.all().delete()
    Jurisdiction.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("import", str(out))
    report = FinalReport.objects.get(collaborative__slug="testbsc")
    assert report.sections.count() == len(actions.SECTIONS)
    practice = Practice.objects.get()
    assert [n.code for n in practice.nodes.all()] == ["1.1"]
    assert [lesson.statement for lesson in practice.lessons.all()] == [pworld.lesson.statement]
    assert practice.fidelity_measure.code == "M1"
    assert TeamStoryboard.objects.get().title == "Alder"
