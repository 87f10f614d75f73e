"""Published reference values, typed in with their citation."""

from __future__ import annotations

import math

import pytest

from breakthrough.spc import analyze_mdc_series, analyze_series
from breakthrough.spc.charts import c4_table
from breakthrough.spc.runs import anhoej_limits, ihi_runs_limits

# Montgomery, Introduction to Statistical Quality Control, 6th ed., Table 6.7 (mortgage loan
# processing cost, Example 6.5).
EX_6_5 = [
    310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306, 301,
    304, 305, 282, 305, 296, 314, 295, 287, 301, 298, 311, 310, 292, 305, 299, 304, 310, 304, 305,
    333, 328,
]  # fmt: skip


def test_montgomery_example_6_5_individuals_chart() -> None:
    """Example 6.5: x-bar 300.5, average moving range 7.789, UCL 321.217 (first 20 points)."""
    r = analyze_series("i", EX_6_5, freeze=20, screened_mr=False)
    assert r.cl[0] == pytest.approx(300.5)
    assert r.ucl[0] is not None and r.cl[0] is not None
    sigma = (r.ucl[0] - r.cl[0]) / 3
    assert sigma * 1.128 == pytest.approx(7.789, abs=5e-4)
    assert r.ucl[0] == pytest.approx(321.217, abs=5e-4)
    assert r.lcl[0] == pytest.approx(279.783, abs=5e-4)
    # Points 39 and 40 (333 and 328) lie above the UCL.
    assert [i + 1 for i, s in enumerate(r.sigma_signal) if s] == [39, 40]


def test_montgomery_example_6_5_moving_range_chart() -> None:
    """Example 6.5: MR chart CL 7.789 and UCL D4 x MR-bar = 3.267 x 7.789 = 25.45."""
    r = analyze_series("mr", EX_6_5, freeze=20)
    assert r.cl[0] == pytest.approx(7.789, abs=5e-4)
    assert r.ucl[0] == pytest.approx(25.45, abs=5e-3)
    assert r.lcl[0] == 0


# Montgomery, Table 7.8 (nonconformities in 26 samples of 100 printed circuit boards), Example 7.3
# and the 20 further samples of its Table 7.9.
EX_7_3 = [
    21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19,
    17, 15, 16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9, 16, 21,
]  # fmt: skip


def test_montgomery_example_7_3_revised_c_chart() -> None:
    """Example 7.3, revised limits without samples 6 and 20: c-bar 19.67, UCL 32.97, LCL 6.36."""
    r = analyze_series("c", EX_7_3, exclude=[6, 20], freeze=26)
    assert r.cl[0] == pytest.approx(19.667, abs=5e-4)
    assert r.ucl[0] == pytest.approx(32.971, abs=5e-4)
    assert r.lcl[0] == pytest.approx(6.363, abs=5e-4)


# Montgomery, Table 7.1 (orange-juice cans, 30 samples of n = 50), Example 7.1.
EX_7_1 = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9,
          12, 7, 13, 9, 6]  # fmt: skip


def test_montgomery_example_7_1_p_chart() -> None:
    """Example 7.1: p-bar 0.2313, UCL 0.4102, LCL 0.0524; revised without 15 and 23:
    p-bar 0.2150, UCL 0.3893, LCL 0.0407."""
    first = analyze_series("p", EX_7_1, n=[50] * 30)
    assert first.cl[0] == pytest.approx(0.2313, abs=5e-5)
    assert first.ucl[0] == pytest.approx(0.4102, abs=5e-5)
    assert first.lcl[0] == pytest.approx(0.0524, abs=5e-5)
    assert [i + 1 for i, s in enumerate(first.sigma_signal) if s] == [15, 23]
    revised = analyze_series("p", EX_7_1, n=[50] * 30, exclude=[15, 23])
    assert revised.cl[0] == pytest.approx(0.2150, abs=5e-5)
    assert revised.ucl[0] == pytest.approx(0.3893, abs=5e-5)
    assert revised.lcl[0] == pytest.approx(0.0407, abs=5e-5)


@pytest.mark.parametrize(
    ("n", "c4", "a3", "b3", "b4"),
    [
        # Montgomery, Appendix Table VI (factors for constructing variables control charts).
        (2, 0.7979, 2.659, 0.0, 3.267),
        (5, 0.9400, 1.427, 0.0, 2.089),
        (10, 0.9727, 0.975, 0.284, 1.716),
        (25, 0.9896, 0.606, 0.565, 1.435),
    ],
)
def test_montgomery_appendix_vi_factors(n: int, c4: float, a3: float, b3: float, b4: float) -> None:
    got = float(c4_table(n)[n])
    assert got == pytest.approx(c4, abs=5e-5)
    assert 3 / (got * math.sqrt(n)) == pytest.approx(a3, abs=5e-4)
    ratio = math.sqrt(1 - got * got) / got
    assert max(0.0, 1 - 3 * ratio) == pytest.approx(b3, abs=5e-4)
    assert 1 + 3 * ratio == pytest.approx(b4, abs=5e-4)


@pytest.mark.parametrize(
    ("n", "longest", "crossings"),
    # Anhøj & Olesen 2014; qicharts2 vignette, Appendix 2 (critical values of the runs rules).
    [
        (10, 6, 2),
        (12, 7, 3),
        (16, 7, 4),
        (20, 7, 6),
        (24, 8, 8),
        (30, 8, 10),
        (36, 8, 13),
        (40, 8, 14),
        (50, 9, 19),
        (60, 9, 23),
        (100, 10, 41),
    ],
)
def test_anhoej_critical_values(n: int, longest: int, crossings: int) -> None:
    assert anhoej_limits(n) == (longest, crossings)


@pytest.mark.parametrize(
    ("n", "lo", "hi"),
    # Swed & Eisenhart 1943 as tabulated for run charts (Perla, Provost & Murray 2011, Table 1;
    # the rows that SPEC §7.3 confirms).
    [(10, 3, 9), (12, 3, 11), (14, 4, 12), (16, 5, 13), (20, 6, 16), (24, 8, 18), (30, 11, 21)],
)
def test_ihi_runs_table(n: int, lo: int, hi: int) -> None:
    assert ihi_runs_limits(n) == (lo, hi)


# fmt: off
SEED19_SHIFT = [
    -1.18945374525972, 0.388581229632553, -0.344333349210725, -0.547896138418295,
    0.980662215750192, -0.236646007272852, 0.809739704347715, -0.744779528664041,
    -0.259787013127099, -0.183083830410215, 0.518629987612905, 0.883465100720314,
    1.00128475258219, 2.53482999228741, 1.87623204831409, 4.1193033079271,
    0.486524126076013, 2.25519487062244, 3.50474143843066, 1.60991952529912,
    2.57935817012673, 2.21035583968694, 2.94404277553313, 0.173306766388917,
]
# fmt: on


def test_qicharts2_vignette_shift() -> None:
    """qicharts2 vignette (set.seed(19), shift of 2 SD): CL 1.057091, UCL 4.229067,
    longest run 13 > 8, crossings 4 < 8."""
    r = analyze_series("i", SEED19_SHIFT)
    s = r.summary[0]
    assert r.cl[0] == pytest.approx(1.057091, abs=5e-7)
    assert r.ucl[0] == pytest.approx(4.229067, abs=5e-7)
    assert (s.longest_run, s.longest_run_max, s.n_crossings, s.n_crossings_min) == (13, 8, 4, 8)
    assert s.runs_signal and not any(r.sigma_signal)


DEVIATIONS = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]


def test_nhsrplotthedots_deviations_vignette() -> None:
    """NHSRplotthedots 'deviations' vignette: screened UPL 4.6, mean 1.94, LPL -0.72; the MDC
    Excel workbook (unscreened): 6.95, 1.94, -3.06."""
    dates = [f"2021-03-{d:02d}" for d in range(22, 32)] + [f"2021-04-{d:02d}" for d in range(1, 9)]
    screened = analyze_mdc_series(DEVIATIONS, dates)
    g = screened.groups[0]
    assert g.upl is not None and g.mean is not None and g.lpl is not None
    assert (round(g.upl, 2), round(g.mean, 2), round(g.lpl, 2)) == (4.6, 1.94, -0.72)
    assert screened.special_cause_type[4] == "Above UCL"
    excel = analyze_mdc_series(DEVIATIONS, dates, screen_outliers=False).groups[0]
    assert excel.upl is not None and excel.mean is not None and excel.lpl is not None
    assert (round(excel.upl, 2), round(excel.mean, 2), round(excel.lpl, 2)) == (6.95, 1.94, -3.06)
