"""NHS Making Data Count XmR charts (NHSRplotthedots 0.2.2 semantics, SPEC §6).

The mean and the average moving range (AMR) of each rebase group's first ``fix_after_n_points``
rows give the process limits mean ∓ 2.66·AMR. Four rules mark special causes: a point outside the
limits, a run of 7 on one side of the mean (a point on the mean breaks it), a trend of 7 rising or
falling points, and 2 of 3 points close to a limit on the same side. Each point gets one label by
precedence, a point type relative to the improvement direction, and the series gets variation and
assurance icons.

>>> from breakthrough.spc.spec import mdc_spec
>>> res = analyze_mdc(mdc_spec([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]))
>>> round(res.groups[0].upl, 2), res.special_cause_type[4]
(4.6, 'Above UCL')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from breakthrough.spc.errors import SPCError
from breakthrough.spc.explain import Context, explain
from breakthrough.spc.rules import Finding, Number
from breakthrough.spc.signals import Signal
from breakthrough.spc.spec import MDCSpec
from breakthrough.spc.xaxis import XAxis, parse_x, series_labels

LIMIT = 2.66
NEAR = 2 * 2.66 / 3
SCREEN = 3.267
RUN = 7
SHORT_GROUP = 13

IntVec = npt.NDArray[np.int64]
ABOVE_UCL, BELOW_LCL = "Above UCL", "Below LCL"
TREND_UP, TREND_DOWN = "7 Point Trend (Increasing)", "7 Point Trend (Decreasing)"
TWO_UP, TWO_DOWN = "2 in 3 Above CL", "2 in 3 Below CL"
SHIFT_UP, SHIFT_DOWN = "7 Points Above CL", "7 Points Below CL"
COMMON = "Common Cause"


def seven_point_one_side_mean(v: Sequence[int]) -> list[int]:
    """1 at the 7th and later points of a run of >= 7 equal non-zero values, else 0."""
    out = [0] * len(v)
    run = 0
    for i, r in enumerate(v):
        run = run + 1 if i > 0 and r != 0 and r == v[i - 1] else (1 if r != 0 else 0)
        out[i] = 1 if run >= RUN else 0
    return out


def part_of_seven(v: Sequence[int]) -> list[int]:
    """1 where any of this and the next 6 entries is non-zero, else 0."""
    n = len(v)
    return [1 if any(v[j] != 0 for j in range(i, min(i + RUN, n))) else 0 for i in range(n)]


def seven_point_trend(y: Sequence[float]) -> list[int]:
    """+1 or -1 where the 7 points ending here strictly rise or fall; 0 elsewhere."""
    n = len(y)
    out = [0] * n
    for i in range(RUN - 1, n):
        steps = [y[j] - y[j - 1] for j in range(i - RUN + 2, i + 1)]
        if all(s > 0 for s in steps):
            out[i] = 1
        elif all(s < 0 for s in steps):
            out[i] = -1
    return out


def two_in_three(close: Sequence[int], rtm: Sequence[int]) -> list[int]:
    """1 for every point of a 3-window with >= 2 close points all on one side of the mean."""
    n = len(close)
    out = [0] * n
    for i in range(n - 2):
        if sum(close[i : i + 3]) >= 2 and abs(sum(rtm[i : i + 3])) == 3:
            out[i] = out[i + 1] = out[i + 2] = 1
    return out


def part_of_two_in_three(close: Sequence[int], rtm: Sequence[int]) -> list[int]:
    """``two_in_three`` restricted to the close points themselves."""
    return [w & (1 if c else 0) for w, c in zip(two_in_three(close, rtm), close, strict=True)]


PRIMITIVES = {
    "mdc_seven_point_one_side_mean": lambda a: seven_point_one_side_mean(a["v"]),
    "mdc_part_of_seven": lambda a: part_of_seven(a["v"]),
    "mdc_seven_point_trend": lambda a: seven_point_trend(a["y"]),
    "mdc_two_in_three": lambda a: two_in_three(a["close"], a["rtm"]),
    "mdc_part_of_two_in_three": lambda a: part_of_two_in_three(a["close"], a["rtm"]),
}


@dataclass(frozen=True)
class MDCGroup:
    """Summary of one rebase group (SPEC §6.9)."""

    rebase_group: int
    n: int
    mean: float | None
    lpl: float | None
    upl: float | None
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int
    variation_type: str
    assurance_type: str | None


@dataclass(frozen=True)
class MDCResult:
    """A Making Data Count XmR chart: per-point fields (tuples, in x order) and group summaries."""

    x: tuple[object, ...]
    labels: tuple[str, ...]
    unit: str
    y: tuple[float, ...]
    rebase_group: tuple[int, ...]
    mean: tuple[float | None, ...]
    lpl: tuple[float | None, ...]
    upl: tuple[float | None, ...]
    nlpl: tuple[float | None, ...]
    nupl: tuple[float | None, ...]
    outside_limits: tuple[bool, ...]
    relative_to_mean: tuple[int, ...]
    close_to_limits: tuple[bool, ...]
    special_cause_type: tuple[str, ...]
    special_cause_flag: tuple[bool, ...]
    point_type: tuple[str, ...]
    short_group_warning: tuple[bool, ...]
    point_signals: tuple[tuple[str, ...], ...]
    groups: tuple[MDCGroup, ...]
    improvement_direction: str
    target: float | None
    variation_icon: str
    assurance_icon: str | None
    signals: tuple[Signal, ...]
    status: str
    summary_text: str


def _opt(v: float) -> float | None:
    return None if v != v else v


def analyze_mdc(spec: MDCSpec) -> MDCResult:
    """Analyse one Making Data Count XmR chart (SPEC §6)."""
    axis = parse_x(spec.x, len(spec.y), None)
    if axis.kind == "category":
        raise SPCError("a Making Data Count chart needs dates (or numbers) as x, not labels")
    if axis.n_sub != len(spec.y) or (axis.order is not None and len(axis.order) != len(spec.y)):
        _duplicate_or_missing(axis, spec)
    order = np.arange(len(spec.y)) if axis.order is None else axis.order
    y = _values(spec.y, order)
    groups = _groups(axis, spec.rebase)
    fields = _points(y, groups, spec)
    return _result(axis, y, groups, fields, spec)


def _duplicate_or_missing(axis: XAxis, spec: MDCSpec) -> None:
    if spec.x is not None:
        for i, v in enumerate(spec.x):
            if v is None:
                raise SPCError(
                    f"a Making Data Count chart needs a date for every row; row {i + 1} has none"
                )
    seen: dict[object, int] = {}
    for i, v in enumerate(spec.x or ()):
        if v in seen:
            raise SPCError(
                f"x values must be unique in a Making Data Count chart; row {i + 1} repeats "
                f"{v!r} from row {seen[v] + 1}"
            )
        seen[v] = i
    raise SPCError("x values must be unique in a Making Data Count chart")


def _values(raw: Sequence[object], order: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    out = np.empty(len(raw))
    for i, v in enumerate(raw):
        if v is None or (isinstance(v, float) and v != v):
            raise SPCError(
                f"a Making Data Count chart needs a value for every date; row {i + 1} has y=null "
                "(remove the row or fill in the value)"
            )
        try:
            value = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SPCError(
                f"y must be a number for every row; row {i + 1} has {v!r} ({type(v).__name__})"
            ) from None
        if not math.isfinite(value):
            raise SPCError(f"y must be a finite number; row {i + 1} has {v!r}")
        out[i] = value
    return out[order]


def _groups(axis: XAxis, rebase: tuple[object, ...]) -> IntVec:
    keys = axis.keys
    marks = np.zeros(len(keys), dtype=np.int64)
    if rebase:
        targets = set()
        for r in rebase:
            parsed = parse_x([r], 1, None)
            if parsed.kind != axis.kind:
                raise SPCError(f"rebase must list x values of the series; {r!r} is not of x's kind")
            targets.add(parsed.keys[0])
        for i, k in enumerate(keys):
            if k in targets:
                marks[i] = 1
    out: IntVec = np.cumsum(marks)
    return out


@dataclass
class _Fields:
    mean: npt.NDArray[np.float64]
    lpl: npt.NDArray[np.float64]
    upl: npt.NDArray[np.float64]
    nlpl: npt.NDArray[np.float64]
    nupl: npt.NDArray[np.float64]
    outside: list[bool]
    rtm: list[int]
    close: list[bool]
    label: list[str]
    signals: list[tuple[str, ...]]


def _points(y: npt.NDArray[np.float64], groups: IntVec, spec: MDCSpec) -> _Fields:
    n = len(y)
    mean, amr = np.full(n, np.nan), np.full(n, np.nan)
    for g in np.unique(groups).tolist():
        rows = np.nonzero(groups == g)[0]
        window = y[rows[: spec.fix_after_n_points or len(rows)]]
        m = math.fsum(window.tolist()) / len(window)
        mr = np.abs(np.diff(window))
        a = float("nan")
        if len(mr):
            a = float(mr.mean())
            if spec.screen_outliers:
                kept = mr[mr < SCREEN * a]
                a = float(kept.mean()) if len(kept) else 0.0
        mean[rows], amr[rows] = m, a
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    nlpl, nupl = mean - NEAR * amr, mean + NEAR * amr
    outside = ((y > upl) | (y < lpl)).tolist()
    rtm = np.nan_to_num(np.sign(y - mean)).astype(np.int64).tolist()
    close = (~((y > upl) | (y < lpl)) & ((y < nlpl) | (y > nupl))).tolist()
    label: list[str] = [COMMON] * n
    signals: list[tuple[str, ...]] = [()] * n
    for g in np.unique(groups).tolist():
        members: list[int] = np.nonzero(groups == g)[0].tolist()
        idx = members
        gy = [float(y[i]) for i in idx]
        grtm = [rtm[i] for i in idx]
        gclose = [1 if close[i] else 0 for i in idx]
        shift = part_of_seven(seven_point_one_side_mean(grtm))
        trend_marks = part_of_seven(seven_point_trend(gy))
        two = part_of_two_in_three(gclose, grtm)
        for j, i in enumerate(idx):
            sig = []
            if outside[i]:
                sig.append("mdc_outside_limits")
            if trend_marks[j]:
                sig.append("mdc_trend")
            if two[j]:
                sig.append("mdc_two_in_three")
            if shift[j]:
                sig.append("mdc_shift")
            signals[i] = tuple(sig)
            if outside[i]:
                label[i] = ABOVE_UCL if grtm[j] == 1 else BELOW_LCL
            elif trend_marks[j]:
                nxt = j + 1 < len(idx) and trend_marks[j + 1]
                step = gy[j + 1] - gy[j] if nxt else (gy[j] - gy[j - 1] if j > 0 else 0.0)
                label[i] = TREND_UP if step > 0 else TREND_DOWN
            elif two[j]:
                label[i] = TWO_UP if grtm[j] > 0 else TWO_DOWN
            elif shift[j]:
                label[i] = SHIFT_UP if grtm[j] > 0 else SHIFT_DOWN
    return _Fields(mean, lpl, upl, nlpl, nupl, outside, rtm, close, label, signals)


def point_type(label: str, direction: str) -> str:
    """common_cause, special_cause_improvement/_concern or special_cause_neutral_high/_low."""
    v = 1 if ("Above" in label or "Increasing" in label) else -1 if label != COMMON else 0
    d = {"increase": 1, "decrease": -1}.get(direction, 0)
    if d == 0:
        return {1: "special_cause_neutral_high", -1: "special_cause_neutral_low"}.get(
            v, "common_cause"
        )
    return {1: "special_cause_improvement", -1: "special_cause_concern"}.get(v * d, "common_cause")


def _assurance(
    target: float | None, direction: str, lpl: float | None, upl: float | None
) -> str | None:
    if target is None or direction == "neutral" or lpl is None or upl is None:
        return None
    if target > upl:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"


VARIATION_ICONS = {
    ("common_cause", "increase"): "common_cause",
    ("special_cause_improvement", "increase"): "improvement_high",
    ("special_cause_improvement", "decrease"): "improvement_low",
    ("special_cause_concern", "increase"): "concern_low",
    ("special_cause_concern", "decrease"): "concern_high",
}
ASSURANCE_ICONS = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}


def variation_icon(last_point_type: str, direction: str) -> str:
    """The Making Data Count variation icon for the series' last point type."""
    if last_point_type == "common_cause":
        return "common_cause"
    if last_point_type.startswith("special_cause_neutral_"):
        return "neutral_" + last_point_type.rsplit("_", 1)[1]
    return VARIATION_ICONS[(last_point_type, direction)]


def _result(
    axis: XAxis, y: npt.NDArray[np.float64], groups: IntVec, f: _Fields, spec: MDCSpec
) -> MDCResult:
    direction = spec.improvement_direction
    types = [point_type(lb, direction) for lb in f.label]
    flags = [lb != COMMON for lb in f.label]
    sizes = {g: int((groups == g).sum()) for g in np.unique(groups).tolist()}
    grp = groups.tolist()
    last_group = grp[-1]
    summaries = []
    for g, size in sizes.items():
        idx = [i for i, v in enumerate(grp) if v == g]
        first, last = idx[0], idx[-1]
        assurance = None
        if g == last_group:
            assurance = _assurance(spec.target, direction, _opt(f.lpl[last]), _opt(f.upl[last]))
        summaries.append(
            MDCGroup(
                rebase_group=g,
                n=size,
                mean=_opt(float(f.mean[first])),
                lpl=_opt(float(f.lpl[first])),
                upl=_opt(float(f.upl[first])),
                common_cause=size - sum(flags[i] for i in idx),
                special_cause_improvement=sum(types[i] == "special_cause_improvement" for i in idx),
                special_cause_concern=sum(types[i] == "special_cause_concern" for i in idx),
                variation_type=types[last],
                assurance_type=assurance,
            )
        )
    assurance = summaries[-1].assurance_type
    x_out = axis.x_out
    labels = series_labels(spec.labels, axis)
    unit = spec.unit or axis.unit()
    signals = _signals(y, grp, f, labels, unit)
    status, text = _status(types, signals, sizes[last_group], spec, assurance, summaries[-1])
    return MDCResult(
        x=x_out,
        labels=labels,
        unit=unit,
        y=tuple(y.tolist()),
        rebase_group=tuple(grp),
        mean=tuple(_opt(v) for v in f.mean.tolist()),
        lpl=tuple(_opt(v) for v in f.lpl.tolist()),
        upl=tuple(_opt(v) for v in f.upl.tolist()),
        nlpl=tuple(_opt(v) for v in f.nlpl.tolist()),
        nupl=tuple(_opt(v) for v in f.nupl.tolist()),
        outside_limits=tuple(f.outside),
        relative_to_mean=tuple(f.rtm),
        close_to_limits=tuple(f.close),
        special_cause_type=tuple(f.label),
        special_cause_flag=tuple(flags),
        point_type=tuple(types),
        short_group_warning=tuple(sizes[g] < SHORT_GROUP for g in grp),
        point_signals=tuple(f.signals),
        groups=tuple(summaries),
        improvement_direction=direction,
        target=spec.target,
        variation_icon=variation_icon(types[-1], direction),
        assurance_icon=None if assurance is None else ASSURANCE_ICONS[assurance],
        signals=signals,
        status=status,
        summary_text=text,
    )


def _signals(
    y: npt.NDArray[np.float64], grp: list[int], f: _Fields, labels: tuple[str, ...], unit: str
) -> tuple[Signal, ...]:
    n = len(y)
    direction: dict[str, list[str | None]] = {}
    up_down = ["up" if r > 0 else "down" if r < 0 else None for r in f.rtm]
    trend: list[str | None] = [None] * n
    for i in range(n):
        if "mdc_trend" in f.signals[i]:
            nxt = i + 1 < n and grp[i + 1] == grp[i] and "mdc_trend" in f.signals[i + 1]
            step = y[i + 1] - y[i] if nxt else (y[i] - y[i - 1] if i > 0 else 0.0)
            trend[i] = "up" if step > 0 else "down"
    direction = {"mdc_trend": trend}
    ctx = Context(labels=labels, unit=unit, centre="mean")
    out: list[Signal] = []
    for rule in ("mdc_outside_limits", "mdc_trend", "mdc_two_in_three", "mdc_shift"):
        dirs = direction.get(rule, up_down)
        run: list[int] = []
        for i in [*range(n), -1]:
            hit = i >= 0 and rule in f.signals[i]
            if (
                hit
                and run
                and grp[i] == grp[run[-1]]
                and i == run[-1] + 1
                and dirs[i] == dirs[run[-1]]
            ):
                run.append(i)
                continue
            if run:
                values: dict[str, Number] = {
                    "points": len(run),
                    "mean": _opt(float(f.mean[run[0]])),
                }
                fd = Finding(rule, "mdc", tuple(run), grp[run[0]] + 1, dirs[run[0]], values)
                out.append(
                    Signal(rule, "mdc", fd.points, fd.part, fd.direction, values, explain(fd, ctx))
                )
            run = [i] if hit else []
    out.sort(key=lambda s: (s.points[0], s.points[-1]))
    return tuple(out)


def _status(
    types: list[str],
    signals: tuple[Signal, ...],
    last_size: int,
    spec: MDCSpec,
    assurance: str | None,
    last: MDCGroup,
) -> tuple[str, str]:
    kind = types[-1]
    assure = ""
    if assurance == "consistent_pass":
        assure = (
            " The target is met consistently: it lies outside the process limits on the good side."
        )
    elif assurance == "consistent_fail":
        assure = (
            " The target will not be met without a change to the process: it lies outside the "
            "process limits on the wrong side."
        )
    elif assurance == "inconsistent":
        assure = (
            " The target lies within the process limits, so it will be met only some of the time."
        )
    if kind == "common_cause":
        if last_size < SHORT_GROUP and not any(
            s.points[-1] >= len(types) - last_size for s in signals
        ):
            return (
                "not_enough_data",
                f"Not enough data yet: {last_size} points since the last rebase; Making Data Count "
                f"needs at least {SHORT_GROUP} to judge the process." + assure,
            )
        return "common_cause", "Common-cause variation: the latest point shows no signal." + assure
    latest = [s for s in signals if s.points[-1] == len(types) - 1]
    why = f" {latest[0].explanation}" if latest else ""
    if kind == "special_cause_improvement":
        return (
            "improvement",
            "Improvement: the latest point is special-cause improvement." + why + assure,
        )
    if kind == "special_cause_concern":
        return "deterioration", "Concern: the latest point is special-cause concern." + why + assure
    side = "high" if kind.endswith("high") else "low"
    return "special_cause", f"Special-cause variation ({side}) at the latest point." + why + assure
