"""Every publications page and action, for every person of the test base: who may and who may not.

alice leads team A and bob is on it; carol is on team B; fran is faculty, dina the director;
olga belongs to another collaborative; anon is not logged in. Faculty read the final report and
the practice model; the director and staff change them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from breakthrough.publications.models import Build, FinalReport, TeamStoryboard

PEOPLE = ["alice", "bob", "carol", "fran", "dina", "olga", "anon"]
# Draft final report and model: staff and observers read; members wait for publication.
STAFF_READ = dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302)
STAFF_WRITE = dict(alice=403, bob=403, carol=403, fran=403, dina=200, olga=404, anon=302)
TEAM_READ = dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302)
TEAM_WRITE = dict(alice=200, bob=200, carol=403, fran=200, dina=200, olga=404, anon=302)
ALL_READ = TEAM_READ


def pages(p):
    s, a = "testbsc", p.world.team_a.slug
    section = p.report.sections.get(key="results")
    return {
        "final": (reverse("publications:final", args=[s]), STAFF_READ),
        "section edit": (reverse("publications:section-edit", args=[s, section.pk]), STAFF_WRITE),
        "model": (reverse("publications:model", args=[s]), STAFF_READ),
        "phase new": (reverse("publications:phase-new", args=[s]), STAFF_WRITE),
        "phase edit": (reverse("publications:phase-edit", args=[s, p.phase.pk]), STAFF_WRITE),
        "practice new": (reverse("publications:practice-new", args=[s]), STAFF_WRITE),
        "practice edit": (
            reverse("publications:practice-edit", args=[s, p.practice.pk]),
            STAFF_WRITE,
        ),
        "storyboards": (reverse("publications:storyboards", args=[s]), ALL_READ),
        "storyboard": (reverse("publications:storyboard", args=[s, a]), TEAM_READ),
        "storyboard edit": (reverse("publications:storyboard-edit", args=[s, a]), TEAM_WRITE),
        "storyboard pdf": (
            reverse("publications:storyboard-export", args=[s, a, "pdf"]),
            TEAM_READ,
        ),
        "storyboard docx": (
            reverse("publications:storyboard-export", args=[s, a, "docx"]),
            TEAM_READ,
        ),
    }


PAGES = [
    "final", "section edit", "model", "phase new", "phase edit", "practice new", "practice edit",
    "storyboards", "storyboard", "storyboard edit", "storyboard pdf", "storyboard docx",
]  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_page_access(pworld, page):
    url, expected = pages(pworld)[page]
    got = {}
    for person in PEOPLE:
        response = pworld.world.client(person).get(url)
        got[person] = response.status_code
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))
    assert got == expected


def test_members_read_the_final_report_and_model_once_published(pworld):
    pworld.report.status = FinalReport.Status.PUBLISHED
    pworld.report.save(update_fields=["status"])
    pworld.model.status = "published"
    pworld.model.save(update_fields=["status"])
    for name in ("final", "model"):
        url = reverse(f"publications:{name}", args=["testbsc"])
        assert pworld.world.client("carol").get(url).status_code == 200
        assert pworld.world.client("olga").get(url).status_code == 404


def test_other_teams_see_storyboards_only_when_sharing_is_on(pworld):
    w = pworld.world
    url = reverse("publications:storyboard", args=["testbsc", w.team_a.slug])
    pdf = reverse("publications:storyboard-export", args=["testbsc", w.team_a.slug, "pdf"])
    assert w.client("carol").get(url).status_code == 200
    w.team_a.data_visibility = "faculty_only"
    w.team_a.save(update_fields=["data_visibility"])
    assert w.client("carol").get(url).status_code == 404
    assert w.client("carol").get(pdf).status_code == 404
    assert w.client("fran").get(url).status_code == 200
    listing = w.client("carol").get(reverse("publications:storyboards", args=["testbsc"]))
    assert w.team_a.name not in listing.content.decode()
    w.team_a.data_visibility = "collaborative"
    w.team_a.save(update_fields=["data_visibility"])
    w.collaborative.teams_share_work = False
    w.collaborative.save(update_fields=["teams_share_work"])
    assert w.client("carol").get(url).status_code == 404
    assert w.client("alice").get(url).status_code == 200


POSTS = {
    "generate": ("publications:final-generate", [], {}),
    "final settings": (
        "publications:final-settings",
        [],
        {"title": "T", "status": "draft", "edit_version": 1},
    ),
    "section autosave": ("publications:section-autosave", ["section"], {"title": "X", "body": "y"}),
    "build": ("publications:build-start", [], {"kind": "final", "format": "html"}),
    "model create": ("publications:model-create", [], {}),
    "model settings": (
        "publications:model-settings",
        [],
        {"title": "M", "status": "draft", "edit_version": 1},
    ),
    "next package": ("publications:model-to-package", [], {"version": "9.0"}),
}


@pytest.mark.parametrize("action", list(POSTS))
def test_staff_actions_refused_to_those_who_may_not(pworld, action):
    name, extra, data = POSTS[action]
    args = ["testbsc"]
    if extra:
        args.append(pworld.report.sections.get(key="results").pk)
    url = reverse(name, args=args)
    got = {p: pworld.world.client(p).post(url, data).status_code for p in PEOPLE if p != "dina"}
    assert got == dict(alice=403, bob=403, carol=403, fran=403, olga=404, anon=302)
    assert not Build.objects.exists()
    assert pworld.report.sections.get(key="results").title == "Results by component"


def test_storyboard_autosave_refused_to_other_teams(pworld):
    w = pworld.world
    url = reverse("publications:storyboard-autosave", args=["testbsc", w.team_a.slug])
    data = {"title": "Ours", "aim": "x"}
    got = {p: w.client(p).post(url, data).status_code for p in ("carol", "olga", "anon")}
    assert got == dict(carol=403, olga=404, anon=302)
    assert not TeamStoryboard.objects.exists()
    assert w.client("bob").post(url, data).status_code == 200
    assert TeamStoryboard.objects.get().title == "Ours"


def test_builds_are_read_by_editors_only(pworld):
    w = pworld.world
    response = w.client("dina").post(
        reverse("publications:build-start", args=["testbsc"]), {"kind": "final", "format": "html"}
    )
    build = Build.objects.get()
    assert response.status_code == 302
    for name in ("publications:build", "publications:build-download"):
        url = reverse(name, args=["testbsc", build.pk])
        got = {p: w.client(p).get(url).status_code for p in PEOPLE}
        assert got == dict(alice=403, bob=403, carol=403, fran=403, dina=200, olga=404, anon=302)


def test_public_page_off_by_default_then_anyone_reads_it(pworld):
    url = reverse("publications:public", args=["testbsc"])
    assert pworld.world.client("anon").get(url).status_code == 404
    pworld.report.status = FinalReport.Status.PUBLISHED
    pworld.report.save(update_fields=["status"])
    assert pworld.world.client("anon").get(url).status_code == 404  # published, page still off
    pworld.report.public_page = True
    pworld.report.save(update_fields=["public_page"])
    for person in PEOPLE:
        assert pworld.world.client(person).get(url).status_code == 200
    pworld.report.status = FinalReport.Status.DRAFT
    pworld.report.save(update_fields=["status"])
    assert pworld.world.client("anon").get(url).status_code == 404


def test_storyboards_in_the_activity_feed_follow_sharing(pworld):
    from breakthrough.collaboratives.access import standing_for
    from breakthrough.collaboratives.activity import feed
    from breakthrough.publications import actions

    w = pworld.world
    actions.do_save_storyboard(w.team_a, expected_version=None, by=w.alice, title="Alder story")

    def titles(person):
        items = feed(standing_for(getattr(w, person), w.collaborative), kinds=["storyboard"])
        return [i.title for i in items]

    assert titles("carol") == titles("fran") == ["Alder story"]
    w.team_a.data_visibility = "faculty_only"
    w.team_a.save(update_fields=["data_visibility"])
    assert titles("carol") == []
    assert titles("fran") == ["Alder story"]


def test_list_and_report_pages_query_count_does_not_grow_with_teams(
    pworld, django_assert_max_num_queries
):
    from breakthrough.teams.models import Jurisdiction, Membership, Team

    w = pworld.world
    places = Jurisdiction.objects.bulk_create(
        Jurisdiction(name=f"County {i}", kind="rural") for i in range(25)
    )
    teams = Team.objects.bulk_create(
        Team(collaborative=w.collaborative, jurisdiction=j, name=f"T{i}", slug=f"t{i}")
        for i, j in enumerate(places)
    )
    Membership.objects.bulk_create(Membership(team=t, person=w.carol) for t in teams)
    client = w.client("dina")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publications:storyboards", args=["testbsc"])).status_code == 200
    with django_assert_max_num_queries(45):
        assert client.get(reverse("publications:final", args=["testbsc"])).status_code == 200
