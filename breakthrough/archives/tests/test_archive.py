from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from breakthrough.archives.actions import do_import_collaborative
from breakthrough.archives.archive import ArchiveError, read_archive
from breakthrough.archives.models import ExportRecord
from breakthrough.collaboratives.models import Collaborative, StaffRole
from breakthrough.measures.actions import ValueRow, do_upsert_measure_values
from breakthrough.measures.models import MeasureValue, Stratifier
from breakthrough.resources.models import Resource
from breakthrough.teams.models import DataSharingAgreement, Jurisdiction, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_world(world, settings, tmp_path):
    """The test base with values, strata, a coach's teams, an agreement and a draft package."""
    race = Stratifier.objects.create(
        collaborative=world.collaborative,
        code="race",
        name="Race",
        categories=[{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
    )
    world.measure.stratifiers.add(race)
    for i, period in enumerate(world.periods[:3]):
        do_upsert_measure_values(
            team=world.team_a,
            period=period,
            person=world.alice,
            rows=[
                ValueRow("M1", "", numerator=5 + i, denominator=10, note="checked"),
                ValueRow("M1", "race:a", numerator=2, denominator=4),
            ],
        )
    coach = StaffRole.objects.create(
        collaborative=world.collaborative, person=world.fran, role="coach"
    )
    coach.teams.set([world.team_a, world.team_b])
    agreement = DataSharingAgreement.objects.create(
        jurisdiction=world.team_a.jurisdiction, title="Alder MOU", status="drafting"
    )
    agreement.agencies.set(world.team_a.jurisdiction.agencies.all())
    settings.MEDIA_ROOT = tmp_path / "media"
    resource = Resource.objects.create(
        collaborative=world.collaborative,
        title="Match protocol",
        kind="protocol",
        file=ContentFile(b"%PDF-1.4 protocol", name="protocol.pdf"),
        uploaded_by=world.fran,
    )
    resource.nodes.set([world.idea])
    return world


def rich_world_media():
    from django.conf import settings

    return settings.MEDIA_ROOT


def entities_of(path):
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}


def test_the_archive_has_a_manifest_with_checksums(rich_world, tmp_path):
    out = tmp_path / "a.zip"
    call_command("export", collaborative="testbsc", output=str(out))
    archive = read_archive(out)
    m = archive.manifest
    assert m["format"] == "breakthrough-archive" and m["format_version"] == 1
    assert m["entities"]["measures.measurevalue"]["rows"] == 6
    assert m["entities"]["teams.team"]["rows"] == 2
    users = {r["key"][0] for r in archive.entities["accounts.user"]}
    assert users == {"alice", "bob", "carol", "fran", "dina"}  # not olga: another collaborative
    assert all(
        "password" not in r and "lived_experience" not in r
        for r in archive.entities["accounts.user"]
    )
    value = archive.entities["measures.measurevalue"][0]
    assert value["team"] == 1 and value["entered_by"] == ["alice"] and value["note"] == "checked"
    agencies = archive.entities["teams.datasharingagreement"][0]["agencies"]
    assert agencies == [["Alder County", "Alder Probation"]]
    record = ExportRecord.objects.get()
    assert record.kind == "archive" and record.collaborative_slug == "testbsc" and record.rows > 20


def test_round_trip_into_an_empty_installation_gives_the_same_content(rich_world, tmp_path):
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("export", collaborative="testbsc", output=str(first))
    # An empty installation: nothing of the collaborative, its people or its places is left.
    Collaborative.objects.all().delete()
    Jurisdiction.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    shutil.rmtree(rich_world_media(), ignore_errors=True)
    assert not MeasureValue.objects.exists()
    call_command("import", str(first))
    resource = Resource.objects.get()
    assert resource.file.read() == b"%PDF-1.4 protocol"
    assert list(resource.nodes.values_list("code", flat=True)) == ["1.1"]
    c = Collaborative.objects.get(slug="testbsc")
    assert MeasureValue.objects.filter(team__collaborative=c).count() == 6
    assert set(StaffRole.objects.get(role="coach").teams.values_list("slug", flat=True)) == {
        "alder",
        "birch",
    }
    assert not get_user_model().objects.get(username="alice").has_usable_password()
    call_command("export", collaborative="testbsc", output=str(second))
    assert entities_of(first) == entities_of(second)


def test_import_as_a_copy_beside_the_original(rich_world, tmp_path):
    out, copy = tmp_path / "a.zip", tmp_path / "copy.zip"
    call_command("export", collaborative="testbsc", output=str(out))
    with pytest.raises(CommandError, match="already has a collaborative 'testbsc'"):
        call_command("import", str(out))
    call_command("import", str(out), as_slug="testbsc-copy")
    original = Collaborative.objects.get(slug="testbsc")
    twin = Collaborative.objects.get(slug="testbsc-copy")
    assert Team.objects.filter(collaborative=twin).count() == 2
    assert Jurisdiction.objects.count() == 3  # shared rows reused, not duplicated
    assert MeasureValue.objects.filter(team__collaborative=twin).count() == 6
    assert MeasureValue.objects.filter(team__collaborative=original).count() == 6
    assert twin.history.first().history_change_reason == "Imported from an archive"
    call_command("export", collaborative="testbsc-copy", output=str(copy))
    a, b = entities_of(out), entities_of(copy)
    [member] = [n for n in a if n.startswith("files/")]
    assert member.startswith("files/resources/") and member.endswith("/protocol.pdf")
    a = {n: d for n, d in a.items() if n.startswith("entities/")}
    b = {n: d for n, d in b.items() if n.startswith("entities/")}
    assert a.keys() == b.keys()
    differ = [n for n in a if a[n] != b[n]]
    # The copy's uploaded file sits beside the original's under a name of its own.
    assert differ == [
        "entities/collaboratives.collaborative.json",
        "entities/resources.resource.json",
    ]
    files = Resource.objects.order_by("pk")
    assert files[0].file.name != files[1].file.name
    assert files[0].file.read() == files[1].file.read()
    rows_a = json.loads(a[differ[0]])["rows"][0]
    rows_b = json.loads(b[differ[0]])["rows"][0]
    assert {k for k in rows_a if rows_a[k] != rows_b[k]} == {"slug"}


def test_a_damaged_archive_is_refused_and_nothing_is_written(rich_world, tmp_path):
    out, bad = tmp_path / "a.zip", tmp_path / "bad.zip"
    call_command("export", collaborative="testbsc", output=str(out))
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "entities/teams.team.json":
                data = data.replace(b"Alder County", b"Alder Countx")
            dst.writestr(name, data)
    with pytest.raises(ArchiveError, match="does not match its checksum"):
        do_import_collaborative(bad, as_slug="x")
    assert not Collaborative.objects.filter(slug="x").exists()
    not_zip = tmp_path / "n.zip"
    not_zip.write_text("hello")
    with pytest.raises(CommandError, match="not a Breakthrough archive"):
        call_command("import", str(not_zip))


def test_export_of_an_unknown_collaborative(tmp_path):
    with pytest.raises(CommandError, match="No collaborative with the slug 'nope'"):
        call_command("export", collaborative="nope", output=str(tmp_path / "x.zip"))


@pytest.fixture
def reporting_world(rich_world):
    """The rich world with a scored, reopened and resubmitted report, a learning session's
    presenter, material and storyboard (with files), a discussion and a coaching note."""
    from breakthrough.discussions.actions import do_create_coaching_note, do_reply, do_start_thread
    from breakthrough.reports.actions import do_reopen_report, do_submit_report
    from breakthrough.reports.models import ReportSettings
    from breakthrough.reports.session_actions import (
        do_add_material,
        do_pick_presenter,
        do_upload_storyboard,
    )
    from breakthrough.reports.tests.helpers import add_roles, score_and_reconcile, submitted_report

    w = add_roles(rich_world)
    cfg = ReportSettings.objects.create(collaborative=w.collaborative, sharing="narrative")
    cfg.scorers.set([w.dina, w.vic])
    jan = submitted_report(w, score="2.5")
    score_and_reconcile(w, jan)
    feb = submitted_report(w, period=w.periods[1], score="3.0")
    feb = do_reopen_report(feb, by=w.dina, reason="M1 was mistyped")
    do_submit_report(feb, by=w.alice)
    submitted_report(w, team=w.team_b, period=w.periods[0], by=w.carol)
    event = w.collaborative.events.get()
    do_pick_presenter(event, team=w.team_a, by=w.dina, report=jan, topic="Daily match")
    do_add_material(
        event, title="Slides", file=ContentFile(b"slides", name="slides.pdf"), by=w.dina
    )
    do_upload_storyboard(
        event,
        team=w.team_a,
        title="Alder storyboard",
        file=ContentFile(b"%PDF storyboard", name="alder.pdf"),
        by=w.alice,
    )
    thread = do_start_thread(
        author=w.alice, collaborative=w.collaborative, title="Matching", body="How?", notify=False
    )
    do_reply(author=w.carol, thread=thread, body="Daily.", notify=False)
    do_create_coaching_note(
        author=w.cody,
        team=w.team_a,
        date=w.periods[0].start,
        subject="Call",
        body="Good start.",
        share_scope="team",
    )
    return w


def test_round_trip_of_reports_sessions_and_discussions(reporting_world, tmp_path):
    from breakthrough.archives.registry import owned_models

    def counts():
        """Rows of the test collaborative, per archived model."""
        out = {}
        for m, path in owned_models():
            by_slug = "slug" if path == "id" else path.removesuffix("_id") + "__slug"
            out[m._meta.label_lower] = m._default_manager.filter(**{by_slug: "testbsc"}).count()
        return out

    def report_rows():
        from breakthrough.reports.models import Assessment, MonthlyReport, ReportRevision

        return (
            sorted(
                MonthlyReport.objects.values_list(
                    "team__slug", "period__start", "state", "revision", "achievements"
                )
            ),
            sorted(
                Assessment.objects.values_list(
                    "report__team__slug",
                    "report__period__start",
                    "kind",
                    "assessor__username",
                    "score",
                )
            ),
            sorted(ReportRevision.objects.values_list("revision", "reopen_reason")),
        )

    before, rows = counts(), report_rows()
    for label in (
        "reports.monthlyreport",
        "reports.assessment",
        "reports.reportrevision",
        "reports.componentstatus",
        "reports.reportsettings",
        "reports.presenter",
        "reports.sessionmaterial",
        "reports.storyboard",
        "discussions.thread",
        "discussions.post",
        "discussions.coachingnote",
    ):
        assert before[label] > 0, label
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    call_command("export", collaborative="testbsc", output=str(first))
    Collaborative.objects.all().delete()
    Jurisdiction.objects.all().delete()
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    shutil.rmtree(rich_world_media(), ignore_errors=True)
    assert all(n == 0 for n in counts().values())

    call_command("import", str(first))
    assert counts() == before
    c = Collaborative.objects.get(slug="testbsc")
    assert Team.objects.filter(collaborative=c).count() == 2
    assert report_rows() == rows
    from breakthrough.reports.models import ReportSettings, SessionMaterial, Storyboard

    assert Storyboard.objects.get().file.read() == b"%PDF storyboard"
    assert SessionMaterial.objects.get().file.read() == b"slides"
    assert set(ReportSettings.objects.get().scorers.values_list("username", flat=True)) == {
        "dina",
        "vic",
    }
    call_command("export", collaborative="testbsc", output=str(second))
    assert entities_of(first) == entities_of(second)
