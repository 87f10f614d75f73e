"""Every foundation page, for every person of the test base: who may see it and who may not."""

import pytest
from django.urls import reverse

# Expected status per person: alice (lead, team A), bob (member, A), carol (member, B),
# fran (faculty), dina (director), olga (outside), anon (302 to the log-in page).
PAGES = {
    "home": (
        ("collaboratives:home", []),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=200, anon=302),
    ),
    "collaborative": (
        ("collaboratives:detail", ["testbsc"]),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302),
    ),
    "calendar": (
        ("collaboratives:calendar", ["testbsc"]),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302),
    ),
    "people": (
        ("collaboratives:people", ["testbsc"]),
        dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302),
    ),
    "history": (
        ("collaboratives:history", ["testbsc"]),
        dict(alice=403, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302),
    ),
    "team A": (
        ("teams:detail", ["testbsc", "alder"]),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302),
    ),
    "edit team A": (
        ("teams:edit", ["testbsc", "alder"]),
        dict(alice=200, bob=403, carol=403, fran=200, dina=200, olga=404, anon=302),
    ),
    "change package": (
        ("changes:current", ["testbsc"]),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302),
    ),
    "measures": (
        ("measures:list", ["testbsc"]),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=404, anon=302),
    ),
    "settings": (
        ("accounts:settings", []),
        dict(alice=200, bob=200, carol=200, fran=200, dina=200, olga=200, anon=302),
    ),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("person", ["alice", "bob", "carol", "fran", "dina", "olga", "anon"])
def test_page_access(world, page, person):
    (name, args), expected = PAGES[page]
    response = world.client(person).get(reverse(name, args=args))
    assert response.status_code == expected[person], (page, person)
    if expected[person] == 302:
        assert response.url.startswith(reverse("login"))


def test_event_page_is_for_participants_only(world):
    event = world.collaborative.events.get()
    url = reverse("collaboratives:event", args=["testbsc", event.pk])
    assert world.client("carol").get(url).status_code == 200
    assert world.client("olga").get(url).status_code == 404
    # An event id of another collaborative is not reachable through this one.
    other = world.other_collaborative.events.create(
        kind="webinar", title="Other", start="2024-01-01"
    )
    assert (
        world.client("dina")
        .get(reverse("collaboratives:event", args=["testbsc", other.pk]))
        .status_code
        == 404
    )


def test_unknown_collaborative_and_team_are_404(world):
    assert (
        world.client("dina").get(reverse("collaboratives:detail", args=["nope"])).status_code == 404
    )
    assert (
        world.client("dina").get(reverse("teams:detail", args=["testbsc", "oak"])).status_code
        == 404
    )


def test_home_lists_only_own_collaboratives(world):
    body = world.client("alice").get(reverse("collaboratives:home")).content.decode()
    assert "Test Collaborative" in body and "Other Collaborative" not in body
    body = world.client("olga").get(reverse("collaboratives:home")).content.decode()
    assert "Other Collaborative" in body and "Test Collaborative" not in body


def test_member_of_other_team_cannot_change_team(world):
    url = reverse("teams:edit", args=["testbsc", "alder"])
    response = world.client("carol").post(
        url, {"aim": "Hijacked", "data_visibility": "collaborative", "edit_version": 1}
    )
    assert response.status_code == 403
    world.team_a.refresh_from_db()
    assert world.team_a.aim == ""


def test_team_lead_changes_own_team(world):
    url = reverse("teams:edit", args=["testbsc", "alder"])
    response = world.client("alice").post(
        url, {"aim": "Identify 90% at arrest", "data_visibility": "faculty_only", "edit_version": 1}
    )
    assert response.status_code == 302
    world.team_a.refresh_from_db()
    assert world.team_a.aim == "Identify 90% at arrest"
    assert world.team_a.data_visibility == "faculty_only"
    assert world.team_a.edit_version == 2


def test_concurrent_team_edit_is_not_overwritten(world):
    url = reverse("teams:edit", args=["testbsc", "alder"])
    first = world.client("alice").post(
        url, {"aim": "Alice's aim", "data_visibility": "collaborative", "edit_version": 1}
    )
    assert first.status_code == 302
    second = world.client("dina").post(
        url, {"aim": "Dina's aim", "data_visibility": "collaborative", "edit_version": 1}
    )
    assert second.status_code == 409
    assert "saved this team while you were editing" in second.content.decode()
    world.team_a.refresh_from_db()
    assert world.team_a.aim == "Alice's aim"


def test_staff_and_sharing_rules(world):
    from breakthrough.collaboratives.access import standing_for

    c = world.collaborative
    assert standing_for(world.dina, c).can_edit_team(world.team_b)
    carol = standing_for(world.carol, c)
    assert carol.can_read_team(world.team_a) and not carol.can_edit_team(world.team_a)
    world.team_a.data_visibility = "faculty_only"
    assert not carol.can_read_team(world.team_a)
    assert standing_for(world.fran, c).can_read_team(world.team_a)
    world.team_a.data_visibility = "collaborative"
    c.teams_share_work = False
    assert not carol.can_read_team(world.team_a)
    assert standing_for(world.bob, c).can_read_team(world.team_a)


def test_admin_is_for_platform_staff_only(world):
    assert world.client("dina").get("/admin/").status_code == 302
    world.dina.is_staff = True
    world.dina.save()
    assert world.client("dina").get("/admin/").status_code == 200
