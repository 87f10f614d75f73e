"""Every PDSA page and action, for every person of the test base: who may and who may not.

alice leads team A and bob is on it; carol is on team B; fran is faculty, dina the director;
olga belongs to another collaborative; anon is not logged in.
"""

import pytest
from django.urls import reverse

from breakthrough.pdsa.models import PDSACycle

from .helpers import decide, plan

PEOPLE = ["alice", "bob", "carol", "fran", "dina", "olga", "anon"]
READ = dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302)
WRITE = dict(alice=200, bob=200, carol=403, fran=200, dina=200, olga=404, anon=302)


@pytest.fixture
def cycle(world):
    return plan(world)


def pages(world, cycle):
    s, a = "testbsc", world.team_a.slug
    return {
        "overview": (reverse("pdsa:overview", args=[s]), READ),
        "board": (reverse("pdsa:board", args=[s, a]), READ),
        "new": (reverse("pdsa:new", args=[s, a]), WRITE),
        "detail": (reverse("pdsa:detail", args=[s, cycle.pk]), READ),
        "edit": (reverse("pdsa:edit", args=[s, cycle.pk]), WRITE),
        "ramp": (reverse("pdsa:ramp", args=[s, cycle.ramp_id]), READ),
        "clone": (reverse("pdsa:clone", args=[s, cycle.pk]), READ),
        "matrix": (reverse("pdsa:matrix", args=[s]), READ),
        "matrix csv": (reverse("pdsa:matrix-export", args=[s, "csv"]), READ),
        "matrix xlsx": (reverse("pdsa:matrix-export", args=[s, "xlsx"]), READ),
        "library": (reverse("pdsa:library", args=[s]), READ),
        "team page": (reverse("teams:detail", args=[s, a]), READ),
    }


@pytest.mark.parametrize(
    "page",
    ["overview", "board", "new", "detail", "edit", "ramp", "clone", "matrix", "matrix csv",
     "matrix xlsx", "library", "team page"],
)  # fmt: skip
def test_page_access(world, cycle, page):
    url, expected = pages(world, cycle)[page]
    got = {}
    for person in PEOPLE:
        response = world.client(person).get(url)
        got[person] = response.status_code
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))
    assert got == expected


def test_faculty_only_team_is_hidden_from_other_teams(world, cycle):
    world.team_a.data_visibility = "faculty_only"
    world.team_a.save(update_fields=["data_visibility"])
    expected = dict(alice=200, bob=200, carol=404, fran=200, dina=200, olga=404, anon=302)
    for url in (
        reverse("pdsa:detail", args=["testbsc", cycle.pk]),
        reverse("pdsa:ramp", args=["testbsc", cycle.ramp_id]),
        reverse("pdsa:board", args=["testbsc", "alder"]),
    ):
        got = {p: world.client(p).get(url).status_code for p in PEOPLE}
        assert got == expected, url


def test_sharing_off_hides_other_teams_work(world, cycle):
    world.collaborative.teams_share_work = False
    world.collaborative.save(update_fields=["teams_share_work"])
    carol = world.client("carol")
    assert carol.get(reverse("pdsa:detail", args=["testbsc", cycle.pk])).status_code == 404
    library = carol.get(reverse("pdsa:library", args=["testbsc"]))
    assert cycle.title not in library.content.decode()
    matrix = carol.get(reverse("pdsa:matrix", args=["testbsc"]))
    assert "Alder County" not in matrix.content.decode()


def test_a_cycle_of_another_collaborative_is_404(world, cycle):
    assert (
        world.client("olga").get(reverse("pdsa:detail", args=["other", cycle.pk])).status_code
        == 404
    )
    assert (
        world.client("dina").get(reverse("pdsa:detail", args=["other", cycle.pk])).status_code
        == 404
    )


ACTIONS = ["advance", "step-back", "decide", "next", "delete", "attach", "autosave"]


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_refused(world, cycle, action):
    before = PDSACycle.objects.get(pk=cycle.pk)
    url = reverse(f"pdsa:{action}", args=["testbsc", cycle.pk])
    got = {
        p: world.client(p).post(url, {"to": "doing", "decision": "abandon"}).status_code
        for p in ("carol", "olga", "anon")
    }
    assert got == {"carol": 403, "olga": 404, "anon": 302}
    after = PDSACycle.objects.get(pk=cycle.pk)
    assert (after.state, after.edit_version, after.decision) == (
        before.state,
        before.edit_version,
        before.decision,
    )
    assert PDSACycle.objects.count() == 1


def test_team_and_staff_move_the_cycle(world, cycle):
    url = reverse("pdsa:advance", args=["testbsc", cycle.pk])
    back = reverse("pdsa:step-back", args=["testbsc", cycle.pk])
    for person in ("alice", "bob", "fran", "dina"):
        assert world.client(person).post(url, {"to": "doing"}).status_code == 302
        assert PDSACycle.objects.get(pk=cycle.pk).state == "doing"
        assert world.client(person).post(back).status_code == 302
        assert PDSACycle.objects.get(pk=cycle.pk).state == "planned"


def test_gets_are_refused_on_post_only_actions(world, cycle):
    url = reverse("pdsa:advance", args=["testbsc", cycle.pk])
    assert world.client("alice").get(url).status_code == 405


def test_new_cycle_autosave_access(world):
    url = reverse("pdsa:new-autosave", args=["testbsc", "alder"])
    got = {p: world.client(p).post(url, {"title": "x"}).status_code for p in PEOPLE}
    # 400: allowed, but the draft lacks a change idea.
    assert got == dict(alice=400, bob=400, carol=403, fran=400, dina=400, olga=404, anon=302)


def test_other_team_clones_into_its_own_team_only(world, cycle):
    carol = world.client("carol")
    url = reverse("pdsa:clone", args=["testbsc", cycle.pk])
    refused = carol.post(url, {"team": world.team_a.pk})
    assert refused.status_code == 400
    assert PDSACycle.objects.count() == 1
    response = carol.post(url, {"team": world.team_b.pk})
    clone = PDSACycle.objects.exclude(pk=cycle.pk).get()
    assert response.status_code == 302 and response.url == f"/c/testbsc/pdsas/{clone.pk}/"
    assert clone.team == world.team_b and clone.cloned_from == cycle


def test_staff_may_clone_into_any_team(world, cycle):
    response = world.client("fran").post(
        reverse("pdsa:clone", args=["testbsc", cycle.pk]), {"team": world.team_b.pk}
    )
    assert response.status_code == 302
    assert PDSACycle.objects.filter(team=world.team_b).count() == 1


def test_decided_cycle_is_read_only_for_other_teams(world):
    cycle, _ = decide(plan(world), "adopt")
    page = world.client("carol").get(reverse("pdsa:detail", args=["testbsc", cycle.pk]))
    html = page.content.decode()
    assert "Edit the worksheet" not in html and "Clone into my team" in html
    own = (
        world.client("bob").get(reverse("pdsa:detail", args=["testbsc", cycle.pk])).content.decode()
    )
    assert "Edit the worksheet" in own


def test_allowed_paths_of_the_other_actions(world):
    from breakthrough.pdsa.tests.helpers import to_decided

    alice = world.client("alice")
    cycle = to_decided(plan(world))
    decide_url = reverse("pdsa:decide", args=["testbsc", cycle.pk])
    response = alice.post(decide_url, {"decision": "expand_scale", "next_steps": "Go wider"})
    assert response.status_code == 302 and response.url == f"/c/testbsc/pdsas/{cycle.pk}/"
    # Without "start the next cycle", it is started later from the cycle page.
    response = alice.post(reverse("pdsa:next", args=["testbsc", cycle.pk]))
    second = PDSACycle.objects.get(cycle_no=2)
    assert response.url == f"/c/testbsc/pdsas/{second.pk}/"
    assert alice.post(reverse("pdsa:next", args=["testbsc", cycle.pk])).status_code == 400
    response = world.client("fran").post(reverse("pdsa:delete", args=["testbsc", second.pk]))
    assert response.status_code == 302 and response.url == "/c/testbsc/teams/alder/pdsas/"
    assert not PDSACycle.objects.filter(pk=second.pk).exists()
    response = alice.post(reverse("pdsa:step-back", args=["testbsc", cycle.pk]))
    assert response.status_code == 302
    assert PDSACycle.objects.get(pk=cycle.pk).decision == ""


def test_lesson_and_version_pages_for_everyone(world):
    urls = {
        reverse("changes:lessons", args=["testbsc"]): READ,
        reverse("changes:lesson-new", args=["testbsc"]): READ,
        reverse("changes:node", args=["testbsc", "1.0", world.idea.pk]): READ,
        reverse("changes:current", args=["testbsc"]): READ,
    }
    for url, expected in urls.items():
        got = {p: world.client(p).get(url).status_code for p in PEOPLE}
        assert got == expected, url
