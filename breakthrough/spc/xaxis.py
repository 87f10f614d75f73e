"""The x axis of a series: numbers, ISO 8601 dates and date-times, or categories.

:func:`parse_x` turns the raw x values of a series into an :class:`XAxis`: the order of the
subgroups (SPEC §2.1), which rows share a subgroup (§2.3), the x value echoed for each subgroup,
and human labels for explanations ("Mar 2009" for monthly dates).

>>> axis = parse_x(["2009-03-01", "2009-01-01", "2009-02-01"], 3, None)
>>> axis.kind, axis.x_out
('time', ('2009-01-01', '2009-02-01', '2009-03-01'))
>>> axis.labels(), axis.unit()
(('Jan 2009', 'Feb 2009', 'Mar 2009'), 'months')

Parsing dates is the slowest part of reading a series, and the series of one collaborative share
their x values, so parsed string axes are cached.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from breakthrough.spc.errors import SPCError

IntArray = npt.NDArray[np.intp]

_DATE_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\Z"
)
_LOOSE_DATE_RE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T].*)?\Z")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CACHE: dict[tuple[object, ...], XAxis] = {}
_CACHE_SIZE = 512


class XAxis:
    """The parsed x axis of one series (internal; shared by every series with the same x).

    ``order`` lists the kept input rows (0-based) in subgroup order, or is None when every row is
    kept and already in order with no repeated x. ``starts`` gives, for each subgroup, its first
    position in ``order`` (None when no x repeats).
    """

    __slots__ = ("_labels", "_unit", "keys", "kind", "n_rows", "n_sub", "order", "starts", "x_out")

    def __init__(
        self,
        kind: str,
        n_rows: int,
        order: IntArray | None,
        starts: IntArray | None,
        x_out: tuple[object, ...],
        keys: tuple[object, ...],
    ) -> None:
        self.kind = kind
        self.n_rows = n_rows
        self.order = order
        self.starts = starts
        self.x_out = x_out
        self.n_sub = len(x_out)
        self.keys = keys
        self._labels: tuple[str, ...] | None = None
        self._unit: str | None = None

    @property
    def identity(self) -> bool:
        """True when rows are subgroups, already in order."""
        return self.order is None

    def labels(self) -> tuple[str, ...]:
        """Human labels of the subgroups: "Mar 2009" for monthly dates, "4 Mar 2009" for days."""
        if self._labels is None:
            self._labels, self._unit = _describe(self.kind, self.keys, self.x_out)
        return self._labels

    def unit(self) -> str:
        """The plural word for the points of this axis: months, weeks, days, or points."""
        if self._unit is None:
            self._labels, self._unit = _describe(self.kind, self.keys, self.x_out)
        return self._unit


def parse_x(x: Sequence[object] | None, n_rows: int, levels: Sequence[str] | None) -> XAxis:
    """Parse the x values of a series of ``n_rows`` rows; None means 1, 2, ..., n_rows.

    Raises :class:`SPCError` for a length mismatch, mixed kinds or unknown categories.
    """
    if x is None:
        return _numbers(list(range(1, n_rows + 1)), n_rows)
    if isinstance(x, str | bytes) or not isinstance(x, Sequence):
        raise SPCError("x must be a list of numbers, ISO 8601 dates or category labels")
    if len(x) != n_rows:
        raise SPCError(
            f"x and y must have the same length; x has {len(x)} values and y has {n_rows}"
        )
    key: tuple[object, ...] | None = None
    try:
        # Equal strings are equal values; numbers also need their types (1 == 1.0 == True).
        types = None if n_rows and type(x[0]) is str else tuple(map(type, x))
        key = (tuple(x), types, None if levels is None else tuple(levels))
        hit = _CACHE.get(key)
    except TypeError:  # an unhashable value: _parse reports it
        key = hit = None
    if hit is not None:
        return hit
    axis = _parse(x, n_rows, levels)
    if key is not None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[key] = axis
    return axis


def _parse(x: Sequence[object], n_rows: int, levels: Sequence[str] | None) -> XAxis:
    kinds: set[str] = set()
    for i, v in enumerate(x):
        t = type(v)
        if v is None or (t is float and math.isnan(v)):  # type: ignore[arg-type]
            continue
        if t is int or t is float or isinstance(v, np.integer | np.floating):
            kinds.add("number")
        elif t is str or isinstance(v, str):
            kinds.add("text")
        elif isinstance(v, date):
            kinds.add("date")
        else:
            raise SPCError(
                f"x must be a number, an ISO 8601 date or a category label; "
                f"row {i + 1} has {v!r} ({type(v).__name__})"
            )
        if len(kinds) > 1:
            raise SPCError(
                f"all x values of a series must be of one kind (numbers, dates or labels); "
                f"row {i + 1} has {v!r} after values of another kind"
            )
    if not kinds:
        raise SPCError("every x value is missing; a series needs at least one x value")
    kind = kinds.pop()
    if kind == "number":
        if levels is not None:
            raise SPCError("x_levels applies only to categorical x (labels), not to numbers")
        return _numbers(x, n_rows)
    if kind == "date":
        return _times(
            [None if v is None else _as_datetime(v) for v in x],  # type: ignore[arg-type]
            [None if v is None else str(v) for v in x],
            n_rows,
        )
    texts: list[str | None] = [None if v is None else str(v) for v in x]
    is_date = [t is not None and _DATE_RE.match(t) is not None for t in texts]
    present = [t is not None for t in texts]
    if all(d for d, p in zip(is_date, present, strict=True) if p):
        if levels is not None:
            raise SPCError("x_levels applies only to categorical x (labels), not to dates")
        parsed: list[datetime | None] = []
        for i, text in enumerate(texts):
            if text is None:
                parsed.append(None)
                continue
            try:
                parsed.append(_normalise(datetime.fromisoformat(text.replace("Z", "+00:00"))))
            except ValueError:
                raise SPCError(
                    f"x must be a valid ISO 8601 date; row {i + 1} has {text!r}, "
                    "which is not a date"
                ) from None
        return _times(parsed, texts, n_rows)
    for i, label in enumerate(texts):
        if label is not None and _LOOSE_DATE_RE.match(label):
            raise SPCError(
                f"x looks like dates but is not in ISO 8601 form; row {i + 1} has {label!r}; write "
                "dates as YYYY-MM-DD (for example 2024-03-01)"
            )
    if any(is_date):
        i = is_date.index(True)
        raise SPCError(
            f"all x values of a series must be of one kind; row {i + 1} has the date "
            f"{texts[i]!r} among category labels"
        )
    return _categories(texts, n_rows, levels)


def _as_datetime(v: date) -> datetime:
    if isinstance(v, datetime):
        return _normalise(v)
    return datetime(v.year, v.month, v.day)


def _normalise(d: datetime) -> datetime:
    if d.tzinfo is not None:
        d = d.astimezone(UTC).replace(tzinfo=None)
    return d


def _numbers(x: Sequence[object], n_rows: int) -> XAxis:
    arr = np.array([np.nan if v is None else v for v in x], dtype=float)
    if np.isinf(arr).any():
        i = int(np.nonzero(np.isinf(arr))[0][0])
        raise SPCError(f"x must be finite; row {i + 1} has {x[i]!r}")
    missing = np.isnan(arr)
    if not missing.any() and (n_rows < 2 or bool(np.all(arr[1:] > arr[:-1]))):
        return XAxis("number", n_rows, None, None, tuple(x), tuple(arr.tolist()))
    kept = np.nonzero(~missing)[0]
    order = kept[np.argsort(arr[kept], kind="stable")]
    vals = arr[order]
    return _group(
        "number",
        n_rows,
        order,
        vals.tolist(),
        [x[i] for i in order.tolist()],
        vals[1:] != vals[:-1],
    )


def _group(
    kind: str,
    n_rows: int,
    order: IntArray,
    keys: list[object],
    echo: list[object],
    new: npt.NDArray[np.bool_],
) -> XAxis:
    if not len(order):
        raise SPCError("every x value is missing; a series needs at least one x value")
    starts = np.concatenate(([0], np.nonzero(new)[0] + 1)).astype(np.intp)
    st = starts.tolist()
    x_out = tuple(echo[s] for s in st)
    k = tuple(keys[s] for s in st)
    if len(st) == len(order) and len(order) == n_rows and bool(np.all(order == np.arange(n_rows))):
        return XAxis(kind, n_rows, None, None, x_out, k)
    return XAxis(kind, n_rows, order.astype(np.intp), starts, x_out, k)


def _times(parsed: list[datetime | None], texts: list[str | None], n_rows: int) -> XAxis:
    kept = [i for i, d in enumerate(parsed) if d is not None]
    kept.sort(key=lambda i: parsed[i])  # type: ignore[arg-type, return-value]
    order = np.array(kept, dtype=np.intp)
    keys: list[object] = [parsed[i] for i in kept]
    new = np.array([keys[j] != keys[j - 1] for j in range(1, len(keys))], dtype=bool)
    return _group("time", n_rows, order, keys, [texts[i] for i in kept], new)


def _categories(texts: list[str | None], n_rows: int, levels: Sequence[str] | None) -> XAxis:
    rank: dict[str, int]
    if levels is not None:
        if isinstance(levels, str) or not all(isinstance(v, str) for v in levels):
            raise SPCError("x_levels must be a list of category labels (strings)")
        rank = {}
        for lv in levels:
            if lv in rank:
                raise SPCError(f"x_levels must list each category once; {lv!r} appears twice")
            rank[lv] = len(rank)
        for i, t in enumerate(texts):
            if t is not None and t not in rank:
                raise SPCError(
                    f"x_levels must list every category of x; row {i + 1} has {t!r}, "
                    "which is not in x_levels"
                )
    else:
        rank = {v: i for i, v in enumerate(sorted({t for t in texts if t is not None}))}
    kept = [i for i, t in enumerate(texts) if t is not None]
    kept.sort(key=lambda i: rank[texts[i]])  # type: ignore[index]
    order = np.array(kept, dtype=np.intp)
    keys: list[object] = [texts[i] for i in kept]
    new = np.array([keys[j] != keys[j - 1] for j in range(1, len(keys))], dtype=bool)
    return _group("category", n_rows, order, keys, keys, new)


def series_labels(spec_labels: Sequence[str] | None, axis: XAxis) -> tuple[str, ...]:
    """Labels per subgroup: given per subgroup, or per row (the first row of each subgroup)."""
    if spec_labels is None:
        return axis.labels()
    labels = [str(v) for v in spec_labels]
    if len(labels) == axis.n_sub:
        return tuple(labels)
    if len(labels) == axis.n_rows:
        rows = list(range(axis.n_rows)) if axis.order is None else axis.order.tolist()
        firsts = list(range(len(rows))) if axis.starts is None else axis.starts.tolist()
        return tuple(labels[rows[f]] for f in firsts)
    raise SPCError(
        f"labels must have one entry per point ({axis.n_sub}) or per row ({axis.n_rows}); "
        f"got {len(labels)}"
    )


def _describe(
    kind: str, keys: tuple[object, ...], x_out: tuple[object, ...]
) -> tuple[tuple[str, ...], str]:
    if kind == "category":
        return tuple(str(k) for k in keys), "points"
    if kind == "number":
        return tuple(_number_label(v) for v in x_out), "points"
    ds: list[datetime] = list(keys)  # type: ignore[arg-type]
    date_only = all(d.hour == 0 and d.minute == 0 and d.second == 0 for d in ds)
    if not date_only:
        return tuple(f"{d.day} {_MONTHS[d.month - 1]} {d.year} {d:%H:%M}" for d in ds), "points"
    months = [d.year * 12 + d.month for d in ds]
    if len({d.day for d in ds}) == 1 and len(set(months)) == len(months):
        steps = sorted(b - a for a, b in itertools.pairwise(months))
        step = steps[len(steps) // 2] if steps else 1
        unit = {1: "months", 3: "quarters", 12: "years"}.get(step, "points")
        return tuple(f"{_MONTHS[d.month - 1]} {d.year}" for d in ds), unit
    days = [d.toordinal() for d in ds]
    steps = sorted(b - a for a, b in itertools.pairwise(days))
    step = steps[len(steps) // 2] if steps else 1
    unit = {1: "days", 7: "weeks"}.get(step, "points")
    return tuple(f"{d.day} {_MONTHS[d.month - 1]} {d.year}" for d in ds), unit


def _number_label(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)
