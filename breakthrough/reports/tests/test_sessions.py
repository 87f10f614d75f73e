"""Learning sessions: presenters picked from strong reports, attendance, agenda, materials,
storyboards; and the query counts of the list pages."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breakthrough.collaboratives.models import Attendance
from breakthrough.reports.models import Presenter, SessionMaterial, Storyboard
from breakthrough.reports.session_views import candidates

from .helpers import score_and_reconcile, submitted_report

S = "testbsc"


@pytest.fixture
def session(rworld):
    event = rworld.collaborative.events.get()
    event.start = date(2024, 4, 2)
    event.save()
    return event


def test_candidates_are_the_best_scored_reports_before_the_session(rworld, session):
    a = submitted_report(rworld, period=rworld.periods[0], score="3.0")
    score_and_reconcile(rworld, a, "3.0", "3.0", "3.0")
    b = submitted_report(rworld, team=rworld.team_b, by=rworld.carol, score="2.0")
    score_and_reconcile(rworld, b, "2.0", "2.0", "2.0")
    late = submitted_report(rworld, period=rworld.periods[4], score="4.0")  # May: after the session
    score_and_reconcile(rworld, late, "4.0", "4.0", "4.0")
    found = candidates(session)
    assert [(c["team"].slug, c["score"]) for c in found] == [("alder", 3), ("birch", 2)]
    page = rworld.client("fran").get(reverse("reports:session", args=[S, session.pk]))
    assert "Candidates from recent reports" in page.content.decode()
    r = rworld.client("fran").post(
        reverse("reports:add-presenter", args=[S, session.pk]),
        {"team": rworld.team_a.pk, "report": a.pk, "topic": "The daily match"},
    )
    assert r.status_code == 302
    presenter = Presenter.objects.get()
    assert (presenter.team, presenter.report, presenter.chosen_by) == (
        rworld.team_a,
        a,
        rworld.fran,
    )
    page = rworld.client("carol").get(reverse("reports:session", args=[S, session.pk]))
    assert "The daily match" in page.content.decode()
    assert "Candidates" not in page.content.decode()  # picking is for faculty
    rworld.client("fran").post(
        reverse("reports:remove-presenter", args=[S, session.pk, presenter.pk])
    )
    assert not Presenter.objects.exists()


def test_attendance_is_recorded_per_person(rworld, session):
    url = reverse("reports:attendance", args=[S, session.pk])
    rworld.client("dina").post(url, {"present": [rworld.alice.pk, rworld.carol.pk]})
    assert set(
        Attendance.objects.filter(event=session, attended=True).values_list("person", flat=True)
    ) == {rworld.alice.pk, rworld.carol.pk}
    rworld.client("dina").post(url, {"present": [rworld.carol.pk]})
    alice = Attendance.objects.get(event=session, person=rworld.alice)
    assert alice.attended is False and alice.team == rworld.team_a
    page = rworld.client("dina").get(reverse("reports:session", args=[S, session.pk]))
    assert "Attendance (1)" in page.content.decode()


def test_agenda_items_are_added_and_removed(rworld, session):
    url = reverse("reports:add-agenda-item", args=[S, session.pk])
    r = rworld.client("dina").post(url, {"title": "", "day": "2024-04-02"})
    assert r.status_code == 302 and not session.agenda.exists()
    rworld.client("dina").post(
        url, {"title": "Storyboard walk", "day": "2024-04-02", "time": "09:00"}
    )
    item = session.agenda.get()
    assert item.title == "Storyboard walk" and item.order == 1
    rworld.client("dina").post(reverse("reports:remove-agenda-item", args=[S, session.pk, item.pk]))
    assert not session.agenda.exists()


def test_materials_file_or_link(rworld, session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("reports:add-material", args=[S, session.pk])
    rworld.client("dina").post(url, {"title": "Nothing attached"})
    assert not SessionMaterial.objects.exists()
    rworld.client("dina").post(url, {"title": "Agenda", "url": "https://example.org/agenda"})
    slides = SimpleUploadedFile("plenary.pdf", b"%PDF-1.4 slides", content_type="application/pdf")
    rworld.client("dina").post(url, {"title": "Plenary slides", "file": slides})
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    rworld.client("dina").post(url, {"title": "Bad", "file": bad})
    assert list(SessionMaterial.objects.values_list("title", flat=True)) == [
        "Agenda",
        "Plenary slides",
    ]
    material = SessionMaterial.objects.get(title="Plenary slides")
    download = reverse("reports:material", args=[S, session.pk, material.pk])
    r = rworld.client("carol").get(download)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 slides"
    assert rworld.client("olga").get(download).status_code == 404


def test_storyboard_replaced_and_reviewed(rworld, session, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("reports:upload-storyboard", args=[S, session.pk])
    bad = SimpleUploadedFile("board.exe", b"MZ")
    r = rworld.client("alice").post(url, {"team": rworld.team_a.pk, "title": "x", "file": bad})
    assert r.status_code == 302 and not Storyboard.objects.exists()
    for content in (b"%PDF first", b"%PDF second"):
        rworld.client("alice").post(
            url,
            {
                "team": rworld.team_a.pk,
                "title": "Alder storyboard",
                "file": SimpleUploadedFile("board.pdf", content),
            },
        )
    board = Storyboard.objects.get()
    assert board.file.read() == b"%PDF second"
    review = reverse("reports:review-storyboard", args=[S, session.pk, board.pk])
    assert rworld.client("alice").post(review, {"review_status": "approved"}).status_code == 403
    rworld.client("fran").post(review, {"review_status": "changes", "review_notes": "Add M3"})
    board.refresh_from_db()
    assert (board.review_status, board.review_notes) == ("changes", "Add M3")
    rworld.client("alice").post(
        url,
        {"team": rworld.team_a.pk, "title": "v3", "file": SimpleUploadedFile("b.pdf", b"%PDF")},
    )
    board.refresh_from_db()
    assert board.review_status == "submitted"  # a new upload goes back to review


LIST_PAGES = [
    ("reports:home", [S], "alice", 12),
    ("reports:team", [S, "alder"], "alice", 16),
    ("reports:scores", [S], "carol", 12),
    ("reports:sessions", [S], "carol", 8),
    ("reports:reminders", [S], "dina", 22),
]


@pytest.mark.parametrize(("name", "args", "who", "limit"), LIST_PAGES)
def test_list_pages_query_counts_do_not_grow(
    rworld, name, args, who, limit, django_assert_max_num_queries
):
    def add_months(periods):
        for period in periods:
            report = submitted_report(rworld, period=period)
            score_and_reconcile(rworld, report)

    add_months(rworld.periods[:1])
    client = rworld.client(who)
    url = reverse(name, args=args)
    client.get(url)
    with django_assert_max_num_queries(limit) as few:
        client.get(url)
    add_months(rworld.periods[1:5])
    with django_assert_max_num_queries(limit) as more:
        assert client.get(url).status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)


def test_storyboards_written_in_breakthrough_are_listed_for_their_session(rworld, session):
    from breakthrough.publications.actions import do_save_storyboard

    do_save_storyboard(
        rworld.team_a, expected_version=None, by=rworld.alice, event=session, title="Alder story"
    )
    url = reverse("reports:session", args=[S, session.pk])
    link = reverse("publications:storyboard", args=[S, rworld.team_a.slug])
    assert link in rworld.client("alice").get(url).content.decode()
    assert link in rworld.client("dina").get(url).content.decode()
    rworld.collaborative.teams_share_work = False
    rworld.collaborative.save()
    assert link not in rworld.client("carol").get(url).content.decode()
