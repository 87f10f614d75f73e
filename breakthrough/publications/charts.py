"""Vega-Lite specifications of the publications' own charts (STYLE §4: one spec, drawn to SVG for
the page and the PDF and to PNG for Word by `breakthrough.reports.charts.render`)."""

from __future__ import annotations

from collections import Counter


def status_spec(components, team_ids, statuses, nodes, *, demo: bool = False) -> dict:
    """Teams per component by the most advanced status of their ideas (stacked bars)."""
    from breakthrough.pdsa import status
    from breakthrough.reports import charts as rc

    values = []
    order = []
    rolled_up = {team_id: status.roll_up(team_id, nodes, statuses) for team_id in team_ids}
    # Most advanced first, so the bars read from the left: spreading, implementing, testing.
    stack = ("spreading", "implementing", "testing", "abandoned", "not_started")
    colours = ("#009E73", "#0072B2", "#E69F00", "#8c8c8c", "#d9dde3")
    for comp in components:
        label = f"{comp.node.code} {comp.node.title}".strip()
        if len(label) > 48:
            label = label[:47] + "…"
        order.append(label)
        rolled = Counter()
        for team_id in team_ids:
            best = rolled_up[team_id].get(comp.node.pk)
            rolled[best.status if best else "not_started"] += 1
        for rank, key in enumerate(stack):
            if rolled.get(key):
                values.append(
                    {
                        "component": label,
                        "status": status.STATUS_LABELS[key],
                        "rank": rank,
                        "teams": rolled[key],
                    }
                )
    spec = {
        "$schema": rc.SCHEMA,
        "width": 380,
        "height": max(60, 26 * len(order)),
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {
                "field": "component",
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {"labelLimit": 280},
            },
            "x": {
                "field": "teams",
                "type": "quantitative",
                "title": "Teams",
                "stack": "zero",
                "scale": {"domain": [0, len(team_ids)]},
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": [status.STATUS_LABELS[k] for k in stack],
                    "range": list(colours),
                },
            },
            "order": {"field": "rank", "type": "quantitative", "sort": "ascending"},
            "tooltip": [
                {"field": "component", "title": "Component"},
                {"field": "status", "title": "Status"},
                {"field": "teams", "title": "Teams"},
            ],
        },
        "config": rc._config(),
    }
    if demo:
        rc._watermark(spec)
    return spec
