"""The measure set: versioned definitions, the collaborative goal, optional and custom measures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from breakthrough.concurrency import EditConflict
from breakthrough.measures.actions import (
    do_create_custom_measure,
    do_set_team_measure,
    do_update_measure,
)
from breakthrough.measures.models import Measure, TeamMeasure

S = "testbsc"
pytestmark = pytest.mark.django_db


def test_definition_change_bumps_version_and_effective_from(mworld):
    m = mworld.measure
    do_update_measure(m, expected_version=1, goal=80)
    m.refresh_from_db()
    assert (m.version, m.effective_from, m.goal) == (1, None, 80)  # a goal is not a definition
    do_update_measure(
        m,
        expected_version=m.edit_version,
        definition="Youth identified within 24 hours of arrest.",
        effective_from=date(2024, 4, 1),
    )
    m.refresh_from_db()
    assert (m.version, m.effective_from) == (2, date(2024, 4, 1))
    versions = [(h.version, h.definition) for h in m.history.order_by("history_date")]
    assert versions[0] == (1, "Share of CW-involved youth identified at arrest.")
    assert versions[-1] == (2, "Youth identified within 24 hours of arrest.")
    # Without a date the new version starts this month.
    do_update_measure(m, expected_version=m.edit_version, numerator_definition="Identified")
    m.refresh_from_db()
    assert m.version == 3 and m.effective_from.day == 1


def test_concurrent_definition_edits_conflict(mworld):
    first = Measure.objects.get(pk=mworld.measure.pk)
    second = Measure.objects.get(pk=mworld.measure.pk)
    do_update_measure(first, expected_version=1, definition="First wording")
    with pytest.raises(EditConflict) as error:
        do_update_measure(second, expected_version=1, definition="Second wording")
    assert [c.name for c in error.value.changes] == ["definition"]
    assert Measure.objects.get(pk=mworld.measure.pk).definition == "First wording"


def test_edit_page_conflict_keeps_input(mworld):
    client = mworld.client("fran")
    url = reverse("measures:edit", args=[S, "M1"])
    do_update_measure(mworld.measure, expected_version=1, definition="Someone else's")
    response = client.post(
        url,
        {
            "name": "Early identification",
            "definition": "Mine",
            "direction": "up",
            "goal_basis": "absolute",
            "edit_version": "1",
        },
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "saved this measure while you were editing" in html and "Mine" in html


def test_optional_measures_switch_on_and_off_mandatory_stay(mworld):
    tm = do_set_team_measure(mworld.team_a, mworld.optional, active=True)
    assert tm.active
    do_set_team_measure(mworld.team_a, mworld.optional, active=False)
    assert not TeamMeasure.objects.get(pk=tm.pk).active
    with pytest.raises(ValidationError, match="every team reports it"):
        do_set_team_measure(mworld.team_a, mworld.measure, active=False)


def test_custom_measure_belongs_to_its_team(mworld):
    m = do_create_custom_measure(
        mworld.team_a,
        code="AL1",
        name="Joint case plans",
        kind="process",
        data_type="count",
        definition="Joint case plans signed this month.",
    )
    assert (m.scope, m.owner_team) == ("custom", mworld.team_a)
    assert TeamMeasure.objects.filter(team=mworld.team_a, measure=m, active=True).exists()
    with pytest.raises(ValidationError, match="another team's custom measure"):
        do_set_team_measure(mworld.team_b, m, active=True)
    with pytest.raises(ValidationError, match="already has a measure AL1"):
        do_create_custom_measure(
            mworld.team_b, code="AL1", name="x", kind="process", data_type="count"
        )
    # Team B and its members do not see it; team A and staff do.
    list_url = reverse("measures:list", args=[S])
    assert "Joint case plans" not in mworld.client("carol").get(list_url).content.decode()
    assert "Joint case plans" in mworld.client("bob").get(list_url).content.decode()
    assert "Joint case plans" in mworld.client("fran").get(list_url).content.decode()
    # And it appears on team A's entry form.
    entry = reverse("measures:entry", args=[S, "alder", "2024-01"])
    assert 'name="v|AL1||value"' in mworld.client("dana").get(entry).content.decode()


def test_custom_measure_form_through_page(mworld):
    url = reverse("measures:team", args=[S, "alder"])
    data = {
        "code": "AL2",
        "name": "Cross-system meetings",
        "kind": "process",
        "data_type": "count",
        "definition": "Meetings held with both agencies present.",
        "multiplier": "1",
        "direction": "up",
    }
    assert mworld.client("alice").post(url, data).status_code == 302
    assert Measure.objects.get(code="AL2").owner_team == mworld.team_a
    response = mworld.client("alice").post(url, {**data, "definition": ""})
    assert response.status_code == 400
    response = mworld.client("alice").post(url, data)
    assert "already has a measure AL2" in response.content.decode()


def test_measure_list_shows_version_and_edit_link_for_staff(mworld):
    do_update_measure(
        mworld.measure, expected_version=1, definition="New", effective_from=date(2024, 3, 1)
    )
    url = reverse("measures:list", args=[S])
    staff = mworld.client("fran").get(url).content.decode()
    assert "(version 2, from Mar 2024)" in staff and "Edit the definition or goal" in staff
    member = mworld.client("bob").get(url).content.decode()
    assert "Edit the definition or goal" not in member


def test_measure_list_query_count_is_pinned(mworld, django_assert_max_num_queries):
    client = mworld.client("fran")
    url = reverse("measures:list", args=[S])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
