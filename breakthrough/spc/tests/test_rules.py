"""Rule sets: best-box and cut-box bounds, Provost & Murray, Western Electric, Nelson, IHI."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from breakthrough.spc import analyze, analyze_series
from breakthrough.spc.runs import box_signal
from breakthrough.spc.tests.cases import shared_dir

BOUNDS = json.loads(
    resources.files("breakthrough.spc").joinpath("data/bestbox_bounds.json").read_text()
)["bounds"]


def test_packaged_bounds_equal_the_shared_table() -> None:
    base = shared_dir()
    if base is None:
        pytest.skip("shared/spc not present")
    shared = json.loads((base / "bestbox_bounds.json").read_text())["bounds"]
    assert shared == BOUNDS


@pytest.mark.parametrize("row", BOUNDS, ids=[str(r["n"]) for r in BOUNDS])
def test_best_box_and_cut_box_at_every_n(row: dict[str, int | None]) -> None:
    """Anhøj & Wentzel-Larsen 2020, as SPEC §4.4 states the two methods."""
    n, cb, lb, cbord, lbord = (row[k] for k in ("n", "cb", "lb", "cbord", "lbord"))
    assert isinstance(n, int) and isinstance(cb, int) and isinstance(lb, int)
    for c in range(0, n):
        for longest in range(1, n + 1):
            best = not (c >= cb and longest <= lb)
            assert box_signal("bestbox", n, c, longest) is best
            if cbord is None or lbord is None:
                cut = best
            else:
                cut = not (
                    (c >= cb + 1 and longest <= lb - 1)
                    or (c == cb and longest <= lbord)
                    or (c >= cbord and longest <= lb)
                )
            assert box_signal("cutbox", n, c, longest) is cut
    assert box_signal("bestbox", 9, 0, 9) is None and box_signal("cutbox", 101, 0, 9) is None


def test_box_methods_change_only_the_runs_signal() -> None:
    """Reported limits stay Anhøj's (SPEC §4.4); the signal follows the chosen method."""
    y = [float(i) for i in range(20)] * 2  # 40 useful points, 1 crossing: a signal in all three
    summaries = []
    for method in ("anhoej", "bestbox", "cutbox"):
        spec = {
            "chart": "run",
            "input": {"x": list(range(1, 41)), "y": y},
            "params": {"method": method},
        }
        summaries.append(analyze(spec)["summary"][0])
    assert {(s["longest_run_max"], s["n_crossings_min"]) for s in summaries} == {(8, 14)}
    assert all(s["runs_signal"] for s in summaries)


def flags(rules: str, y: list[float], **kw: object) -> list[list[str]]:
    out = analyze(
        {
            "chart": "i",
            "input": {"x": list(range(1, len(y) + 1)), "y": y},
            "params": {"rules": rules, "cl": 0, "sigma": 1, **kw},
        }
    )
    return out["per_point"]["signals"]  # type: ignore[no-any-return]


def test_nelson_rules_each_fire_where_written() -> None:
    assert "nelson1" in flags("nelson", [0, 3.5, 0])[1]
    nine = flags("nelson", [0.5] * 9)
    assert "nelson2" in nine[8] and "nelson2" not in nine[7]
    six = flags("nelson", [-1, -0.6, -0.2, 0.2, 0.6, 0.9])
    assert "nelson3" in six[5] and "nelson3" not in six[4]
    alt = flags("nelson", [0.5, -0.5] * 7)
    assert "nelson4" in alt[13] and "nelson4" not in alt[12]
    assert "nelson5" in flags("nelson", [2.5, 0, 2.5])[2]
    assert "nelson6" in flags("nelson", [1.5, 1.5, 0, 1.5, 1.5])[4]
    inner = flags("nelson", [0.5, -0.5, 0.3, -0.2, 0.1] * 3)
    assert "nelson7" in inner[14] and "nelson7" not in inner[13]
    both = flags("nelson", [1.5, -1.5] * 4)
    assert "nelson8" in both[7]


def test_western_electric_point_on_centre_breaks_a_run() -> None:
    y = [0.5] * 7 + [0.0] + [0.5] * 8
    f = flags("western_electric", y)
    assert [i for i, s in enumerate(f) if "we4" in s] == [15]


def test_provost_rules() -> None:
    shift = flags("provost", [0.5] * 4 + [0.0] + [0.5] * 4)  # the point on CL is skipped
    assert [i for i, s in enumerate(shift) if "provost_shift" in s] == [0, 1, 2, 3, 5, 6, 7, 8]
    trend = flags("provost", [-1, -0.5, -0.5, 0, 0.5, 1, 1.5])  # like values ignored
    assert all("provost_trend" in s for s in trend)
    two = flags("provost", [2.5, 0, 2.2])
    assert [i for i, s in enumerate(two) if "provost_two_of_three" in s] == [0, 2]
    inner = flags("provost", [0.1, -0.1] * 8)
    assert all("provost_fifteen_inner" in s for s in inner)


def test_ihi_runs_fields() -> None:
    y = [1, 9] * 10
    out = analyze(
        {"chart": "run", "input": {"x": list(range(1, 21)), "y": y}, "params": {"rules": "ihi"}}
    )
    s = out["summary"][0]
    assert (s["n_runs"], s["runs_lower_limit"], s["runs_upper_limit"]) == (20, 6, 16)
    assert s["too_many_runs"] is True and s["too_few_runs"] is False
    r = analyze_series("run", y, rules="ihi")
    assert [sig.rule for sig in r.signals] == ["ihi_too_many_runs"]
