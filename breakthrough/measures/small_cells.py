"""Small-cell suppression for views and exports seen outside a team (BRIEF §8).

Counts from 1 to threshold-1 are hidden ("<5" with the default threshold of 5), rates built on a
hidden count are hidden too, and when exactly one stratum of a total is hidden a second one is,
so the hidden count cannot be worked out from the total. Zero is shown: it identifies nobody.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def is_small(count: float | int | None, threshold: int) -> bool:
    return count is not None and 0 < count < threshold


@dataclass
class Cell:
    """One aggregate cell: the numbers and whether they are hidden."""

    key: tuple
    stratum: str
    value: float | None
    numerator: int | None
    denominator: int | None
    count_like: bool = True  # `value` is a count (hidden when small), not a measurement
    suppressed: bool = False


def primary(cell: Cell, threshold: int) -> bool:
    return (
        is_small(cell.numerator, threshold)
        or is_small(cell.denominator, threshold)
        or (cell.count_like and is_small(cell.value, threshold))
    )


def suppress_cells(cells: Sequence[Cell], threshold: int) -> list[Cell]:
    """Mark small cells, then complementary cells, within each key (team, measure, period).

    Cells sharing a key are the total ('' stratum) and its strata. Returns the same cells.
    """
    groups: dict[tuple, list[Cell]] = {}
    for cell in cells:
        cell.suppressed = primary(cell, threshold)
        groups.setdefault(cell.key, []).append(cell)
    for group in groups.values():
        has_total = any(not c.stratum and not c.suppressed for c in group)
        by_stratifier: dict[str, list[Cell]] = {}
        for c in group:
            if c.stratum:
                by_stratifier.setdefault(c.stratum.split(":")[0], []).append(c)
        for strata in by_stratifier.values():
            hidden = [c for c in strata if c.suppressed]
            shown = [c for c in strata if not c.suppressed]
            if has_total and len(hidden) == 1 and shown:
                smallest = min(shown, key=lambda c: (c.numerator or c.value or 0, c.stratum))
                smallest.suppressed = True
    return list(cells)


def suppress_values(values: list, threshold: int) -> dict[int, bool]:
    """For MeasureValue rows (with .measure loaded): pk -> hidden, with complementary hiding."""
    cells = [
        Cell(
            key=(v.team_id, v.measure_id, v.period_id),
            stratum=v.stratum,
            value=v.value,
            numerator=v.numerator,
            denominator=v.denominator,
            count_like=v.measure.data_type == "count",
        )
        for v in values
    ]
    suppress_cells(cells, threshold)
    return {v.pk: cell.suppressed for v, cell in zip(values, cells, strict=True)}
