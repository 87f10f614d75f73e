"""The chart specifications: numbers from the engine, annotations, phases, suppression, the
collaborative's pooled chart, small multiples, funnel plot and latest signals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from breakthrough.concurrency import EditConflict
from breakthrough.measures import chart_actions, charts
from breakthrough.measures.models import ChartNote, ChartPhase, Measure, MeasureValue, TeamMeasure
from breakthrough.pdsa.tests import helpers as pdsa
from breakthrough.spc import analyze_series

from .chart_helpers import FLAT, SHIFT, enter, months, standing


def _data_rows(vega: dict) -> list[dict]:
    for layer in vega["layer"]:
        values = layer.get("data", {}).get("values", [])
        if values and "centre" in values[0]:
            return values
    raise AssertionError("no data layer")


@pytest.fixture
def shifted(world):
    enter(world, world.team_a, SHIFT)
    enter(world, world.team_b, FLAT)
    return world


def test_spec_numbers_are_the_engines(shifted):
    w = shifted
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert spec.title == "M1 Early identification"
    r = analyze_series(
        spec.chart,
        SHIFT,
        n=[20] * 24,
        x=[row["date"] for row in spec.rows],
        multiply=100,
        rules="anhoej",
        improvement_direction="up",
    )
    assert spec.chart == "p"  # 24 values of a proportion: a P chart
    assert [row["value"] for row in spec.rows] == list(r.y)
    assert [row["centre"] for row in spec.rows] == list(r.cl)
    assert [row["upper"] for row in spec.rows] == list(r.ucl)
    assert [row["lower"] for row in spec.rows] == list(r.lcl)
    assert _data_rows(spec.vega) == spec.rows
    assert charts.chart_rows(spec) == spec.rows
    assert spec.status == r.status == "improvement"
    # signals by colour and shape, explained
    late = spec.rows[-1]
    assert late["signal"] == "Improvement" and late["signal_key"] == "improvement"
    assert "Shift" in late["explanation"]
    enc = _find_encoding(spec.vega, "shape")
    assert enc["scale"]["domain"] == list(charts.SIGNALS)
    assert enc["scale"]["range"] == list(charts.SIGNAL_SHAPES)
    # the rule set and the goal are named on the chart
    assert "Anhøj rules" in spec.vega["title"]["subtitle"]
    assert "Goal 75%" in spec.vega["title"]["subtitle"]
    assert spec.goal == 75


def _find_encoding(vega, channel):
    stack = [vega]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if channel in node.get("encoding", {}):
                return node["encoding"][channel]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise AssertionError(channel)


def test_rule_set_of_the_collaborative(shifted):
    w = shifted
    w.collaborative.rule_set = "ihi"
    w.collaborative.save()
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert spec.chart == "run" and spec.rules == "ihi"
    assert "IHI run-chart rules" in spec.subtitle


def test_render_svg_png_pdf_from_the_same_spec(shifted):
    w = shifted
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    svg = charts.render_chart(spec)
    assert svg.startswith("<svg") and "M1 Early identification" in svg
    assert charts.render_chart(spec, "png")[:4] == b"\x89PNG"
    assert charts.render_chart(spec.vega, "pdf")[:4] == b"%PDF"
    with pytest.raises(ValueError, match="svg, png or pdf"):
        charts.render_chart(spec, "gif")


def test_monthly_report_uses_the_real_charts(shifted):
    from breakthrough.reports import evidence

    w = shifted
    st = standing(w, "alice")
    period = months(w, 24)[11]
    drawn = evidence.measure_charts(w.team_a, period, st)
    assert len(drawn) == 1 and drawn[0][0] == "M1 Early identification"
    [spec] = charts.team_measure_charts(
        w.team_a, viewer_standing=st, until_period=period, size="small"
    )
    assert len(spec.rows) == 12
    assert drawn[0][1] == charts.render_chart(spec)
    assert evidence.signals_available()


def test_goal_override_and_goal_basis(shifted):
    w = shifted
    tm = TeamMeasure.objects.get(team=w.team_a, measure=w.measure)
    chart_actions.do_set_team_goal(tm, goal=60, reason="Start from our own baseline")
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert spec.goal == 60 and "(team goal)" in spec.subtitle
    assert tm.history.count() == 2
    with pytest.raises(ValidationError):
        chart_actions.do_set_team_goal(tm, goal=50, reason="")
    chart_actions.do_set_team_goal(tm, goal=None, reason="")
    Measure.objects.filter(pk=w.measure.pk).update(goal=1.5, goal_basis="baseline_ratio")
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert spec.goal == pytest.approx(spec.rows[0]["centre"] * 1.5)


def test_annotations_appear_automatically(shifted):
    w = shifted
    cycle = pdsa.to_study(pdsa.plan(w), start=date(2024, 10, 7))
    pdsa.decide(pdsa.to_decided(cycle), decision="adopt", on=date(2024, 10, 25))
    m = Measure.objects.get(pk=w.measure.pk)
    m.version, m.effective_from = 2, date(2025, 2, 1)
    m.save()
    periods = months(w, 24)
    chart_actions.do_add_note(
        w.team_a, m, periods[4], text="Intake clerk on leave all month", author=w.bob
    )
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    kinds = {a["kind"] for a in spec.annotations}
    assert kinds == {"pdsa_start", "pdsa_adopt", "learning_session", "definition", "note"}
    by_period = {row["period"]: row["annotations"] for row in spec.rows}
    assert "PDSA 1.1 cycle 1 started" in by_period["Oct 2024"]
    assert "adopted" in by_period["Oct 2024"]
    assert "Learning session 1" in by_period["Mar 2024"]
    assert "Definition changed to version 2" in by_period["Feb 2025"]
    assert "Bob Brown: Intake clerk on leave all month" in by_period["May 2024"]
    # the same annotations are in the drawn chart (rules with tooltips)
    svg = charts.render_chart(spec)
    assert "LS1" in svg and "v2" in svg


def test_suggests_a_new_phase_when_a_shift_follows_an_adopted_change(shifted):
    w = shifted
    cycle = pdsa.to_study(pdsa.plan(w), start=date(2024, 9, 2))
    pdsa.decide(pdsa.to_decided(cycle), decision="adopt", on=date(2024, 10, 20))
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    [s] = spec.suggestions
    assert s["period"] == "Nov 2024"
    assert s["text"].startswith("Consider a new phase from Nov 2024")
    assert not ChartPhase.objects.exists()  # offered, never applied


def test_baseline_and_phases_recompute_limits_with_history(shifted):
    w = shifted
    periods = months(w, 24)
    base = chart_actions.do_record_phase(
        w.team_a, w.measure, periods[9], kind="baseline", reason="Before the liaison", by=w.fran
    )
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert [row["baseline"] for row in spec.rows] == [True] * 10 + [False] * 14
    frozen = analyze_series("p", SHIFT, n=[20] * 24, multiply=100, freeze=10)
    assert [row["centre"] for row in spec.rows] == list(frozen.cl)
    assert spec.frozen
    phase = chart_actions.do_record_phase(
        w.team_a, w.measure, periods[10], kind="phase", reason="Liaison adopted", by=w.alice
    )
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert [row["part"] for row in spec.rows] == [1] * 10 + [2] * 14
    parted = analyze_series(
        "p", SHIFT, n=[20] * 24, multiply=100, part=[10], part_freeze=[10, None]
    )
    assert [row["centre"] for row in spec.rows] == list(parted.cl)
    assert spec.rows[0]["centre"] != spec.rows[-1]["centre"]
    with pytest.raises(ValidationError, match="already a phase"):
        chart_actions.do_record_phase(
            w.team_a, w.measure, periods[10], kind="phase", reason="again", by=w.alice
        )
    with pytest.raises(ValidationError, match="Say why"):
        chart_actions.do_record_phase(
            w.team_a, w.measure, periods[12], kind="phase", reason=" ", by=w.alice
        )
    chart_actions.do_withdraw_phase(phase)
    assert phase.history.count() == 2 and phase.history.first().withdrawn
    assert base.history.first().recorded_by == w.fran
    [spec] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))
    assert {row["part"] for row in spec.rows} == {1}


def test_notes_keep_history_and_refuse_lost_updates(shifted):
    w = shifted
    periods = months(w, 24)
    note = chart_actions.do_add_note(w.team_a, w.measure, periods[2], text="First", author=w.bob)
    chart_actions.do_edit_note(note, text="Second", expected_version=1)
    stale = ChartNote.objects.get(pk=note.pk)
    stale.edit_version = 1
    with pytest.raises(EditConflict):
        chart_actions.do_edit_note(stale, text="Third", expected_version=1)
    assert [h.text for h in note.history.all()] == ["Second", "First"]
    with pytest.raises(ValidationError):
        chart_actions.do_add_note(w.team_a, w.measure, periods[2], text="  ", author=w.bob)
    other = months(w, 24)[0].__class__.objects.create(
        collaborative=w.other_collaborative,
        label="Jan 2024",
        start=date(2024, 1, 1),
        end=date(2024, 1, 31),
        due_on=date(2024, 2, 15),
    )
    with pytest.raises(ValidationError, match="not one of this collaborative"):
        chart_actions.do_add_note(w.team_a, w.measure, other, text="x", author=w.bob)


def test_small_counts_hidden_outside_the_team_and_faculty(world):
    w = world
    enter(w, w.team_a, [3, 8, 9, 7, 10, 9], denominators=[12, 20, 20, 20, 20, 20])
    outside = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "carol"))[0]
    inside = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "alice"))[0]
    faculty = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "fran"))[0]
    assert outside.rows[0]["suppressed"] and outside.rows[0]["value"] is None
    assert outside.rows[0]["numerator"] is None and outside.rows[0]["signal"] == "Hidden"
    assert not outside.rows[1]["suppressed"] and outside.rows[1]["numerator"] == 8
    assert inside.rows[0]["numerator"] == 3 and faculty.rows[0]["numerator"] == 3
    assert all(r["numerator"] != 3 for r in _data_rows(outside.vega))


def test_sharing_off_keeps_charts_to_the_team(shifted):
    w = shifted
    w.collaborative.teams_share_work = False
    w.collaborative.save()
    assert charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "carol")) == []
    assert charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "fran"))
    found = charts.latest_signal_status(w.collaborative, viewer_standing=standing(w, "carol"))
    assert set(found) == {(w.team_b.pk, w.measure.pk)}
    multiples = charts.small_multiples(
        w.collaborative, w.measure, viewer_standing=standing(w, "carol")
    )
    assert {r["team"] for r in multiples.rows} == {"Birch County"}
    funnel = charts.funnel_chart(w.collaborative, w.measure, viewer_standing=standing(w, "carol"))
    assert [r["team"] for r in funnel.rows if r["shown"]] == ["Birch County"]


def test_latest_signal_status(shifted):
    w = shifted
    short = Measure.objects.create(
        collaborative=w.collaborative,
        code="M2",
        name="Short",
        kind="process",
        data_type="count",
        direction="down",
    )
    TeamMeasure.objects.create(team=w.team_b, measure=short)
    MeasureValue.objects.create(team=w.team_b, measure=short, period=w.periods[0], value=4)
    found = charts.latest_signal_status(w.collaborative, viewer_standing=standing(w, "fran"))
    assert found[(w.team_a.pk, w.measure.pk)] == {
        "status": "improvement",
        "label": "Improving since Nov 2024",
    }
    assert found[(w.team_b.pk, w.measure.pk)]["status"] == "common_cause"
    assert found[(w.team_b.pk, short.pk)]["status"] == "not_enough_data"
    only_a = charts.latest_signal_status(
        w.collaborative, viewer_standing=standing(w, "fran"), team_ids={w.team_a.pk}
    )
    assert set(only_a) == {(w.team_a.pk, w.measure.pk)}
    # an inactive measure is left out
    TeamMeasure.objects.filter(team=w.team_b, measure=short).update(active=False)
    found = charts.latest_signal_status(w.collaborative, viewer_standing=standing(w, "fran"))
    assert (w.team_b.pk, short.pk) not in found


def test_latest_signals_recompute_only_the_teams_whose_data_changed(shifted, monkeypatch):
    w = shifted
    fran = standing(w, "fran")
    computed: list[list[int]] = []
    original = charts._all_statuses

    def counting(collaborative, team_ids):
        computed.append(sorted(team_ids))
        return original(collaborative, team_ids)

    monkeypatch.setattr(charts, "_all_statuses", counting)
    both = sorted([w.team_a.pk, w.team_b.pk])
    first = charts.latest_signal_status(w.collaborative, viewer_standing=fran)
    assert computed == [both]
    assert charts.latest_signal_status(w.collaborative, viewer_standing=fran) == first
    assert computed == [both]  # cached

    # Team B enters a month that ends its flat run with a jump: only team B is computed again.
    value = MeasureValue.objects.filter(team=w.team_b).order_by("period__start").last()
    value.numerator, value.entered_at = 20, timezone.now()
    value.save()
    second = charts.latest_signal_status(w.collaborative, viewer_standing=fran)
    assert computed[1:] == [[w.team_b.pk]]
    assert second[(w.team_a.pk, w.measure.pk)] == first[(w.team_a.pk, w.measure.pk)]
    assert second[(w.team_b.pk, w.measure.pk)] != first[(w.team_b.pk, w.measure.pk)]

    # A definition change or a new rule set concerns every team.
    w.measure.edit_version += 1
    w.measure.save()
    charts.latest_signal_status(w.collaborative, viewer_standing=fran)
    w.collaborative.rule_set = "mdc" if w.collaborative.rule_set != "mdc" else "anhoej"
    w.collaborative.save()
    charts.latest_signal_status(w.collaborative, viewer_standing=fran)
    assert computed[2:] == [both, both]


def test_pooled_chart_sums_numerators_and_denominators(shifted):
    w = shifted
    spec = charts.pooled_chart(w.collaborative, w.measure, viewer_standing=standing(w, "carol"))
    assert spec.chart == "p" and spec.kind == "pooled"
    assert [r["numerator"] for r in spec.rows] == [a + b for a, b in zip(SHIFT, FLAT, strict=True)]
    assert [r["denominator"] for r in spec.rows] == [40] * 24
    r = analyze_series(
        "p", [a + b for a, b in zip(SHIFT, FLAT, strict=True)], n=[40] * 24, multiply=100
    )
    assert [row["centre"] for row in spec.rows] == list(r.cl)
    assert [row["upper"] for row in spec.rows] == list(r.ucl)
    assert charts.render_chart(spec).startswith("<svg")


def test_small_multiples_one_faceted_spec_on_shared_scales(shifted):
    w = shifted
    spec = charts.small_multiples(w.collaborative, w.measure, viewer_standing=standing(w, "fran"))
    assert spec.vega["facet"]["field"] == "team"
    assert spec.vega["resolve"]["scale"] == {"x": "shared", "y": "shared"}
    assert spec.vega["resolve"]["axis"] == {"x": "independent"}  # an axis under every panel
    assert {r["team"] for r in spec.rows} == {"Alder County", "Birch County"}
    [team_a] = charts.team_measure_charts(w.team_a, viewer_standing=standing(w, "fran"))
    mine = [r for r in spec.rows if r["team"] == "Alder County"]
    assert [r["centre"] for r in mine] == [r["centre"] for r in team_a.rows]
    assert charts.render_chart(spec).startswith("<svg")


def test_funnel_plot(shifted):
    w = shifted
    spec = charts.funnel_chart(
        w.collaborative, w.measure, viewer_standing=standing(w, "fran"), window=6
    )
    rows = {r["team"]: r for r in spec.rows}
    assert rows["Alder County"]["numerator"] == sum(SHIFT[-6:])
    assert rows["Alder County"]["denominator"] == 120
    pooled = (sum(SHIFT[-6:]) + sum(FLAT[-6:])) / 240 * 100
    assert rows["Alder County"]["centre"] == pytest.approx(pooled)
    a = rows["Alder County"]
    assert a["lower"] < a["value"] < a["upper"] and a["signal"] == "Common cause"
    assert a["lower_95"] > a["lower"] and a["upper_95"] < a["upper"]
    r = analyze_series(
        "p",
        [sum(SHIFT[-6:]), sum(FLAT[-6:])],
        n=[120, 120],
        x=["Alder County", "Birch County"],
        multiply=100,
    )
    assert a["upper"] == r.ucl[0] and a["value"] == r.y[0]
    assert spec.subtitle == "Jul 2025 – Dec 2025"
    assert charts.render_chart(spec).startswith("<svg")
    count = Measure.objects.create(
        collaborative=w.collaborative, code="C1", name="Count", kind="outcome", data_type="count"
    )
    assert (
        "needs numerators"
        in charts.funnel_chart(w.collaborative, count, viewer_standing=standing(w, "fran")).message
    )
