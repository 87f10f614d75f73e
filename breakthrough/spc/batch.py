"""The batch path: many series analysed together with vectorised numpy.

Series that share their chart, their x values and every structural parameter (freeze, parts,
exclusions, options; see :meth:`SeriesSpec.structure_key`) form a block and are computed as rows
of 2-D arrays. A single series is a block of one, so :func:`run_series` gives bit-identical
results whether a series is analysed alone or with a whole collaborative. A series whose input is
invalid is retried alone, so its error names its own row and does not affect the others.

>>> from breakthrough.spc.spec import series_spec
>>> items = run_series([series_spec("c", [3, 5, 4]), series_spec("c", [1, -2, 3])])
>>> type(items[0]).__name__, str(items[1])
('tuple', 'a C chart counts events, so y cannot be negative; row 2 has y=-2')
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from breakthrough.spc.engine import BlockResult, compute_block
from breakthrough.spc.errors import SPCError
from breakthrough.spc.pipeline import prepare_block
from breakthrough.spc.spec import SeriesSpec
from breakthrough.spc.xaxis import XAxis, parse_x

BLOCK_ROWS = 2048
Item = tuple[BlockResult, int] | SPCError


def run_series(specs: Sequence[SeriesSpec]) -> list[Item]:
    """Compute every series; each item is (block result, row) or the series' SPCError."""
    out: list[Item | None] = [None] * len(specs)
    groups: dict[tuple[tuple[object, ...], int], list[int]] = {}
    axes: dict[tuple[tuple[object, ...], int], XAxis] = {}
    # Specs built by one program often share the very same x list; parse it once per call
    # (the specs keep the lists alive, so their ids cannot be reused meanwhile).
    seen: dict[tuple[int, int, object], XAxis] = {}
    for i, spec in enumerate(specs):
        memo = (id(spec.x), len(spec.y), spec.x_levels)
        axis = seen.get(memo) if spec.x is not None else None
        if axis is None:
            try:
                axis = parse_x(spec.x, len(spec.y), spec.x_levels)
            except SPCError as exc:
                out[i] = exc
                continue
            if spec.x is not None:
                seen[memo] = axis
        key = (spec.structure_key(), id(axis))
        axes[key] = axis
        groups.setdefault(key, []).append(i)
    for group, idx in groups.items():
        for start in range(0, len(idx), BLOCK_ROWS):
            chunk = idx[start : start + BLOCK_ROWS]
            _run_block([specs[i] for i in chunk], axes[group], chunk, out)
    return [item for item in out if item is not None]


def _run_block(
    specs: list[SeriesSpec], axis: XAxis, idx: list[int], out: list[Item | None]
) -> None:
    try:
        with np.errstate(all="ignore"):
            res = compute_block(prepare_block(specs, axis))
    except SPCError as exc:
        if len(specs) == 1:
            out[idx[0]] = exc
            return
        for spec, i in zip(specs, idx, strict=True):
            _run_block([spec], axis, [i], out)
        return
    for row, i in enumerate(idx):
        out[i] = (res, row)
