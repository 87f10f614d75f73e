"""Statistical process control for Breakthrough: run charts and control charts.

Pure: imports only the standard library and numpy, never Django.

Contract API (the dicts of ``breakthrough spc analyze``, CLI.md):

- :func:`analyze` (one spec) and :func:`analyze_many` (a list, through the batch path).

Rich API for the platform (frozen dataclasses with explanations):

- :func:`analyze_series` and :func:`analyze_series_many` return :class:`ChartResult` objects:
  per-point x, labels, y, n, cl, lcl, ucl, lcl_95, ucl_95, part, baseline, include,
  sigma_signal, runs_signal and point_signals; ``signals`` (a tuple of :class:`Signal`, each with
  rule, rule_set, points, part, direction, values and a plain-language explanation); ``summary``
  (:class:`PartSummary` per part); ``status`` and ``summary_text``.
- :func:`analyze_mdc_series` returns an :class:`MDCResult` (NHS Making Data Count).
- :func:`recommend_chart` chooses a chart for a measure and says why.

Every invalid input raises :class:`SPCError` (a ``ValueError``) with a message that names the
problem, the row and the value, and what is needed.

>>> from breakthrough.spc import analyze_series
>>> r = analyze_series("run", [9, 8, 9, 7, 8, 9, 3, 2, 3, 2, 3, 2, 3, 2, 2, 3, 2, 3],
...                    improvement_direction="down", unit="weeks")
>>> r.status
'improvement'

References: Anhøj & Olesen 2014 (runs rules); Montgomery, *Introduction to Statistical Quality
Control* (control charts); NHS England, *Making Data Count*. The behaviour is specified in
``docs/spc.md``.
"""

from breakthrough.spc.api import (
    analyze,
    analyze_many,
    analyze_mdc_series,
    analyze_series,
    analyze_series_many,
    analyze_spec,
)
from breakthrough.spc.choice import Recommendation, recommend_chart
from breakthrough.spc.errors import SPCError
from breakthrough.spc.mdc import MDCGroup, MDCResult
from breakthrough.spc.results import ChartResult, PartSummary
from breakthrough.spc.signals import Signal
from breakthrough.spc.spec import SeriesSpec, mdc_spec, series_spec

__all__ = [
    "ChartResult",
    "MDCGroup",
    "MDCResult",
    "PartSummary",
    "Recommendation",
    "SPCError",
    "SeriesSpec",
    "Signal",
    "analyze",
    "analyze_many",
    "analyze_mdc_series",
    "analyze_series",
    "analyze_series_many",
    "analyze_spec",
    "mdc_spec",
    "recommend_chart",
    "series_spec",
]
