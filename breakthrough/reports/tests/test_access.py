"""Every monthly-report page and action, for every person of the test base.

alice (lead, team A), bob (member, A), carol (member, B), fran (faculty, not a scorer),
dina (director, scorer), olga (outside), anon (302 to the log-in page).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breakthrough.reports.models import ReportSettings, Storyboard

from .helpers import submitted_report

S = "testbsc"
EVERYONE = dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302)
STAFF = dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302)
TEAM_A = dict(alice=200, bob=200, carol=404, fran=200, dina=200, olga=404, anon=302)

PAGES = {
    "reports home": (("reports:home", [S]), EVERYONE),
    "console": (("reports:console", [S]), STAFF),
    "console export": (("reports:console-export", [S]), STAFF),
    "scores": (("reports:scores", [S]), EVERYONE),
    "scale": (("reports:scale", [S]), EVERYONE),
    "edit scale": (("reports:edit-scale", [S]), STAFF),
    "settings": (("reports:settings", [S]), STAFF),
    "reminders": (("reports:reminders", [S]), EVERYONE),
    "sessions": (("reports:sessions", [S]), EVERYONE),
    "team A reports": (("reports:team", [S, "alder"]), TEAM_A),
    "team A Jan report": (("reports:detail", [S, "alder", "2024-01"]), TEAM_A),
    "team A Feb edit": (("reports:edit", [S, "alder", "2024-02"]), TEAM_A),
    "team A Jan PDF": (("reports:pdf", [S, "alder", "2024-01"]), TEAM_A),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "fran", "dina", "olga", "anon"])
def test_page_access(rworld, page, person):
    submitted_report(rworld)
    (name, args), expected = PAGES[page]
    response = rworld.client(person).get(reverse(name, args=args))
    assert response.status_code == expected[person], (page, person)
    if expected[person] == 302:
        assert response.url.startswith(reverse("login"))


def test_session_page_for_participants_only(rworld):
    event = rworld.collaborative.events.get()
    url = reverse("reports:session", args=[S, event.pk])
    assert rworld.client("carol").get(url).status_code == 200
    assert rworld.client("olga").get(url).status_code == 404
    other = rworld.other_collaborative.events.create(
        kind="learning_session", title="Other LS", start="2024-01-01"
    )
    assert (
        rworld.client("dina").get(reverse("reports:session", args=[S, other.pk])).status_code == 404
    )
    # An all-team call is not a learning session page.
    call = rworld.collaborative.events.create(
        kind="all_team_call", title="Call", start="2024-02-01"
    )
    assert (
        rworld.client("dina").get(reverse("reports:session", args=[S, call.pk])).status_code == 404
    )


def test_sharing_setting_lets_other_teams_read_narratives_but_not_scores(rworld):
    submitted_report(rworld, score="3.5")
    url = reverse("reports:detail", args=[S, "alder", "2024-01"])
    assert rworld.client("carol").get(url).status_code == 404
    ReportSettings.objects.create(collaborative=rworld.collaborative, sharing="narrative")
    page = rworld.client("carol").get(url)
    assert page.status_code == 200
    assert "Ran the daily match" in page.content.decode()
    assert "Self-assessment" not in page.content.decode()
    # Reading is not writing.
    edit = reverse("reports:edit", args=[S, "alder", "2024-02"])
    assert rworld.client("carol").get(edit).status_code == 403
    ReportSettings.objects.filter(collaborative=rworld.collaborative).update(sharing="all")
    assert "3.5" in rworld.client("carol").get(url).content.decode()
    # A team that keeps its work faculty-only is never shown, whatever the setting.
    rworld.team_a.data_visibility = "faculty_only"
    rworld.team_a.save()
    assert rworld.client("carol").get(url).status_code == 404


POSTS = {
    # name: (url name, extra args, data, {person: expected status})
    "save draft": (
        "reports:edit",
        "2024-02",
        {"achievements": "x", "edit_version": 1, "save": "1"},
        dict(carol=404, olga=404, anon=302, alice=302),
    ),
    "autosave": (
        "reports:autosave",
        "2024-02",
        {"achievements": "x", "edit_version": 1},
        dict(alice=200, carol=404, olga=404, anon=302),
    ),
    "skip": (
        "reports:skip",
        "2024-02",
        {"reason": "On leave"},
        dict(bob=302, carol=404, olga=404, anon=302),
    ),
    "reopen": (
        "reports:reopen",
        "2024-01",
        {"reason": "Fix M1"},
        dict(carol=404, olga=404, anon=302, alice=302),
    ),
    "score": (
        "reports:score",
        "2024-01",
        {"score": "2.0", "justification": "ok"},
        dict(alice=403, carol=403, fran=403, olga=404, anon=302, dina=302),
    ),
    "reconcile": (
        "reports:reconcile",
        "2024-01",
        {"agreed-score": "2.0", "agreed-justification": "ok"},
        dict(alice=403, fran=403, olga=404, anon=302),
    ),
    "acknowledge": (
        "reports:acknowledge",
        "2024-01",
        {},
        dict(bob=403, carol=404, olga=404, anon=302, sara=302),
    ),
}


@pytest.mark.parametrize("action", POSTS)
def test_actions_refused_to_those_who_may_not(rworld, action):
    name, month, data, expected = POSTS[action]
    submitted_report(rworld)
    url = reverse(name, args=[S, "alder", month])
    for person, status in expected.items():
        client = rworld.client(person) if person != "sara" else rworld.client(None)
        if person == "sara":
            client.force_login(rworld.sara)
        response = client.post(url, data)
        assert response.status_code == status, (action, person, response.status_code)


def test_session_actions_are_staff_only(rworld):
    event = rworld.collaborative.events.get()
    for name, data in [
        ("reports:add-presenter", {"team": rworld.team_a.pk}),
        ("reports:attendance", {"present": [rworld.alice.pk]}),
        ("reports:add-agenda-item", {"title": "Welcome"}),
        ("reports:add-material", {"title": "Slides", "url": "https://example.org/s"}),
    ]:
        url = reverse(name, args=[S, event.pk])
        assert rworld.client("alice").post(url, data).status_code == 403, name
        assert rworld.client("olga").post(url, data).status_code == 404, name
        assert rworld.client("fran").post(url, data).status_code == 302, name
    assert event.presenters.count() == 1 and event.agenda.count() == 1
    assert event.attendance.filter(person=rworld.alice, attended=True).exists()
    for name, pk in [
        ("reports:remove-presenter", event.presenters.get().pk),
        ("reports:remove-agenda-item", event.agenda.get().pk),
    ]:
        url = reverse(name, args=[S, event.pk, pk])
        assert rworld.client("alice").post(url).status_code == 403, name
        assert rworld.client("carol").post(url).status_code == 403, name
    assert event.presenters.count() == 1 and event.agenda.count() == 1
    for name in ("settings", "edit-scale"):
        assert rworld.client("alice").post(reverse(f"reports:{name}", args=[S])).status_code == 403


def test_storyboards_upload_by_team_and_download_by_readers(rworld, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    event = rworld.collaborative.events.get()
    url = reverse("reports:upload-storyboard", args=[S, event.pk])

    def pdf():
        return SimpleUploadedFile("board.pdf", b"%PDF-1.4 board", content_type="application/pdf")

    # Carol (team B) may not upload team A's storyboard.
    r = rworld.client("carol").post(url, {"team": rworld.team_a.pk, "title": "A", "file": pdf()})
    assert r.status_code == 403
    r = rworld.client("bob").post(url, {"team": rworld.team_a.pk, "title": "Alder", "file": pdf()})
    assert r.status_code == 302
    board = Storyboard.objects.get()
    download = reverse("reports:storyboard", args=[S, event.pk, board.pk])
    assert rworld.client("bob").get(download).status_code == 200
    assert rworld.client("carol").get(download).status_code == 200  # team A shares its work
    assert rworld.client("olga").get(download).status_code == 404
    rworld.team_a.data_visibility = "faculty_only"
    rworld.team_a.save()
    assert rworld.client("carol").get(download).status_code == 404
    assert rworld.client("fran").get(download).status_code == 200
