"""Validated inputs: one :class:`SeriesSpec` per chart, :class:`MDCSpec` and :class:`PrimitiveSpec`.

:func:`parse_spec` reads a specification in the command-line contract's JSON form (CLI.md §1, §5)
and checks every field, raising :class:`~breakthrough.spc.errors.SPCError` with a message that
names the field, the value and what is expected. :func:`series_spec` builds the same object from
Python arguments.

>>> spec = parse_spec({"chart": "p", "input": {"x": [1, 2], "y": [3, 4], "n": [10, 10]}})
>>> spec.chart, spec.rules
('p', 'anhoej')
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from breakthrough.spc.errors import SPCError

CHARTS = ("run", "i", "mr", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip")
CHART_NAMES = {
    "run": "run chart",
    "i": "I chart",
    "mr": "MR chart",
    "xbar": "X-bar chart",
    "s": "S chart",
    "t": "T chart",
    "p": "P chart",
    "pp": "P′ chart",
    "c": "C chart",
    "u": "U chart",
    "up": "U′ chart",
    "g": "G chart",
    "ip": "I′ chart",
}
RULE_SETS = ("anhoej", "ihi", "provost", "western_electric", "nelson", "mdc")
CONTROL_RULE_CHARTS = ("i", "xbar", "s", "t", "p", "pp", "c", "u", "up", "g", "ip")
NEEDS_N = ("p", "pp", "u", "up")
NO_N = ("xbar", "s", "t", "g")
AGG_FUNS = ("mean", "median", "sum", "sd")
METHODS = ("anhoej", "bestbox", "cutbox")
QIC_PARAMS = frozenset(
    (
        "freeze",
        "part_freeze",
        "part",
        "exclude",
        "multiply",
        "cl",
        "y_neg",
        "agg_fun",
        "method",
        "screened_mr",
        "rules",
        "sigma",
        "x_levels",
    )
)
MDC_PARAMS = frozenset(
    ("rules", "improvement_direction", "target", "fix_after_n_points", "rebase", "screen_outliers")
)
PRIMITIVES = {
    "mdc_seven_point_one_side_mean": ("v",),
    "mdc_part_of_seven": ("v",),
    "mdc_seven_point_trend": ("y",),
    "mdc_two_in_three": ("close", "rtm"),
    "mdc_part_of_two_in_three": ("close", "rtm"),
}


@dataclass(frozen=True)
class SeriesSpec:
    """One run or control chart to analyse (qicharts2 semantics, SPEC §2-§5 and §7-§11).

    ``x``, ``y`` and ``n`` are the raw rows; indices in ``freeze``, ``part``, ``part_freeze`` and
    ``exclude`` are 1-based subgroup numbers, as in the contract. ``labels``, ``unit`` and
    ``improvement_direction`` ("up" or "down") only shape the explanations and the status.
    """

    chart: str
    y: Sequence[Any]
    x: Sequence[Any] | None = None
    n: Sequence[Any] | None = None
    freeze: int | None = None
    part: tuple[int, ...] = ()
    part_freeze: tuple[int | None, ...] | None = None
    exclude: tuple[int, ...] = ()
    multiply: float = 1.0
    cl: float | None = None
    y_neg: bool = True
    agg_fun: str = "mean"
    method: str = "anhoej"
    screened_mr: bool = True
    rules: str = "anhoej"
    sigma: float | None = None
    x_levels: tuple[str, ...] | None = None
    labels: Sequence[str] | None = None
    unit: str | None = None
    improvement_direction: str | None = None

    def structure_key(self) -> tuple[object, ...]:
        """Everything but the data and per-series scalars: series with equal keys share a batch."""
        known: tuple[object, ...] | None = self.__dict__.get("_key")
        if known is not None:
            return known
        return (
            self.chart,
            self.n is not None,
            self.freeze,
            self.part,
            self.part_freeze,
            self.exclude,
            self.y_neg,
            self.agg_fun,
            self.method,
            self.screened_mr,
            self.rules,
        )


@dataclass(frozen=True)
class MDCSpec:
    """An NHS Making Data Count XmR chart (NHSRplotthedots semantics, SPEC §6)."""

    y: Sequence[Any]
    x: Sequence[Any] | None = None
    improvement_direction: str = "increase"
    target: float | None = None
    fix_after_n_points: int | None = None
    rebase: tuple[Any, ...] = ()
    screen_outliers: bool = True
    labels: Sequence[str] | None = None
    unit: str | None = None


@dataclass(frozen=True)
class PrimitiveSpec:
    """One MDC rule primitive evaluated on given vectors (CLI.md §5)."""

    primitive: str
    args: Mapping[str, Sequence[Any]]


Spec = SeriesSpec | MDCSpec | PrimitiveSpec


_CHART_SET = frozenset(CHARTS)
_DEFAULT_KEYS: dict[tuple[str, bool], tuple[object, ...]] = {}
_NUMBERS = (int, float)


def _quick(obj: object) -> SeriesSpec | None:
    """The common spec (a chart, x, y, maybe n, no params) without the general validation.

    Dashboards send thousands of these; everything the general path would check is checked
    here too, more cheaply, or the spec falls through to the general path.
    """
    if type(obj) is not dict:
        return None
    chart = obj.get("chart")
    inp = obj.get("input")
    params = obj.get("params")
    if params or type(chart) is not str or chart not in _CHART_SET or type(inp) is not dict:
        return None
    if "dates" in inp:
        return None
    y = inp.get("y")
    x = inp.get("x")
    n = inp.get("n")
    if (
        type(y) is not list
        or not y
        or (x is not None and (type(x) is not list or len(x) != len(y)))
    ):
        return None
    if n is None:
        if chart in NEEDS_N:
            return None
    elif type(n) is not list or len(n) != len(y) or chart in NO_N:
        return None
    spec = object.__new__(SeriesSpec)
    # Fields left out keep their class defaults; a frozen dataclass is filled through __dict__.
    # The structure key of a spec with default parameters depends on the chart and n only.
    key = _DEFAULT_KEYS.get((chart, n is not None))
    if key is None:
        key = _DEFAULT_KEYS[(chart, n is not None)] = SeriesSpec(chart, y, n=n).structure_key()
    spec.__dict__.update(chart=chart, y=y, x=x, n=n, _key=key)
    return spec


def parse_spec(obj: object) -> Spec:
    """Validate one contract specification (a JSON object) and return the matching spec."""
    quick = _quick(obj)
    if quick is not None:
        return quick
    if not isinstance(obj, Mapping):
        raise SPCError(
            f"a specification must be a JSON object with chart, input and params; got "
            f"{type(obj).__name__}"
        )
    if "primitive" in obj:
        return _primitive(obj)
    chart = obj.get("chart")
    if not isinstance(chart, str) or (chart not in _CHART_SET and chart != "xmr"):
        raise SPCError(
            f"unknown chart type {chart!r}; expected one of {', '.join(CHARTS)} (or xmr)"
        )
    inp = obj.get("input")
    if not isinstance(inp, Mapping):
        raise SPCError("input must be an object with the arrays y, x (or dates) and n")
    params = obj.get("params")
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise SPCError(f"params must be an object; got {type(params).__name__}")
    if "x" in inp and "dates" in inp:
        raise SPCError("input has both x and dates; give only one of them")
    x = inp.get("x", inp.get("dates"))
    y = inp.get("y")
    n = inp.get("n")
    rules = params.get("rules")
    if chart == "xmr":
        if rules not in (None, "mdc"):
            raise SPCError(f'chart "xmr" means rules "mdc"; params.rules is {rules!r}')
        chart, rules = "i", "mdc"
    if rules == "mdc":
        if chart != "i":
            raise SPCError(
                f'rules "mdc" (Making Data Count) applies to the I chart (xmr) only, '
                f"not to chart {chart!r}"
            )
        unknown = sorted(set(params) - MDC_PARAMS)
        if unknown:
            raise SPCError(
                f'with rules "mdc" these parameters are not allowed: {", ".join(unknown)} '
                f"(allowed: {', '.join(sorted(MDC_PARAMS))})"
            )
        if n is not None:
            raise SPCError('rules "mdc" (an XmR chart) takes no denominator n')
        return mdc_spec(
            y,
            x,
            improvement_direction=params.get("improvement_direction", "increase"),
            target=params.get("target"),
            fix_after_n_points=params.get("fix_after_n_points"),
            rebase=params.get("rebase"),
            screen_outliers=params.get("screen_outliers", True),
        )
    unknown = sorted(set(params) - QIC_PARAMS)
    if unknown:
        raise SPCError(
            f"unknown parameter {unknown[0]!r} in params; allowed: {', '.join(sorted(QIC_PARAMS))}"
        )
    kwargs = {k: v for k, v in params.items() if k != "rules"}
    return series_spec(chart, y, x, n, rules=rules if rules is not None else "anhoej", **kwargs)


def series_spec(
    chart: str,
    y: object,
    x: object = None,
    n: object = None,
    *,
    freeze: object = None,
    part: object = None,
    part_freeze: object = None,
    exclude: object = None,
    multiply: object = 1.0,
    cl: object = None,
    y_neg: object = True,
    agg_fun: object = "mean",
    method: object = "anhoej",
    screened_mr: object = True,
    rules: object = "anhoej",
    sigma: object = None,
    x_levels: object = None,
    labels: object = None,
    unit: object = None,
    improvement_direction: object = None,
) -> SeriesSpec:
    """Check the arguments of one chart and return its :class:`SeriesSpec`."""
    if chart not in CHARTS:
        raise SPCError(f"unknown chart type {chart!r}; expected one of {', '.join(CHARTS)}")
    name = CHART_NAMES[chart]
    if not isinstance(rules, str) or rules not in RULE_SETS:
        raise SPCError(f"unknown rule set {rules!r}; expected one of {', '.join(RULE_SETS)}")
    if rules == "mdc":
        raise SPCError(
            'rules "mdc" takes Making Data Count parameters; use mdc_spec or chart "xmr"'
        )
    if rules == "ihi" and chart != "run":
        raise SPCError(f'the IHI rules ("ihi") apply to run charts only, not to a {name}')
    if rules in ("provost", "western_electric", "nelson") and chart not in CONTROL_RULE_CHARTS:
        raise SPCError(f"the {rules} rules apply to control charts, not to a {name}")
    ys = _vector("y", y)
    if not ys:
        raise SPCError("the series is empty; y needs at least one value")
    ns: Sequence[Any] | None = None
    if n is not None:
        if chart in NO_N:
            raise SPCError(f"a {name} takes no denominator n; leave n out")
        ns = _vector("n", n)
        if len(ns) != len(ys):
            raise SPCError(
                f"n and y must have the same length; y has {len(ys)} values and n has {len(ns)}"
            )
    elif chart in NEEDS_N:
        raise SPCError(f"a {name} needs a denominator n for every subgroup; n is missing")
    xs = None if x is None else _vector("x", x)
    if xs is not None and len(xs) != len(ys):
        raise SPCError(
            f"x and y must have the same length; x has {len(xs)} values and y has {len(ys)}"
        )
    if agg_fun not in AGG_FUNS:
        raise SPCError(f"agg_fun must be one of {', '.join(AGG_FUNS)}; got {agg_fun!r}")
    if agg_fun != "mean" and chart in ("xbar", "s"):
        raise SPCError(
            f"a {name} uses subgroup means and standard deviations; agg_fun must be mean"
        )
    if method not in METHODS:
        raise SPCError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    mult = _number("multiply", multiply)
    if mult is None or not mult > 0:
        raise SPCError(f"multiply must be a finite number greater than 0; got {multiply!r}")
    user_cl = _number("cl", cl)
    if user_cl is not None:
        _check_cl(chart, user_cl)
    user_sigma = _number("sigma", sigma)
    if user_sigma is not None:
        if chart != "i":
            raise SPCError(
                f"sigma (a given process sigma) applies to the I chart only, not to a {name}"
            )
        if not user_sigma > 0:
            raise SPCError(f"sigma must be greater than 0; got {sigma!r}")
    levels = None
    if x_levels is not None:
        if isinstance(x_levels, str) or not isinstance(x_levels, Sequence):
            raise SPCError("x_levels must be a list of category labels")
        levels = tuple(x_levels)
    direction = _direction(improvement_direction)
    return SeriesSpec(
        chart=chart,
        y=ys,
        x=xs,
        n=ns,
        freeze=_index("freeze", freeze),
        part=_indices("part", part, allow_zero=True),
        part_freeze=_part_freeze(part_freeze),
        exclude=_indices("exclude", exclude),
        multiply=mult,
        cl=user_cl,
        y_neg=_flag("y_neg", y_neg),
        agg_fun=str(agg_fun),
        method=str(method),
        screened_mr=_flag("screened_mr", screened_mr),
        rules=rules,
        sigma=user_sigma,
        x_levels=levels,
        labels=_labels(labels),
        unit=None if unit is None else str(unit),
        improvement_direction=direction,
    )


def mdc_spec(
    y: object,
    x: object = None,
    *,
    improvement_direction: object = "increase",
    target: object = None,
    fix_after_n_points: object = None,
    rebase: object = None,
    screen_outliers: object = True,
    labels: object = None,
    unit: object = None,
) -> MDCSpec:
    """Check the arguments of a Making Data Count XmR chart and return its :class:`MDCSpec`."""
    ys = _vector("y", y)
    if not ys:
        raise SPCError("the series is empty; y needs at least one value")
    xs = None if x is None else _vector("x", x)
    if xs is not None and len(xs) != len(ys):
        raise SPCError(
            f"x and y must have the same length; x has {len(xs)} values and y has {len(ys)}"
        )
    direction = improvement_direction
    if direction in ("up", "down"):
        direction = "increase" if direction == "up" else "decrease"
    if direction not in ("increase", "decrease", "neutral"):
        raise SPCError(
            "improvement_direction must be increase, decrease or neutral; "
            f"got {improvement_direction!r}"
        )
    fix = None
    if fix_after_n_points is not None:
        fix = _index("fix_after_n_points", fix_after_n_points)
        if fix is None or fix < 12:
            raise SPCError(
                "fix_after_n_points must be a whole number of at least 12; "
                f"got {fix_after_n_points!r}"
            )
    reb: tuple[Any, ...] = ()
    if rebase is not None:
        reb = tuple(rebase) if isinstance(rebase, list | tuple) else (rebase,)
    return MDCSpec(
        y=ys,
        x=xs,
        improvement_direction=str(direction),
        target=_number("target", target),
        fix_after_n_points=fix,
        rebase=reb,
        screen_outliers=_flag("screen_outliers", screen_outliers),
        labels=_labels(labels),
        unit=None if unit is None else str(unit),
    )


def _primitive(obj: Mapping[str, Any]) -> PrimitiveSpec:
    name = obj.get("primitive")
    if name not in PRIMITIVES:
        raise SPCError(f"unknown primitive {name!r}; expected one of {', '.join(PRIMITIVES)}")
    args = obj.get("args")
    if not isinstance(args, Mapping):
        raise SPCError(f"primitive {name} needs args: {', '.join(PRIMITIVES[name])}")
    out = {}
    for key in PRIMITIVES[name]:
        if key not in args:
            raise SPCError(f"primitive {name} needs the argument {key!r}")
        out[key] = _vector(key, args[key])
    return PrimitiveSpec(str(name), out)


def _vector(name: str, v: object) -> Sequence[Any]:
    if isinstance(v, list | tuple):
        return v
    if hasattr(v, "tolist") and hasattr(v, "ndim"):
        if v.ndim != 1:
            raise SPCError(f"{name} must be a one-dimensional list of values")
        return v.tolist()  # type: ignore[no-any-return]
    if isinstance(v, Sequence) and not isinstance(v, str | bytes):
        return list(v)
    if v is None:
        raise SPCError(f"{name} is missing; give a list of values")
    raise SPCError(f"{name} must be a list of values; got {type(v).__name__}")


def _number(name: str, v: object) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise SPCError(f"{name} must be a number; got {v!r}")
    f = float(v)
    if not math.isfinite(f):
        raise SPCError(f"{name} must be a finite number; got {v!r}")
    return f


def _flag(name: str, v: object) -> bool:
    if not isinstance(v, bool):
        raise SPCError(f"{name} must be true or false; got {v!r}")
    return v


def _whole(name: str, v: object) -> int:
    if isinstance(v, bool) or not isinstance(v, int | float) or not float(v).is_integer():
        raise SPCError(f"{name} must be a whole number (a subgroup number, 1-based); got {v!r}")
    return int(v)


def _index(name: str, v: object) -> int | None:
    if v is None:
        return None
    k = _whole(name, v)
    if k < 1:
        raise SPCError(f"{name} must be at least 1 (subgroups are numbered from 1); got {v!r}")
    return k


def _indices(name: str, v: object, allow_zero: bool = False) -> tuple[int, ...]:
    if v is None:
        return ()
    items = v if isinstance(v, list | tuple) else [v]
    out = []
    for item in items:
        k = _whole(name, item)
        if k < (0 if allow_zero else 1) and name != "part":
            raise SPCError(f"{name} must list subgroup numbers of at least 1; got {item!r}")
        out.append(k)
    return tuple(out)


def _part_freeze(v: object) -> tuple[int | None, ...] | None:
    if v is None:
        return None
    if not isinstance(v, list | tuple):
        raise SPCError("part_freeze must be a list with one entry per part (a number or null)")
    return tuple(_index("part_freeze", item) for item in v)


def _labels(v: object) -> Sequence[str] | None:
    if v is None:
        return None
    if isinstance(v, str) or not isinstance(v, Sequence):
        raise SPCError("labels must be a list of texts, one per point")
    return [str(item) for item in v]


def _direction(v: object) -> str | None:
    if v is None or v == "neutral":
        return None
    if v in ("up", "increase"):
        return "up"
    if v in ("down", "decrease"):
        return "down"
    raise SPCError(f"improvement_direction must be up or down (or null); got {v!r}")


def _check_cl(chart: str, cl: float) -> None:
    name = CHART_NAMES[chart]
    if chart in ("p", "pp") and not 0 <= cl <= 1:
        raise SPCError(f"a {name} centre line cl is a proportion between 0 and 1; got {cl!r}")
    if chart in ("c", "u", "up", "g", "mr", "s") and cl < 0:
        raise SPCError(f"a {name} centre line cl cannot be negative; got {cl!r}")
    if chart == "t" and not cl > 0:
        raise SPCError(f"a {name} centre line cl is a time and must be greater than 0; got {cl!r}")
