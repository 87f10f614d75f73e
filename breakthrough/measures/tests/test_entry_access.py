"""Who may see and change the data-entry, measure-set and import pages (every person).

alice (lead, A), bob (member, A: no data rights), carol (member, B), dana (data contact, A),
cora (coach of A), fran (faculty), dina (director), olga (outside), anon (log-in page).
"""

import pytest
from django.urls import reverse

from breakthrough.measures.actions import ValueRow
from breakthrough.measures.submissions import do_save_draft, do_submit_measures

S = "testbsc"
PEOPLE = ["alice", "bob", "carol", "dana", "cora", "fran", "dina", "olga", "anon"]
TEAM_A = dict(alice=200, bob=200, carol=404, dana=200, cora=200, fran=200, dina=200, olga=404)
ENTRY = dict(alice=200, bob=403, carol=403, dana=200, cora=200, fran=200, dina=200, olga=404)
STAFF = dict(alice=403, bob=403, carol=403, dana=403, cora=200, fran=200, dina=200, olga=404)

PAGES = {
    "data index": (("measures:entry-index", [S, "alder"]), TEAM_A),
    "data month": (("measures:entry", [S, "alder", "2024-01"]), TEAM_A),
    "team measures": (("measures:team", [S, "alder"]), TEAM_A),
    "edit measure": (("measures:edit", [S, "M1"]), STAFF),
    "import": (("measures:import", [S]), ENTRY),
    "template": (("measures:template", [S]), ENTRY),
    "export": (("measures:export", [S]), ENTRY),
    "measure list": (("measures:list", [S]), dict.fromkeys(PEOPLE, 200) | {"olga": 404}),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("person", PEOPLE)
def test_page_access(mworld, page, person):
    (name, args), expected = PAGES[page]
    response = mworld.client(person).get(reverse(name, args=args))
    if person == "anon":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected[person], (page, person)


def _filled(mworld):
    return {"v|M1||numerator": "10", "v|M1||denominator": "20", "v|M2||value": "3"}


WRITE_A = dict(alice=302, bob=403, carol=404, dana=302, cora=302, fran=302, dina=302, olga=404)
LEAD_A = dict(alice=302, bob=403, carol=404, dana=403, cora=302, fran=302, dina=302, olga=404)


@pytest.mark.parametrize("person", PEOPLE)
def test_save_draft_access(mworld, person):
    url = reverse("measures:entry", args=[S, "alder", "2024-01"])
    response = mworld.client(person).post(url, _filled(mworld))
    expected = 302 if person == "anon" else WRITE_A[person]
    assert response.status_code == expected, person
    saved = mworld.team_a.values.filter(period=mworld.periods[0]).count()
    assert saved == (2 if expected == 302 and person != "anon" else 0)


@pytest.mark.parametrize("person", PEOPLE)
def test_autosave_access(mworld, person):
    url = reverse("measures:entry-autosave", args=[S, "alder", "2024-01"])
    response = mworld.client(person).post(url, _filled(mworld))
    expected = {302: 200}.get(WRITE_A.get(person, 302), WRITE_A.get(person))
    if person == "anon":
        expected = 302
    assert response.status_code == expected, person


def _submitted(mworld):
    team, period = mworld.team_a, mworld.periods[0]
    do_save_draft(
        team,
        period,
        rows=[ValueRow("M1", numerator=1, denominator=2), ValueRow("M2", value=1)],
        person=mworld.dana,
    )
    do_submit_measures(team, period, person=mworld.dana)


@pytest.mark.parametrize("person", PEOPLE)
def test_reopen_access(mworld, person):
    _submitted(mworld)
    url = reverse("measures:entry-reopen", args=[S, "alder", "2024-01"])
    response = mworld.client(person).post(url, {"reason": "fix"})
    expected = 302 if person == "anon" else LEAD_A[person]
    assert response.status_code == expected, person
    state = mworld.team_a.submissions.get(period=mworld.periods[0]).state
    assert state == ("reopened" if expected == 302 and person != "anon" else "submitted")


@pytest.mark.parametrize("person", PEOPLE)
def test_skip_access(mworld, person):
    url = reverse("measures:entry-skip", args=[S, "alder", "2024-02"])
    response = mworld.client(person).post(url, {"reason": "on leave"})
    expected = 302 if person == "anon" else LEAD_A[person]
    assert response.status_code == expected, person
    skipped = mworld.team_a.submissions.filter(state="skipped").exists()
    assert skipped == (expected == 302 and person != "anon")


@pytest.mark.parametrize("person", PEOPLE)
def test_choose_measures_access(mworld, person):
    url = reverse("measures:team", args=[S, "alder"])
    response = mworld.client(person).post(url, {"measure": "M9", "active": "1"})
    expected = 302 if person == "anon" else LEAD_A[person]
    assert response.status_code == expected, person
    on = mworld.team_a.team_measures.filter(measure=mworld.optional, active=True).exists()
    assert on == (expected == 302 and person != "anon")


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_measure_access(mworld, person):
    url = reverse("measures:edit", args=[S, "M1"])
    data = {
        "name": "Early identification",
        "definition": "New wording",
        "direction": "up",
        "goal": "80",
        "goal_basis": "absolute",
        "edit_version": "1",
    }
    response = mworld.client(person).post(url, data)
    expected = 302 if person == "anon" else STAFF[person] if STAFF[person] != 200 else 302
    assert response.status_code == expected, person
    mworld.measure.refresh_from_db()
    assert (mworld.measure.goal == 80) == (expected == 302 and person != "anon")


def test_other_teams_data_is_404_even_for_a_lead(mworld):
    assert (
        mworld.client("alice")
        .get(reverse("measures:entry", args=[S, "birch", "2024-01"]))
        .status_code
        == 404
    )
    assert (
        mworld.client("carol").get(reverse("measures:entry-index", args=[S, "alder"])).status_code
        == 404
    )


def test_unknown_month_is_404(mworld):
    for month in ("2030-01", "junk"):
        url = reverse("measures:entry", args=[S, "alder", month])
        assert mworld.client("alice").get(url).status_code == 404


def test_team_member_export_holds_only_own_team(mworld):
    from breakthrough.measures.actions import do_upsert_measure_values

    for team, person in ((mworld.team_a, mworld.dana), (mworld.team_b, mworld.carol)):
        do_upsert_measure_values(
            team=team, period=mworld.periods[0], rows=[ValueRow("M2", value=7)], person=person
        )
    body = mworld.client("dana").get(reverse("measures:export", args=[S])).content.decode()
    assert "alder" in body and "birch" not in body
    body = mworld.client("dina").get(reverse("measures:export", args=[S])).content.decode()
    assert "alder" in body and "birch" in body
    # A member asking for another team's export gets a 404.
    url = reverse("measures:export", args=[S]) + "?team=birch"
    assert mworld.client("dana").get(url).status_code == 404
