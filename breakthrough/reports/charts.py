"""Vega-Lite specifications of the assessment charts, rendered to SVG/PNG on the server.

One specification per chart (STYLE §4): the page and the PDF show the same drawing. Colours are
from the Okabe-Ito colour-blind-safe palette, and series differ by shape and dash as well.
"""

from __future__ import annotations

from decimal import Decimal

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SELF_COLOUR = "#E69F00"
FACULTY_COLOUR = "#0072B2"
FONT = "DejaVu Sans, Arial, sans-serif"


def _config() -> dict:
    return {
        "font": FONT,
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e5e8ec"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
        "view": {"stroke": None},
    }


def score_trajectory_spec(
    points: list[tuple[str, str, Decimal | None, Decimal | None]],
    *,
    title: str = "",
    width: int = 560,
    height: int = 220,
    demo: bool = False,
) -> dict:
    """Self-assessment against the faculty score per month: [(month key, label, self, faculty)]."""
    values = []
    for key, label, self_score, faculty in points:
        if self_score is not None:
            values.append(
                {"month": key, "label": label, "who": "Self-assessment", "score": float(self_score)}
            )
        if faculty is not None:
            values.append(
                {"month": key, "label": label, "who": "Faculty (agreed)", "score": float(faculty)}
            )
    order = [key for key, *_ in points]
    labels = {key: label for key, label, *_ in points}
    spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "fontSize": 13, "anchor": "start"} if title else None,
        "width": width,
        "height": height,
        "layer": [
            # Faculty first, the team's own view on top, so equal scores still show both.
            *(
                {
                    "data": {"values": values},
                    "transform": [{"filter": f"datum.who == '{who}'"}],
                    "encoding": _trajectory_encoding(order, labels),
                    "layer": [
                        {"mark": {"type": "line", "strokeWidth": 2}},
                        {"mark": {"type": "point", "filled": True, "size": size}},
                    ],
                }
                for who, size in (("Faculty (agreed)", 70), ("Self-assessment", 45))
            ),
            {
                "data": {"values": [{"y": 4}]},
                "mark": {"type": "rule", "color": "#4f5b69", "strokeDash": [2, 2]},
                "encoding": {"y": {"field": "y", "type": "quantitative"}},
            },
        ],
        "config": _config(),
    }
    if not title:
        del spec["title"]
    if demo:
        _watermark(spec)
    return spec


def _trajectory_encoding(order: list[str], labels: dict[str, str]) -> dict:
    return {
        "x": {
            "field": "month",
            "type": "ordinal",
            "sort": order,
            "title": None,
            "scale": {"domain": order},
            "axis": {
                "labelAngle": -40,
                "labelExpr": "("
                + str({k: v for k, v in labels.items()}).replace("'", '"')
                + ")[datum.value]",
            },
        },
        "y": {
            "field": "score",
            "type": "quantitative",
            "title": "Score",
            "scale": {"domain": [0, 5]},
            "axis": {"values": [0, 1, 2, 3, 4, 5]},
        },
        "color": {
            "field": "who",
            "type": "nominal",
            "title": None,
            "scale": {
                "domain": ["Self-assessment", "Faculty (agreed)"],
                "range": [SELF_COLOUR, FACULTY_COLOUR],
            },
        },
        "shape": {
            "field": "who",
            "type": "nominal",
            "scale": {
                "domain": ["Self-assessment", "Faculty (agreed)"],
                "range": ["triangle-up", "circle"],
            },
            "title": None,
        },
        "strokeDash": {
            "field": "who",
            "type": "nominal",
            "scale": {
                "domain": ["Self-assessment", "Faculty (agreed)"],
                "range": [[5, 3], [1, 0]],
            },
            "title": None,
        },
    }


def distribution_spec(
    rows: list[tuple[str, str, Decimal, int]], *, width: int = 640, height: int = 240, demo=False
) -> dict:
    """Teams per agreed score per month: [(month key, label, score, count)] as stacked bars."""
    order = sorted({key for key, *_ in rows})
    labels = {key: label for key, label, *_ in rows}
    values = [{"month": key, "score": f"{score:.1f}", "teams": n} for key, _label, score, n in rows]
    spec = {
        "$schema": SCHEMA,
        "width": width,
        "height": height,
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": order,
                "title": None,
                "axis": {
                    "labelAngle": -40,
                    "labelExpr": "(" + str(labels).replace("'", '"') + ")[datum.value]",
                },
            },
            "y": {
                "field": "teams",
                "type": "quantitative",
                "title": "Teams",
                "axis": {"tickMinStep": 1},
            },
            "color": {
                "field": "score",
                "type": "ordinal",
                "title": "Agreed score",
                "scale": {"scheme": "viridis", "reverse": True},
                "sort": "descending",
            },
            "order": {"field": "score", "type": "ordinal", "sort": "ascending"},
            "tooltip": [
                {"field": "month", "title": "Month"},
                {"field": "score", "title": "Score"},
                {"field": "teams", "title": "Teams"},
            ],
        },
        "config": _config(),
    }
    if demo:
        _watermark(spec)
    return spec


def share_spec(
    rows: list[tuple[str, str, int | None]],
    *,
    aim: int | None = None,
    width=640,
    height=180,
    demo=False,
) -> dict:
    """Share of scored teams at 4.0 or above per month: [(month key, label, percent)]."""
    order = [key for key, *_ in rows]
    labels = {key: label for key, label, _ in rows}
    values = [{"month": key, "share": share} for key, _l, share in rows if share is not None]
    encoding = {
        "x": {
            "field": "month",
            "type": "ordinal",
            "sort": order,
            "scale": {"domain": order},
            "title": None,
            "axis": {
                "labelAngle": -40,
                "labelExpr": "(" + str(labels).replace("'", '"') + ")[datum.value]",
            },
        },
        "y": {
            "field": "share",
            "type": "quantitative",
            "title": "% of teams at 4.0+",
            "scale": {"domain": [0, 100]},
        },
    }
    layers: list[dict] = [
        {
            "data": {"values": values},
            "encoding": encoding,
            "mark": {
                "type": "line",
                "color": FACULTY_COLOUR,
                "point": {"filled": True, "color": FACULTY_COLOUR},
            },
        },
    ]
    if aim is not None:
        layers.append(
            {
                "data": {"values": [{"aim": aim}]},
                "mark": {"type": "rule", "color": "#009E73", "strokeDash": [6, 3]},
                "encoding": {"y": {"field": "aim", "type": "quantitative"}},
            }
        )
    spec = {
        "$schema": SCHEMA,
        "width": width,
        "height": height,
        "layer": layers,
        "config": _config(),
    }
    if demo:
        _watermark(spec)
    return spec


def _watermark(spec: dict) -> None:
    spec["title"] = {
        "text": "DEMO — FICTIONAL DATA",
        "fontSize": 10,
        "color": "#7a3a06",
        "anchor": "end",
        "fontWeight": "normal",
    }


def render(spec: dict, fmt: str = "svg"):
    """Render a specification to SVG text or PNG bytes (vl-convert, no browser)."""
    import vl_convert as vlc

    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=2)
    return vlc.vegalite_to_svg(spec)
