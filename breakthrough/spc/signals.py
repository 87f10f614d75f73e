"""The :class:`Signal` record shared by every rule set and chart type.

>>> s = Signal("we4", "western_electric", (3, 4, 5), 1, "up", {"run_length": 8}, "…")
>>> s.first, s.last
(3, 5)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Number = float | int | str | None


@dataclass(frozen=True)
class Signal:
    """One signal: the rule that fired, the points it covers and the numbers behind it.

    ``points`` are 0-based subgroup indices (the explanation speaks in x labels). ``direction``
    is "up" (values above the centre line or rising), "down", or None (for example too few
    crossings). ``flagged`` are the points the contract marks for this rule, when fewer than
    ``points`` (the Western Electric rules mark only the point that completes a window).
    """

    rule: str
    rule_set: str
    points: tuple[int, ...]
    part: int
    direction: str | None
    values: Mapping[str, Number]
    explanation: str
    flagged: tuple[int, ...] = ()

    @property
    def first(self) -> int:
        """Index of the first point covered."""
        return self.points[0]

    @property
    def last(self) -> int:
        """Index of the last point covered."""
        return self.points[-1]
