"""The measure charts: one Vega-Lite specification per chart, built from the SPC engine.

Every chart (a team's run or control chart, the collaborative's pooled chart, small multiples of
every team, the funnel plot) is a :class:`ChartSpec`: the engine's result, the table rows and
the Vega-Lite spec made from those rows. The page draws the spec with vega-embed, the PDF renders
the very same spec with vl-convert (:func:`render_chart`), and the table view and the CSV/XLSX
exports read the same rows (:func:`chart_rows`), so every view shows the same numbers (STYLE §4).

Signals are shown by colour and shape (Okabe-Ito palette). Annotations are added automatically:
PDSA cycles linked to the measure, learning sessions, changes to the measure's definition,
baselines and phases, and people's notes on a period. Small counts are hidden for viewers
outside the team and faculty (`small_cells`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from breakthrough.spc import ChartResult, SPCError, analyze_series_many, recommend_chart
from breakthrough.spc.spec import CHART_NAMES

from .models import ChartNote, ChartPhase, Measure, MeasureValue, TeamMeasure
from .small_cells import is_small

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
FONT = "DejaVu Sans, Arial, sans-serif"

# Measure data type -> the engine's data type for recommend_chart.
CHOICE_TYPE = {
    "proportion": "proportion",
    "rate": "rate",
    "count": "count",
    "continuous": "continuous",
    "rare_event": "time_between",
}
CONTROL_ONLY_RULES = {"provost", "western_electric", "nelson"}
RULE_SET_NAMES = {
    "anhoej": "Anhøj rules",
    "ihi": "IHI run-chart rules",
    "provost": "Provost & Murray rules",
    "western_electric": "Western Electric rules",
    "nelson": "Nelson rules",
    "mdc": "Making Data Count",
}

# Signal categories: colour AND shape (Okabe-Ito), so no one depends on colour alone.
SIGNALS = ("Common cause", "Improvement", "Deterioration", "Special cause")
SIGNAL_COLOURS = ("#0072B2", "#009E73", "#D55E00", "#E69F00")
SIGNAL_SHAPES = ("circle", "triangle-up", "triangle-down", "diamond")
SIGNAL_KEYS = {
    "Common cause": "",
    "Improvement": "improvement",
    "Deterioration": "deterioration",
    "Special cause": "special_cause",
}
ANNOTATION_KINDS = {
    "pdsa_start": ("PDSA started", "#CC79A7"),
    "pdsa_adopt": ("Change adopted", "#009E73"),
    "learning_session": ("Learning session", "#56B4E9"),
    "definition": ("Definition changed", "#000000"),
    "phase": ("New phase", "#D55E00"),
    "baseline": ("Baseline frozen", "#4f5b69"),
    "note": ("Note", "#999999"),
}
STATUS_LABELS = {
    "improvement": "Improving",
    "deterioration": "Deteriorating",
    "special_cause": "Special cause",
    "common_cause": "Common cause",
    "not_enough_data": "Not enough data",
}
LABELLED_KINDS = {"learning_session", "definition", "phase", "baseline"}
SIZES = {"normal": (860, 280), "small": (300, 130), "multiple": (170, 90)}


@dataclass
class ChartSpec:
    """One chart: what it shows, the engine's result, the table rows and the Vega-Lite spec."""

    team: Any
    measure: Measure
    title: str
    vega: dict
    result: ChartResult | None = None
    rows: list[dict] = field(default_factory=list)
    kind: str = "team"  # team, pooled, small_multiples, funnel
    chart: str = ""  # engine chart id, e.g. "p"
    chart_name: str = ""
    rules: str = ""
    rules_name: str = ""
    goal: float | None = None
    subtitle: str = ""
    annotations: list[dict] = field(default_factory=list)
    suggestions: list[dict] = field(default_factory=list)
    status: str = "not_enough_data"
    summary: str = ""
    frozen: bool = False  # a baseline shorter than the chart (limits extended beyond it)
    message: str = ""  # why a chart could not be drawn (e.g. a funnel of counts)


# ---------------------------------------------------------------------------- engine arguments


def _series(measure: Measure, values: Sequence[MeasureValue]) -> tuple[list, list | None]:
    if measure.data_type in ("proportion", "rate"):
        return [v.numerator for v in values], [v.denominator or None for v in values]
    if measure.data_type == "count":
        return [v.value if v.value is not None else v.numerator for v in values], None
    return [v.value for v in values], None


def choose_chart(measure: Measure, y: list, n: list | None, rule_set: str) -> tuple[str, str]:
    """(engine chart, rule set) for a measure's series under the collaborative's rule set."""
    try:
        chart = recommend_chart(CHOICE_TYPE[measure.data_type], y, n).chart
    except (SPCError, KeyError):
        chart = "run"
    rules = rule_set
    if rules == "ihi":
        chart = "run"
    if rules == "mdc" or (rules in CONTROL_ONLY_RULES and chart == "run"):
        rules = "anhoej"
    return chart, rules


def structure_args(period_ids: list[int], phases: Iterable[ChartPhase]) -> dict[str, Any]:
    """Engine arguments (freeze / part / part_freeze) from a team's baselines and phases."""
    index = {pid: i for i, pid in enumerate(period_ids)}
    starts = sorted(
        {index[p.period_id] for p in phases if p.kind == "phase" and index.get(p.period_id)}
    )
    baselines = [
        index[p.period_id]
        for p in sorted(phases, key=lambda p: (p.recorded_at, p.pk or 0))
        if p.kind == "baseline" and p.period_id in index
    ]
    if not starts:
        return {"freeze": baselines[-1] + 1} if baselines else {}
    bounds = [0, *starts, len(period_ids)]
    part_freeze: list[int | None] = [None] * (len(bounds) - 1)
    for b in baselines:  # the latest recorded baseline of each part wins
        for k in range(len(bounds) - 1):
            if bounds[k] <= b < bounds[k + 1]:
                part_freeze[k] = b + 1 - bounds[k]
    args: dict[str, Any] = {"part": starts}  # break after subgroup `start` (1-based) = before it
    if any(f is not None for f in part_freeze):
        args["part_freeze"] = part_freeze
    return args


def engine_args(
    measure: Measure,
    values: Sequence[MeasureValue],
    rule_set: str,
    phases: Iterable[ChartPhase] = (),
) -> dict[str, Any]:
    """The engine's arguments for one team's measure: chart type by the measure's data."""
    y, n = _series(measure, values)
    chart, rules = choose_chart(measure, y, n, rule_set)
    return {
        "chart": chart,
        "y": y,
        "n": n,
        "x": [v.period.start.isoformat() for v in values],
        "labels": [v.period.label for v in values],
        "multiply": measure.multiplier,
        "rules": rules,
        "unit": "months",
        "improvement_direction": measure.direction if measure.direction in ("up", "down") else None,
        **structure_args([v.period_id for v in values], list(phases)),
    }


def analyse(args_list: list[dict[str, Any]]) -> list[ChartResult | None]:
    """Every series through the engine's batch path; a series the engine refuses (e.g. every
    value missing) falls back to a run chart, or None if even that is impossible."""
    results = analyze_series_many(args_list)
    out: list[ChartResult | None] = []
    for args, result in zip(args_list, results, strict=True):
        if isinstance(result, SPCError):
            retry = {
                k: v for k, v in args.items() if k not in ("part", "part_freeze", "freeze")
            } | {"chart": "run", "rules": "anhoej"}
            if args["n"] is not None:
                retry["y"] = [
                    None if (a is None or not b) else a / b
                    for a, b in zip(args["y"], args["n"], strict=True)
                ]
                retry["n"] = None
            result = analyze_series_many([retry])[0]
        out.append(None if isinstance(result, SPCError) else result)
    return out


# ---------------------------------------------------------------------------- signals per point


def point_signals(r: ChartResult) -> list[tuple[str, str]]:
    """Per point: (category in SIGNALS, explanations) from the engine's flagged rules."""
    covering: dict[tuple[str, int], list] = defaultdict(list)
    for s in r.signals:
        for i in s.points:
            covering[(s.rule, i)].append(s)
    out = []
    for i, rules in enumerate(r.point_signals):
        if not rules:
            out.append(("Common cause", ""))
            continue
        found = [s for rule in rules for s in covering.get((rule, i), [])]
        if not found:
            out.append(("Special cause", ", ".join(rules)))
            continue
        specific = min(found, key=lambda s: len(s.points))
        cat = "Special cause"
        if r.improvement_direction and specific.direction:
            cat = (
                "Improvement" if specific.direction == r.improvement_direction else "Deterioration"
            )
        seen, texts = set(), []
        for s in sorted(found, key=lambda s: len(s.points)):
            if s.explanation not in seen:
                seen.add(s.explanation)
                texts.append(s.explanation)
        out.append((cat, " ".join(texts)))
    return out


def status_label(r: ChartResult | None) -> dict[str, str]:
    """{"status", "label"}: the chart's status judged on its last part, in a few words."""
    if r is None:
        return {"status": "not_enough_data", "label": STATUS_LABELS["not_enough_data"]}
    label = STATUS_LABELS.get(r.status, r.status)
    last_part = r.part[-1] if r.part else 1
    recent = [s for s in r.signals if s.part == last_part and s.points]
    if r.status in ("improvement", "deterioration", "special_cause") and recent:
        latest = max(recent, key=lambda s: s.last)
        label = f"{label} since {r.labels[latest.first]}"
    return {"status": r.status, "label": label}


# ---------------------------------------------------------------------------- annotations


def _name(user) -> str:
    if user is None:
        return "someone"
    return getattr(user, "display_name", "") or user.get_username()


def _period_of(day: date, periods: list) -> int | None:
    for i, p in enumerate(periods):
        if p.start <= day <= p.end:
            return i
    return None


def _annotations(team_ids, measures, periods_by_team_measure, collaborative) -> dict:
    """(team id, measure id) -> [annotation dicts] (date, kind, label, text, url, period)."""
    from breakthrough.collaboratives.models import Event
    from breakthrough.pdsa.annotations import chart_annotations

    measure_ids = [m.pk for m in measures]
    out: dict[tuple[int, int], list[dict]] = defaultdict(list)
    if not team_ids or not measure_ids:
        return out

    def add(team_id, measure_id, day, kind, text, url="", short=""):
        periods = periods_by_team_measure.get((team_id, measure_id))
        if not periods:
            return
        i = _period_of(day, periods)
        if i is None:
            return
        out[(team_id, measure_id)].append(
            {
                "date": day.isoformat(),
                "period": periods[i].label,
                "period_index": i,
                "kind": kind,
                "kind_label": ANNOTATION_KINDS[kind][0],
                "short": short or ANNOTATION_KINDS[kind][0],
                "text": text,
                "url": url,
            }
        )

    for a in chart_annotations(team_ids, measure_ids):
        short = a.text.split(" started")[0].split(" adopted")[0]
        add(a.team_id, a.measure_id, a.on, a.kind, a.text, a.url, short)
    sessions = Event.objects.filter(
        collaborative=collaborative, kind=Event.Kind.LEARNING_SESSION
    ).only("start", "title", "number", "collaborative_id")
    for e in sessions:
        short = f"LS{e.number}" if e.number else "LS"
        for t in team_ids:
            for m in measure_ids:
                add(t, m, e.start, "learning_session", e.title, "", short)
    previous: dict[int, int] = {}
    for h in Measure.history.filter(id__in=measure_ids).order_by("id", "history_date"):
        if h.id in previous and h.version != previous[h.id]:
            day = h.effective_from or h.history_date.date()
            for t in team_ids:
                add(
                    t,
                    h.id,
                    day,
                    "definition",
                    f"Definition changed to version {h.version}",
                    "",
                    f"v{h.version}",
                )
        previous[h.id] = h.version
    for p in ChartPhase.objects.filter(
        team_id__in=team_ids, measure_id__in=measure_ids, withdrawn=False
    ).select_related("period", "recorded_by"):
        who = _name(p.recorded_by)
        verb = "Baseline frozen at" if p.kind == "baseline" else "New phase from"
        add(
            p.team_id,
            p.measure_id,
            p.period.start,
            p.kind,
            f"{verb} {p.period.label} by {who}: {p.reason}",
        )
    for n in ChartNote.objects.filter(
        team_id__in=team_ids, measure_id__in=measure_ids
    ).select_related("period", "author"):
        who = _name(n.author)
        add(n.team_id, n.measure_id, n.period.start, "note", f"{who}: {n.text}")
    for items in out.values():
        items.sort(key=lambda a: (a["date"], a["kind"]))
    return out


# ---------------------------------------------------------------------------- team charts


def _goal(measure: Measure, tm: TeamMeasure | None, r: ChartResult | None) -> float | None:
    goal = tm.goal_override if tm is not None and tm.goal_override is not None else measure.goal
    if goal is None:
        return None
    if measure.goal_basis == Measure.GoalBasis.ABSOLUTE:
        return goal
    if r is None:
        return None
    base = [c for c, b in zip(r.cl, r.baseline, strict=True) if b and c is not None]
    base = base or [c for c in r.cl if c is not None]
    if not base:
        return None
    if measure.goal_basis == Measure.GoalBasis.BASELINE_RATIO:
        return base[0] * goal
    return base[0] + goal


def _hide(measure: Measure, v: MeasureValue | None, threshold: int) -> bool:
    if v is None:
        return False
    return (
        is_small(v.numerator, threshold)
        or is_small(v.denominator, threshold)
        or (measure.data_type == "count" and is_small(v.value, threshold))
    )


def _num(x) -> float | None:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return float(x)


def _rows(measure, values, r: ChartResult, hide: bool, threshold: int, notes_by_index) -> list:
    cats = point_signals(r)
    rows = []
    for i, v in enumerate(values):
        small = hide and _hide(measure, v, threshold)
        cat, expl = cats[i]
        rows.append(
            {
                "period": v.period.label,
                "date": v.period.start.isoformat(),
                "value": None if small else _num(r.y[i]),
                "numerator": None if small else v.numerator,
                "denominator": None if small else v.denominator,
                "suppressed": small,
                "centre": _num(r.cl[i]),
                "lower": _num(r.lcl[i]),
                "upper": _num(r.ucl[i]),
                "part": r.part[i],
                "baseline": bool(r.baseline[i]),
                "signal": "Hidden" if small else cat,
                "signal_key": "" if small else SIGNAL_KEYS[cat],
                "rules": "" if small else ", ".join(r.point_signals[i]),
                "explanation": "" if small else expl,
                "annotations": "; ".join(notes_by_index.get(i, [])),
            }
        )
    return rows


def _suggestions(r: ChartResult, values, annotations, phases) -> list[dict]:
    """A new phase to consider when a sustained signal in the direction of improvement
    coincides with an adopted change: offered to people, never applied automatically."""
    if r is None or not r.improvement_direction:
        return []
    adoptions = [a for a in annotations if a["kind"] == "pdsa_adopt"]
    if not adoptions:
        return []
    taken = {p.period_id for p in phases if p.kind == "phase"}
    last_part = r.part[-1]
    out = []
    for s in r.signals:
        sustained = "shift" in s.rule or "trend" in s.rule
        if not sustained or s.part != last_part or s.direction != r.improvement_direction:
            continue
        first = s.first
        if first == 0 or r.part[first - 1] != r.part[first]:
            continue  # already the start of a part
        for a in adoptions:
            if first - 3 <= a["period_index"] <= s.last:
                period = values[first].period
                if period.pk in taken:
                    continue
                out.append(
                    {
                        "period_id": period.pk,
                        "period": period.label,
                        "text": f"Consider a new phase from {period.label}: {s.explanation} "
                        f"It coincides with “{a['text']}”.",
                        "reason": f"Sustained improvement after {a['short']} was adopted.",
                    }
                )
                break
        if out:
            break
    return out


def team_measure_charts(
    team,
    *,
    viewer_standing,
    until_period=None,
    size: str = "normal",
    measures: Iterable[Measure] | None = None,
) -> list[ChartSpec]:
    """One chart per numeric active measure of `team` that has values, as the viewer may see it.

    Small counts are hidden unless the viewer is on the team or faculty. Values after
    `until_period` are left out (a monthly report shows the chart as of its month).
    """
    from django.db.models import Q

    c = team.collaborative
    if viewer_standing is not None and not viewer_standing.can_read_team(team):
        return []
    tms = {
        tm.measure_id: tm
        for tm in TeamMeasure.objects.filter(team=team, active=True)
        .filter(Q(measure__owner_team__isnull=True) | Q(measure__owner_team=team))
        .select_related("measure")
    }
    chosen = [tm.measure for tm in tms.values()] if measures is None else list(measures)
    chosen = sorted((m for m in chosen if m.is_numeric), key=lambda m: (m.order, m.code))
    if not chosen:
        return []
    qs = MeasureValue.objects.filter(team=team, measure__in=chosen, stratum="").select_related(
        "period"
    )
    if until_period is not None:
        qs = qs.filter(period__start__lte=until_period.start)
    by_measure: dict[int, list[MeasureValue]] = defaultdict(list)
    for v in qs.order_by("period__start"):
        by_measure[v.measure_id].append(v)
    todo = [m for m in chosen if by_measure.get(m.pk)]
    if not todo:
        return []
    phases_by: dict[int, list[ChartPhase]] = defaultdict(list)
    for p in ChartPhase.objects.filter(team=team, measure__in=todo, withdrawn=False):
        phases_by[p.measure_id].append(p)
    args = [engine_args(m, by_measure[m.pk], c.rule_set, phases_by[m.pk]) for m in todo]
    results = analyse(args)
    periods = {(team.pk, m.pk): [v.period for v in by_measure[m.pk]] for m in todo}
    notes = _annotations([team.pk], todo, periods, c)
    hide = viewer_standing is not None and not viewer_standing.sees_true_counts(team)
    out = []
    for m, r in zip(todo, results, strict=True):
        if r is None:
            continue
        anns = notes.get((team.pk, m.pk), [])
        out.append(
            build_team_chart(
                team, m, by_measure[m.pk], r, tms.get(m.pk), anns, phases_by[m.pk], c, hide, size
            )
        )
    return out


def build_team_chart(team, m, values, r, tm, anns, phases, c, hide, size) -> ChartSpec:
    threshold = c.suppression_threshold
    by_index: dict[int, list[str]] = defaultdict(list)
    for a in anns:
        text = a["text"]
        if a["kind"] not in ("pdsa_start", "pdsa_adopt", "learning_session", "definition"):
            text = f"{a['kind_label']}: {text}"
        by_index[a["period_index"]].append(text)
    rows = _rows(m, values, r, hide, threshold, by_index)
    goal = _goal(m, tm, r)
    chart_name = CHART_NAMES.get(r.chart, r.chart).replace("chart", "chart").capitalize()
    chart_name = chart_name[0].upper() + chart_name[1:]
    rules_name = RULE_SET_NAMES.get(r.rules, r.rules)
    subtitle = f"{chart_name} · {rules_name}"
    if goal is not None:
        subtitle += f" · Goal {_fmt(goal, m)}"
        if tm is not None and tm.goal_override is not None:
            subtitle += " (team goal)"
    title = f"{m.code} {m.name}"
    spec = ChartSpec(
        team=team,
        measure=m,
        title=title,
        vega={},
        result=r,
        rows=rows,
        kind="team",
        chart=r.chart,
        chart_name=chart_name,
        rules=r.rules,
        rules_name=rules_name,
        goal=goal,
        subtitle=subtitle,
        annotations=anns,
        suggestions=_suggestions(r, values, anns, phases),
        status=r.status,
        summary=r.summary_text,
        frozen=any(not row["baseline"] for row in rows),
    )
    spec.vega = team_vega(spec, size=size, demo=c.is_demo)
    return spec


def _fmt(x: float | None, m: Measure | None = None) -> str:
    if x is None:
        return "—"
    unit = (m.unit if m else "") or ""
    text = f"{x:.1f}".rstrip("0").rstrip(".") if abs(x) < 1000 else f"{x:,.0f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


# ---------------------------------------------------------------------------- Vega-Lite


def _config() -> dict:
    return {
        "font": FONT,
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e5e8ec"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        "view": {"stroke": None},
    }


def _x(title=None, small=False) -> dict:
    return {
        "field": "date",
        "type": "temporal",
        "title": title,
        "scale": {"type": "utc"},  # months are dates: drawn alike in every time zone
        "axis": {
            "labelExpr": "utcFormat(datum.value, '%b %y')",
            "labelAngle": -40,
            "tickCount": 6 if small else 12,
        },
    }


def _y_title(m: Measure) -> str:
    if m.unit == "%":
        return "Percent"
    return m.unit or m.get_data_type_display().split(" (")[0]


def _point_tooltip(m: Measure, with_team=False) -> list[dict]:
    fmt = ".1f"
    tips = [{"field": "team", "title": "Team"}] if with_team else []
    return [
        *tips,
        {"field": "period", "title": "Month"},
        {"field": "value", "title": m.unit or "Value", "format": fmt},
        *(
            [
                {"field": "numerator", "title": "Numerator"},
                {"field": "denominator", "title": "Denominator"},
            ]
            if m.has_denominator
            else []
        ),
        {"field": "centre", "title": "Centre line", "format": fmt},
        {"field": "lower", "title": "Lower limit", "format": fmt},
        {"field": "upper", "title": "Upper limit", "format": fmt},
        {"field": "signal", "title": "Signal"},
        *(
            []
            if with_team
            else [
                {"field": "explanation", "title": "Why"},
                {"field": "annotations", "title": "Annotations"},
            ]
        ),
    ]


def _signal_encoding(legend: bool) -> dict:
    scale_c = {"domain": list(SIGNALS), "range": list(SIGNAL_COLOURS)}
    scale_s = {"domain": list(SIGNALS), "range": list(SIGNAL_SHAPES)}
    leg = None if not legend else {"title": None}
    return {
        "color": {"field": "signal", "type": "nominal", "scale": scale_c, "legend": leg},
        "shape": {"field": "signal", "type": "nominal", "scale": scale_s, "legend": leg},
    }


def _line_layers(m: Measure, small: bool, with_team: bool = False) -> list[dict]:
    y_title = _y_title(m)
    limit = {"type": "line", "color": "#7a8594", "strokeDash": [4, 3], "strokeWidth": 1}
    layers = [
        {
            "mark": limit,
            "encoding": {
                "x": _x(small=small),
                "y": {"field": f, "type": "quantitative", "title": y_title},
                "detail": {"field": "part", "type": "nominal"},
            },
        }
        for f in ("upper", "lower")
    ]
    layers.append(
        {
            "mark": {"type": "line", "color": "#4f5b69", "strokeWidth": 1.5},
            "encoding": {
                "x": _x(small=small),
                "y": {"field": "centre", "type": "quantitative", "title": y_title},
                "detail": {"field": "part", "type": "nominal"},
            },
        }
    )
    layers.append(
        {
            "mark": {"type": "line", "color": "#9aa5b1", "strokeWidth": 1.2},
            "encoding": {
                "x": _x(small=small),
                "y": {"field": "value", "type": "quantitative", "title": y_title},
            },
        }
    )
    layers.append(
        {
            "mark": {"type": "point", "filled": True, "size": 30 if small else 60, "opacity": 1},
            "transform": [{"filter": "datum.value != null"}],
            "encoding": {
                "x": _x(small=small),
                "y": {"field": "value", "type": "quantitative", "title": y_title},
                **_signal_encoding(legend=not small),
                "tooltip": _point_tooltip(m, with_team),
            },
        }
    )
    return layers


def team_vega(spec: ChartSpec, *, size: str = "normal", demo: bool = False) -> dict:
    """The Vega-Lite spec of one team's chart, from its rows and annotations."""
    m = spec.measure
    width, height = SIZES.get(size, SIZES["normal"])
    small = size != "normal"
    layers: list[dict] = []
    base = [r for r in spec.rows if r["baseline"]]
    if base and any(not r["baseline"] for r in spec.rows):
        layers.append(
            {
                "data": {"values": [{"start": base[0]["date"], "end": base[-1]["date"]}]},
                "mark": {"type": "rect", "color": "#4f5b69", "opacity": 0.07},
                "encoding": {
                    "x": {"field": "start", "type": "temporal", "scale": {"type": "utc"}},
                    "x2": {"field": "end"},
                    "tooltip": {"value": "Baseline: limits computed from these months"},
                },
            }
        )
    data_layer = {"data": {"values": spec.rows}, "layer": _line_layers(m, small)}
    layers.append(data_layer)
    if spec.goal is not None:
        goal = {"goal": spec.goal, "label": f"Goal {_fmt(spec.goal, m)}"}
        layers.append(
            {
                "data": {"values": [goal]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": "#009E73", "strokeDash": [8, 4]},
                        "encoding": {
                            "y": {"field": "goal", "type": "quantitative"},
                            "tooltip": {"field": "label"},
                        },
                    },
                    *(
                        []
                        if small
                        else [
                            {
                                "mark": {
                                    "type": "text",
                                    "align": "right",
                                    "dy": -6,
                                    "color": "#006b4f",
                                    "fontSize": 10,
                                    "x": "width",
                                },
                                "encoding": {
                                    "y": {"field": "goal", "type": "quantitative"},
                                    "text": {"field": "label"},
                                },
                            }
                        ]
                    ),
                ],
            }
        )
    if spec.annotations:
        list(ANNOTATION_KINDS)
        ann_layers: list[dict] = [
            {
                "mark": {"type": "rule", "strokeDash": [2, 2], "strokeWidth": 1.5},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "scale": {"type": "utc"}},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                    "tooltip": [
                        {"field": "period", "title": "Month"},
                        {"field": "kind_label", "title": "Annotation"},
                        {"field": "text", "title": "What"},
                    ],
                },
            }
        ]
        if not small:
            ann_layers.append(
                {
                    "mark": {
                        "type": "text",
                        "angle": 0,
                        "align": "left",
                        "baseline": "top",
                        "dx": 2,
                        "fontSize": 9,
                        "color": "#333",
                    },
                    "encoding": {
                        "x": {"field": "date", "type": "temporal", "scale": {"type": "utc"}},
                        "text": {"field": "label"},
                        "y": {"field": "stack", "type": "quantitative", "scale": None},
                    },
                }
            )
        anns = [{**a, "colour": ANNOTATION_KINDS[a["kind"]][1]} for a in spec.annotations]
        labelled = 0
        for a in anns:  # labels for the milestones; PDSA cycles and notes are in the tooltips
            a["label"] = a["short"] if a["kind"] in LABELLED_KINDS else ""
            a["stack"] = labelled % 3 * 11
            labelled += bool(a["label"])
        layers.append({"data": {"values": anns}, "layer": ann_layers})
    vega = {
        "$schema": SCHEMA,
        "title": {
            "text": spec.title,
            "subtitle": spec.subtitle,
            "anchor": "start",
            "fontSize": 12 if small else 14,
            "subtitleFontSize": 10 if small else 11,
        },
        "width": width,
        "height": height,
        "layer": layers,
        "config": _config(),
        "description": f"{spec.title}: {spec.subtitle}. {spec.summary}",
    }
    if demo:
        vega["title"]["subtitle"] = spec.subtitle + " · DEMO — FICTIONAL DATA"
    return vega


# ---------------------------------------------------------------------------- rendering


def render_chart(spec: ChartSpec | dict, fmt: str = "svg") -> str | bytes:
    """Render a chart to SVG text, or PNG / PDF bytes, without a browser (vl-convert)."""
    import vl_convert as vlc

    vega = spec.vega if isinstance(spec, ChartSpec) else spec
    if fmt == "svg":
        return vlc.vegalite_to_svg(vega)
    if fmt == "png":
        return vlc.vegalite_to_png(vega, scale=2)
    if fmt == "pdf":
        return vlc.vegalite_to_pdf(vega)
    raise ValueError(f"Unknown chart format {fmt!r}; expected svg, png or pdf.")


def chart_rows(spec: ChartSpec) -> list[dict]:
    """The chart's table: period, value, numerator, denominator, centre, limits, signals."""
    return [dict(r) for r in spec.rows]


# ---------------------------------------------------------------------------- collaborative


def _readable_teams(collaborative, standing) -> list:
    from breakthrough.teams.models import Team

    teams = list(Team.objects.filter(collaborative=collaborative).order_by("name"))
    if standing is None:
        return teams
    return [t for t in teams if standing.can_read_team(t)]


@dataclass(frozen=True)
class _Period:
    pk: int
    start: date
    end: date
    label: str


@dataclass(slots=True)
class _Value:
    """A measure value read as plain columns: many series load without building models."""

    team_id: int
    measure_id: int
    period_id: int
    period: _Period
    numerator: int | None
    denominator: int | None
    value: float | None


LIGHT = ("team_id", "measure_id", "period_id", "numerator", "denominator", "value")


def _periods(collaborative) -> dict[int, _Period]:
    """The collaborative's reporting periods (a few dozen rows): values then carry only their
    id, not the dates, which cost more to read 54,000 times than to look up."""
    from breakthrough.collaboratives.models import ReportingPeriod

    return {
        pk: _Period(pk, start, end, label)
        for pk, start, end, label in ReportingPeriod.objects.filter(
            collaborative=collaborative
        ).values_list("pk", "start", "end", "label")
    }


def _light(qs, periods: dict[int, _Period]) -> list[_Value]:
    return [
        _Value(team_id, measure_id, pid, periods[pid], num, den, value)
        for team_id, measure_id, pid, num, den, value in qs.values_list(*LIGHT)
    ]


def _collaborative_values(collaborative, measure, team_ids=None) -> dict[int, list[_Value]]:
    """Team id -> the team's totals of `measure` in month order (teams reporting it).

    Read once per collaborative object: a page drawing the pooled chart, the small multiples and
    the funnel of one measure reads the values once."""
    memo = collaborative.__dict__.setdefault("_chart_values", {})
    if measure.pk not in memo:
        memo[measure.pk] = _read_collaborative_values(collaborative, measure)
    by_team = memo[measure.pk]
    if team_ids is None:
        return by_team
    wanted = set(team_ids)
    return {t: vs for t, vs in by_team.items() if t in wanted}


def _read_collaborative_values(collaborative, measure) -> dict[int, list[_Value]]:
    qs = MeasureValue.objects.filter(
        measure=measure,
        stratum="",
        team__collaborative=collaborative,
        team__team_measures__measure=measure,
        team__team_measures__active=True,
    )
    by_team: dict[int, list[_Value]] = defaultdict(list)
    for v in _light(qs.order_by("period__start"), _periods(collaborative)):
        by_team[v.team_id].append(v)
    return by_team


def _team_fingerprints(collaborative, team_ids) -> dict[int, tuple[str, bool]]:
    """Team id -> (a digest of what the team's latest signals depend on, whether it has values),
    in one query: the team's values (how many, and the last entry: every write of a value sets
    its entry time), baselines and phases, active team measures, and for every team the rule set
    and the measure definitions (every edit raises edit_version)."""
    import hashlib

    from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum
    from django.db.models.functions import Coalesce

    from breakthrough.teams.models import Team

    def sub(qs, **agg):
        ((name, expr),) = agg.items()
        return Subquery(qs.order_by().values("g").annotate(**{name: expr}).values(name)[:1])

    team = OuterRef("pk")
    values = MeasureValue.objects.filter(team=team).annotate(g=models_value(1))
    phases = ChartPhase.objects.filter(team=team).annotate(g=models_value(1))
    tms = TeamMeasure.objects.filter(team=team).annotate(g=models_value(1))
    measures = Measure.objects.filter(collaborative=OuterRef("collaborative_id")).annotate(
        g=models_value(1)
    )
    rows = (
        Team.objects.filter(collaborative=collaborative, pk__in=list(team_ids))
        .annotate(
            v_n=sub(values, n=Count("id")),
            v_last=sub(values, last=Max("entered_at")),
            p_n=sub(phases, n=Count("id")),
            p_w=sub(phases, w=Count("id", filter=Q(withdrawn=True))),
            p_top=sub(phases, top=Max("id")),
            t_n=sub(tms, n=Count("id", filter=Q(active=True))),
            t_top=sub(tms, top=Max("id")),
            m_v=sub(measures, v=Coalesce(Sum("edit_version"), 0, output_field=IntegerField())),
            m_top=sub(measures, top=Max("id")),
        )
        .values_list("pk", "v_n", "v_last", "p_n", "p_w", "p_top", "t_n", "t_top", "m_v", "m_top")
    )
    return {
        pk: (
            hashlib.sha1(f"{collaborative.rule_set}|{parts}".encode()).hexdigest(),
            bool(parts[0]),
        )
        for pk, *parts in rows
    }


def models_value(x):
    from django.db.models import IntegerField, Value

    return Value(x, output_field=IntegerField())


def latest_signal_status(collaborative, *, viewer_standing, team_ids=None) -> dict:
    """(team id, measure id) -> {"status", "label"} for every team the viewer may read and
    every numeric active measure it reports with values.

    Each team's statuses are cached until what they depend on changes (`_team_fingerprints`);
    the teams whose data changed are computed again, together, through the engine's batch
    path. A month entered by one team recomputes that team's series, not the collaborative's."""
    from django.core.cache import cache

    from breakthrough.teams.models import Team

    teams = Team.objects.filter(collaborative=collaborative)
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    wanted = {t.pk for t in teams if viewer_standing is None or viewer_standing.can_read_team(t)}
    if not wanted:
        return {}
    prints = _team_fingerprints(collaborative, wanted)
    keys = {
        t: f"measures:signals:{collaborative.pk}:{t}:{digest}" for t, (digest, _v) in prints.items()
    }
    found = cache.get_many(list(keys.values()))
    stale = [t for t, key in keys.items() if key not in found]
    if stale:
        fresh: dict[int, dict] = {t: {} for t in stale}
        with_values = [t for t in stale if prints[t][1]]  # a team without values has no signal
        if with_values:
            for (t, m), status in _all_statuses(collaborative, team_ids=with_values).items():
                fresh[t][m] = status
        computed = {keys[t]: fresh[t] for t in stale}
        cache.set_many(computed, 3600)
        found.update(computed)
    return {(t, m): status for t, key in keys.items() for m, status in found[key].items()}


def _all_statuses(collaborative, team_ids: list[int]) -> dict:
    from django.db.models import F, Q

    qs = (
        MeasureValue.objects.filter(
            team__collaborative=collaborative,
            team_id__in=team_ids,
            measure__collaborative=collaborative,
            measure__data_type__in=sorted(Measure.NUMERIC_TYPES),
            stratum="",
            team__team_measures__measure_id=F("measure_id"),
            team__team_measures__active=True,
        )
        .filter(Q(measure__owner_team__isnull=True) | Q(measure__owner_team_id=F("team_id")))
        .order_by("period__start")
    )
    periods = _periods(collaborative)
    measures: dict[int, Measure] = {}
    series: dict[tuple[int, int], list[_Value]] = defaultdict(list)
    extra = ("measure__data_type", "measure__multiplier", "measure__direction")
    for team_id, measure_id, pid, num, den, value, dt, mult, direction in qs.values_list(
        *LIGHT, *extra
    ):
        if measure_id not in measures:
            measures[measure_id] = Measure(
                pk=measure_id, data_type=dt, multiplier=mult, direction=direction
            )
        series[(team_id, measure_id)].append(
            _Value(team_id, measure_id, pid, periods[pid], num, den, value)
        )
    phases: dict[tuple[int, int], list] = defaultdict(list)
    for p in ChartPhase.objects.filter(team_id__in=team_ids, withdrawn=False):
        phases[(p.team_id, p.measure_id)].append(p)
    keys = sorted(series)
    args = [engine_args(measures[k[1]], series[k], collaborative.rule_set, phases[k]) for k in keys]
    return {k: status_label(r) for k, r in zip(keys, analyse(args), strict=True)}


def _pooled_series(measure: Measure, by_team: dict) -> tuple[list, list, list | None, list]:
    """Per period: (periods, y, n): numerators and denominators summed across teams."""
    periods: dict[int, Any] = {}
    num: dict[int, float] = defaultdict(float)
    den: dict[int, float] = defaultdict(float)
    vals: dict[int, list[float]] = defaultdict(list)
    for values in by_team.values():
        for v in values:
            periods[v.period_id] = v.period
            if measure.has_denominator:
                if v.numerator is not None and v.denominator:
                    num[v.period_id] += v.numerator
                    den[v.period_id] += v.denominator
            else:
                y = v.value if v.value is not None else v.numerator
                if y is not None:
                    vals[v.period_id].append(y)
    order = sorted(periods.values(), key=lambda p: p.start)
    if measure.has_denominator:
        y = [num[p.pk] if den[p.pk] else None for p in order]
        n = [den[p.pk] or None for p in order]
        return order, y, n, [den[p.pk] for p in order]
    if measure.data_type == "count":
        y = [sum(vals[p.pk]) if vals[p.pk] else None for p in order]
    else:
        y = [sum(vals[p.pk]) / len(vals[p.pk]) if vals[p.pk] else None for p in order]
    return order, y, None, [len(vals[p.pk]) for p in order]


def pooled_chart(collaborative, measure: Measure, *, viewer_standing) -> ChartSpec:
    """The collaborative's chart of a measure: numerators and denominators summed across all
    teams (a P chart for proportions, a U chart for rates; counts are summed, other values
    averaged). An aggregate of every team, so anyone in the collaborative may see it."""
    by_team = _collaborative_values(collaborative, measure)
    periods, y, n, _totals = _pooled_series(measure, by_team)
    title = f"{measure.code} {measure.name}: all teams"
    if not periods or all(v is None for v in y):
        return ChartSpec(None, measure, title, {}, kind="pooled", message="No values yet.")
    chart = {"proportion": "p", "rate": "u", "count": "c"}.get(measure.data_type, "i")
    rules = collaborative.rule_set
    if rules in ("ihi", "mdc"):
        rules = "anhoej"
    args = {
        "chart": chart,
        "y": y,
        "n": n,
        "x": [p.start.isoformat() for p in periods],
        "labels": [p.label for p in periods],
        "multiply": measure.multiplier,
        "rules": rules,
        "unit": "months",
        "improvement_direction": measure.direction if measure.direction in ("up", "down") else None,
    }
    r = analyse([args])[0]
    if r is None:
        return ChartSpec(None, measure, title, {}, kind="pooled", message="No values yet.")
    threshold = collaborative.suppression_threshold
    hide = viewer_standing is not None and not viewer_standing.is_staff
    cats = point_signals(r)
    rows = []
    for i, p in enumerate(periods):
        small = hide and (
            is_small(y[i], threshold) or (n is not None and is_small(n[i], threshold))
        )
        rows.append(
            {
                "period": p.label,
                "date": p.start.isoformat(),
                "value": None if small else _num(r.y[i]),
                "numerator": None if small or n is None else y[i],
                "denominator": None if small or n is None else n[i],
                "teams": sum(1 for vs in by_team.values() if any(v.period_id == p.pk for v in vs)),
                "suppressed": small,
                "centre": _num(r.cl[i]),
                "lower": _num(r.lcl[i]),
                "upper": _num(r.ucl[i]),
                "part": r.part[i],
                "baseline": bool(r.baseline[i]),
                "signal": "Hidden" if small else cats[i][0],
                "signal_key": "" if small else SIGNAL_KEYS[cats[i][0]],
                "rules": "" if small else ", ".join(r.point_signals[i]),
                "explanation": "" if small else cats[i][1],
                "annotations": "",
            }
        )
    chart_name = CHART_NAMES.get(r.chart, r.chart)
    chart_name = chart_name[0].upper() + chart_name[1:]
    rules_name = RULE_SET_NAMES.get(r.rules, r.rules)
    goal = measure.goal if measure.goal_basis == Measure.GoalBasis.ABSOLUTE else None
    teams = f"{len(by_team)} team{'s' if len(by_team) != 1 else ''}"
    subtitle = f"{chart_name} of {teams} pooled · {rules_name}"
    if goal is not None:
        subtitle += f" · Goal {_fmt(goal, measure)}"
    spec = ChartSpec(
        team=None,
        measure=measure,
        title=title,
        vega={},
        result=r,
        rows=rows,
        kind="pooled",
        chart=r.chart,
        chart_name=chart_name,
        rules=r.rules,
        rules_name=rules_name,
        goal=goal,
        subtitle=subtitle,
        status=r.status,
        summary=r.summary_text,
    )
    spec.vega = team_vega(spec, size="normal", demo=collaborative.is_demo)
    return spec


# What a small panel draws and its tooltip shows (the explanations are on each team's own page).
MULTIPLE_FIELDS = (
    "team",
    "period",
    "date",
    "value",
    "numerator",
    "denominator",
    "centre",
    "lower",
    "upper",
    "part",
    "signal",
)


def small_multiples(collaborative, measure: Measure, *, viewer_standing) -> ChartSpec:
    """Every team the viewer may read, one panel each, on shared scales: one faceted spec."""
    teams = _readable_teams(collaborative, viewer_standing)
    by_team = _collaborative_values(collaborative, measure, [t.pk for t in teams])
    teams = [t for t in teams if by_team.get(t.pk)]
    title = f"{measure.code} {measure.name}: every team"
    if not teams:
        return ChartSpec(None, measure, title, {}, kind="small_multiples", message="No values.")
    phases: dict[int, list] = defaultdict(list)
    for p in ChartPhase.objects.filter(
        measure=measure, team_id__in=[t.pk for t in teams], withdrawn=False
    ):
        phases[p.team_id].append(p)
    args = [
        engine_args(measure, by_team[t.pk], collaborative.rule_set, phases[t.pk]) for t in teams
    ]
    results = analyse(args)
    threshold = collaborative.suppression_threshold
    rows: list[dict] = []
    statuses = {}
    for t, r in zip(teams, results, strict=True):
        if r is None:
            continue
        hide = viewer_standing is not None and not viewer_standing.sees_true_counts(t)
        for row in _rows(measure, by_team[t.pk], r, hide, threshold, {}):
            row["team"] = t.name
            row["team_slug"] = t.slug
            rows.append(row)
        statuses[t.pk] = status_label(r)
    width, height = SIZES["multiple"]
    vega = {
        "$schema": SCHEMA,
        "title": {
            "text": title,
            "subtitle": f"{len(statuses)} teams on shared scales · "
            f"{RULE_SET_NAMES.get(collaborative.rule_set, collaborative.rule_set)}",
            "anchor": "start",
            "fontSize": 14,
        },
        "data": {"values": [{k: r[k] for k in MULTIPLE_FIELDS} for r in rows]},
        "facet": {
            "field": "team",
            "type": "nominal",
            "title": None,
            "header": {"labelFontSize": 11},
        },
        "columns": 5,
        "spec": {"width": width, "height": height, "layer": _line_layers(measure, True, True)},
        "resolve": {"scale": {"x": "shared", "y": "shared"}, "axis": {"x": "independent"}},
        "config": _config(),
        "description": f"{title}: one small chart per team on shared scales.",
    }
    return ChartSpec(
        team=None,
        measure=measure,
        title=title,
        vega=vega,
        rows=rows,
        kind="small_multiples",
        rules=collaborative.rule_set,
        rules_name=RULE_SET_NAMES.get(collaborative.rule_set, ""),
        summary=f"{len(statuses)} teams",
        annotations=[],
    )


def funnel_chart(collaborative, measure: Measure, *, viewer_standing, window: int = 6) -> ChartSpec:
    """A funnel plot of teams over the last `window` months with values: each team's pooled
    proportion (or rate) against its denominator, with the engine's 95% and 99.7% limits.

    The limits come from every team; the points shown are the teams the viewer may read.
    Only proportions and rates have a funnel (they need denominators)."""
    title = f"{measure.code} {measure.name}: funnel plot"
    if not measure.has_denominator:
        return ChartSpec(
            None,
            measure,
            title,
            {},
            kind="funnel",
            message="A funnel plot needs numerators and denominators (proportions or rates).",
        )
    by_team = _collaborative_values(collaborative, measure)
    months = sorted({v.period.start for vs in by_team.values() for v in vs})
    if not months:
        return ChartSpec(None, measure, title, {}, kind="funnel", message="No values yet.")
    window = max(1, int(window))
    keep = set(months[-window:])
    from breakthrough.teams.models import Team

    names = dict(Team.objects.filter(pk__in=list(by_team)).values_list("pk", "name"))
    totals = []
    for team_id, values in by_team.items():
        vs = [
            v
            for v in values
            if v.period.start in keep and v.numerator is not None and v.denominator
        ]
        if vs:
            totals.append(
                (
                    names[team_id],
                    team_id,
                    sum(v.numerator for v in vs),
                    sum(v.denominator for v in vs),
                )
            )
    totals.sort()
    first = min(keep)
    last = max(keep)
    period_text = f"{first:%b %Y} – {last:%b %Y}"
    if not totals:
        return ChartSpec(None, measure, title, {}, kind="funnel", message="No values yet.")
    r = analyse(
        [
            {
                "chart": "p" if measure.data_type == "proportion" else "u",
                "y": [t[2] for t in totals],
                "n": [t[3] for t in totals],
                "x": [t[0] for t in totals],
                "x_levels": [t[0] for t in totals],
                "multiply": measure.multiplier,
                "rules": "anhoej",
                "unit": "teams",
            }
        ]
    )[0]
    readable = {t.pk for t in _readable_teams(collaborative, viewer_standing)}
    threshold = collaborative.suppression_threshold
    rows = []
    for i, (name, team_id, num, den) in enumerate(totals):
        if r is None:
            break
        y, lcl, ucl = _num(r.y[i]), _num(r.lcl[i]), _num(r.ucl[i])
        outside = y is not None and ((ucl is not None and y > ucl) or (lcl is not None and y < lcl))
        shown = team_id in readable
        hide_counts = (
            viewer_standing is not None
            and not viewer_standing.is_staff
            and (team_id not in viewer_standing.team_ids)
            and (is_small(num, threshold) or is_small(den, threshold))
        )
        rows.append(
            {
                "team": name if shown else "",
                "shown": shown,
                "numerator": num if shown and not hide_counts else None,
                "denominator": den,
                "value": y if shown and not hide_counts else None,
                "centre": _num(r.cl[i]),
                "lower": lcl,
                "upper": ucl,
                "lower_95": _num(r.lcl_95[i]),
                "upper_95": _num(r.ucl_95[i]),
                "signal": "Special cause" if outside else "Common cause",
                "period": period_text,
            }
        )
    visible = [row for row in rows if row["shown"]]
    curve = sorted(rows, key=lambda row: row["denominator"])
    m = measure
    y_title = _y_title(m)
    x_enc = {"field": "denominator", "type": "quantitative", "title": "Denominator (cases)"}
    limit_layers = [
        {
            "data": {"values": curve},
            "mark": {
                "type": "line",
                "color": "#7a8594",
                "strokeDash": dash,
                "interpolate": "monotone",
            },
            "encoding": {"x": x_enc, "y": {"field": f, "type": "quantitative", "title": y_title}},
        }
        for f, dash in (
            ("upper", [4, 3]),
            ("lower", [4, 3]),
            ("upper_95", [1, 3]),
            ("lower_95", [1, 3]),
        )
    ]
    vega = {
        "$schema": SCHEMA,
        "title": {
            "text": title,
            "subtitle": f"{period_text} · {len(rows)} teams · "
            "limits 95% (dotted) and 99.7% (dashed)",
            "anchor": "start",
            "fontSize": 14,
        },
        "width": 560,
        "height": 300,
        "layer": [
            *limit_layers,
            {
                "data": {"values": curve},
                "mark": {"type": "line", "color": "#4f5b69"},
                "encoding": {"x": x_enc, "y": {"field": "centre", "type": "quantitative"}},
            },
            {
                "data": {"values": [row for row in visible if row["value"] is not None]},
                "layer": [
                    {
                        "mark": {"type": "point", "filled": True, "size": 70},
                        "encoding": {
                            "x": x_enc,
                            "y": {"field": "value", "type": "quantitative"},
                            **_signal_encoding(legend=True),
                            "tooltip": [
                                {"field": "team", "title": "Team"},
                                {"field": "value", "title": m.unit or "Value", "format": ".1f"},
                                {"field": "numerator", "title": "Numerator"},
                                {"field": "denominator", "title": "Denominator"},
                                {"field": "lower", "title": "Lower limit", "format": ".1f"},
                                {"field": "upper", "title": "Upper limit", "format": ".1f"},
                                {"field": "signal", "title": "Signal"},
                            ],
                        },
                    },
                    {
                        "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 9},
                        "encoding": {
                            "x": x_enc,
                            "y": {"field": "value", "type": "quantitative"},
                            "text": {"field": "team"},
                        },
                    },
                ],
            },
        ],
        "config": _config(),
        "description": f"{title}: {period_text}.",
    }
    return ChartSpec(
        team=None,
        measure=measure,
        title=title,
        vega=vega,
        result=r,
        rows=rows,
        kind="funnel",
        chart=r.chart if r else "",
        chart_name="Funnel plot",
        subtitle=period_text,
    )
