"""Rich, immutable results for the platform: :class:`ChartResult` and :class:`PartSummary`.

A :class:`ChartResult` holds every per-point line of a chart (as tuples, None for null), the
part summaries, the signals of the selected rule set with their plain-language explanations, a
chart-level ``status`` and ``summary_text``. :meth:`ChartResult.to_dict` gives the contract output
of CLI.md §2, identical to :func:`breakthrough.spc.analyze`.

>>> from breakthrough.spc import analyze_series
>>> r = analyze_series("run", [3, 5, 4, 6, 5, 7, 6, 8, 9, 9, 10, 11], improvement_direction="up")
>>> r.status, r.cl[0]
('common_cause', 6.5)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from breakthrough.spc.contract import block_dicts, rule_outcome, series_view
from breakthrough.spc.engine import BlockResult
from breakthrough.spc.explain import Context, chart_summary, explain
from breakthrough.spc.rules import Finding, Number, point_rules
from breakthrough.spc.rules.anhoej import anhoej_findings
from breakthrough.spc.signals import Signal
from breakthrough.spc.xaxis import series_labels

Json = dict[str, Any]


@dataclass(frozen=True)
class PartSummary:
    """The per-part summary of SPEC §5 (qicharts2's ``summary()``), with the IHI runs fields."""

    part: int
    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None
    runs_signal: bool
    sigma_signal_count: int
    cl_mean: float | None
    lcl_mean: float | None
    ucl_mean: float | None
    extra: Mapping[str, Number | bool] = field(default_factory=dict)

    def to_dict(self) -> Json:
        """The contract's summary record."""
        out: Json = {
            "part": self.part,
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "n_crossings": self.n_crossings,
            "n_crossings_min": self.n_crossings_min,
            "runs_signal": self.runs_signal,
            "sigma_signal_count": self.sigma_signal_count,
            "cl_mean": self.cl_mean,
            "lcl_mean": self.lcl_mean,
            "ucl_mean": self.ucl_mean,
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class ChartResult:
    """A run or control chart with its signals and their explanations.

    Per-point tuples have one entry per subgroup, in x order; numbers are scaled by
    ``multiply``; None means null. ``point_signals[i]`` lists the rule ids that flag point i.
    ``status`` is one of ``improvement``, ``deterioration`` (when an improvement direction is
    given), ``special_cause``, ``common_cause`` or ``not_enough_data``.
    """

    chart: str
    rules: str
    method: str
    x: tuple[object, ...]
    labels: tuple[str, ...]
    unit: str
    y: tuple[float | None, ...]
    n: tuple[float | int | None, ...]
    cl: tuple[float | None, ...]
    lcl: tuple[float | None, ...]
    ucl: tuple[float | None, ...]
    lcl_95: tuple[float | None, ...]
    ucl_95: tuple[float | None, ...]
    part: tuple[int, ...]
    baseline: tuple[bool, ...]
    include: tuple[bool, ...]
    sigma_signal: tuple[bool, ...]
    runs_signal: tuple[bool, ...]
    point_signals: tuple[tuple[str, ...], ...]
    signals: tuple[Signal, ...]
    summary: tuple[PartSummary, ...]
    status: str
    summary_text: str
    improvement_direction: str | None = None

    def to_dict(self) -> Json:
        """The contract output of CLI.md §2 (what :func:`breakthrough.spc.analyze` returns)."""
        per_point: Json = {
            "x": list(self.x),
            "part": list(self.part),
            "baseline": list(self.baseline),
            "include": list(self.include),
            "n": list(self.n),
            "y": list(self.y),
            "cl": list(self.cl),
            "lcl": list(self.lcl),
            "ucl": list(self.ucl),
            "lcl_95": list(self.lcl_95),
            "ucl_95": list(self.ucl_95),
            "sigma_signal": list(self.sigma_signal),
            "runs_signal": list(self.runs_signal),
        }
        if self.rules != "anhoej":
            per_point["signals"] = [list(s) for s in self.point_signals]
        return {"per_point": per_point, "summary": [p.to_dict() for p in self.summary]}


def _centre(chart: str, user_cl: bool, frozen: bool) -> str:
    word = {"run": "median", "g": "median", "mr": "average moving range"}.get(chart, "centre line")
    if user_cl:
        word = "centre line"
    return f"baseline {word}" if frozen and word != "centre line" else word


def block_results(res: BlockResult) -> list[ChartResult]:
    """Rich results for every series of a computed block."""
    b = res.block
    outcomes = [rule_outcome(res, s) for s in range(b.size)]
    dicts = block_dicts(res, outcomes)
    out = []
    categorical = b.axis.kind == "category"
    for s, (d, outcome) in enumerate(zip(dicts, outcomes, strict=True)):
        spec = b.specs[s]
        pp = d["per_point"]
        labels = series_labels(spec.labels, b.axis)
        unit = spec.unit or b.axis.unit()
        view = series_view(res, s)
        if outcome is None:
            runs = [
                (
                    int(r.n_useful[s]),
                    int(r.longest_run[s]),
                    int(r.longest_run_max[s]),
                    int(r.n_crossings[s]),
                    int(r.n_crossings_min[s]),
                )
                for r in res.runs
            ]
            enabled = not (categorical or b.chart == "mr")
            findings: list[Finding] = anhoej_findings(view, runs, spec.method, enabled)
            flags = point_rules(len(view.y), findings, "anhoej")
        else:
            findings = outcome.findings
            flags = outcome.point_rules or [[] for _ in view.y]
        frozen = not bool(b.baseline.all())
        ctx = Context(
            labels=labels,
            unit=unit,
            centre=_centre(b.chart, spec.cl is not None, frozen),
            values=pp["y"],
            upper=pp["ucl"],
            lower=pp["lcl"],
        )
        texts = [explain(f, ctx) for f in findings]
        signals = tuple(
            Signal(
                f.rule,
                f.rule_set,
                f.points,
                f.part,
                f.direction,
                dict(f.values),
                t,
                f.flagged or (),
            )
            for f, t in zip(findings, texts, strict=True)
        )
        summary = tuple(
            PartSummary(
                **{k: rec[k] for k in _SUMMARY_KEYS},
                extra={k: v for k, v in rec.items() if k not in _SUMMARY_KEYS},
            )
            for rec in d["summary"]
        )
        last = summary[-1]
        status = chart_summary(
            findings,
            texts,
            last.part,
            last.n_useful if last.n_useful else _values_in_last_part(pp["y"], b.parts[-1]),
            labels,
            spec.improvement_direction,
            spec.rules,
        )
        out.append(
            ChartResult(
                chart=b.chart,
                rules=spec.rules,
                method=spec.method,
                x=tuple(pp["x"]),
                labels=labels,
                unit=unit,
                y=tuple(pp["y"]),
                n=tuple(pp["n"]),
                cl=tuple(pp["cl"]),
                lcl=tuple(pp["lcl"]),
                ucl=tuple(pp["ucl"]),
                lcl_95=tuple(pp["lcl_95"]),
                ucl_95=tuple(pp["ucl_95"]),
                part=tuple(pp["part"]),
                baseline=tuple(pp["baseline"]),
                include=tuple(pp["include"]),
                sigma_signal=tuple(pp["sigma_signal"]),
                runs_signal=tuple(pp["runs_signal"]),
                point_signals=tuple(tuple(f) for f in flags),
                signals=signals,
                summary=summary,
                status=status.status,
                summary_text=status.text,
                improvement_direction=spec.improvement_direction,
            )
        )
    return out


def _values_in_last_part(y: list[float | None], part: tuple[int, int]) -> int:
    return sum(v is not None for v in y[part[0] : part[1]])


_SUMMARY_KEYS = (
    "part",
    "n_obs",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
    "runs_signal",
    "sigma_signal_count",
    "cl_mean",
    "lcl_mean",
    "ucl_mean",
)
