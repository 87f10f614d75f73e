"""The reference-case checker of CLI.md §6: case files to specs, outputs to mismatches.

The cases live in the shared specification folder, outside the repository. It is found through
the environment variable ``BREAKTHROUGH_SHARED_DIR``, else ``<project root>/../shared``; tests
skip when it is absent (a user's clone).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
Json = dict[str, Any]
EXACT = {
    "part",
    "n_obs",
    "n_useful",
    "longest_run",
    "longest_run_max",
    "n_crossings",
    "n_crossings_min",
    "sigma_signal_count",
    "n_runs",
    "rebase_group",
    "relative_to_mean",
    "runs_lower_limit",
    "runs_upper_limit",
}
SUMMARY_FIELDS = (
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
QIC_NAMES = {
    "n.obs": "n_obs",
    "n.useful": "n_useful",
    "longest.run": "longest_run",
    "longest.run.max": "longest_run_max",
    "n.crossings": "n_crossings",
    "n.crossings.min": "n_crossings_min",
    "runs.signal": "runs_signal",
    "sigma.signal": "sigma_signal_count",
    "aLCL": "lcl_mean",
    "CL": "cl_mean",
    "aUCL": "ucl_mean",
}


def shared_dir() -> Path | None:
    """The shared specification folder, or None when this clone has none."""
    env = os.environ.get("BREAKTHROUGH_SHARED_DIR")
    path = Path(env) if env else ROOT.parent / "shared"
    path = path / "spc" if (path / "spc").is_dir() else path
    return path if (path / "cases").is_dir() else None


def case_names() -> list[str]:
    """Names of the case files (without .json); empty without the shared folder."""
    base = shared_dir()
    if base is None:
        return []
    return sorted(p.stem for p in (base / "cases").glob("*.json"))


def load(name: str) -> Json:
    base = shared_dir()
    assert base is not None
    with open(base / "cases" / f"{name}.json", encoding="utf-8") as f:
        data: Json = json.load(f)
    return data


@dataclass
class Plan:
    """The specs of one case and the function that checks their outputs."""

    specs: list[Json]
    check: Callable[[list[Json]], list[str]]
    skip: str | None = None


def same(a: Any, b: Any, tol: float, exact: bool = False) -> bool:
    """CLI.md §6.1: numbers within 1e-9 + tol·|b|, everything else exactly; null only null."""
    if b is None:
        return a is None
    if isinstance(b, bool) or isinstance(a, bool):
        return a is b
    if isinstance(b, str) or isinstance(a, str):
        return bool(a == b)
    if isinstance(b, int | float) and isinstance(a, int | float):
        if exact:
            return bool(a == b)
        return bool(math.isfinite(a) and abs(a - b) <= 1e-9 + tol * abs(b))
    return False


def compare(label: str, got: Any, want: Any, tol: float, exact: bool = False) -> list[str]:
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            n = len(got) if isinstance(got, list) else type(got).__name__
            return [f"{label}: length {n}, expected {len(want)}"]
        bad = [
            i for i, (g, w) in enumerate(zip(got, want, strict=True)) if not same(g, w, tol, exact)
        ]
        if bad:
            i = bad[0]
            return [f"{label}[{i}]: got {got[i]!r}, expected {want[i]!r} ({len(bad)} mismatches)"]
        return []
    return [] if same(got, want, tol, exact) else [f"{label}: got {got!r}, expected {want!r}"]


def _error(out: Json) -> list[str]:
    return [f"error: {out['error']}"] if "error" in out else []


def _summary(out: Json, records: list[Json], tol: float, rename: bool) -> list[str]:
    errs: list[str] = []
    by_part = {rec["part"]: rec for rec in out.get("summary", [])}
    for rec in records:
        if rename:
            rec = {QIC_NAMES.get(k, k): v for k, v in rec.items()}
            rec["runs_signal"] = bool(rec["runs_signal"])
        got = by_part.get(rec["part"])
        if got is None:
            errs.append(f"summary part {rec['part']} missing")
            continue
        for key in SUMMARY_FIELDS:
            if key in rec:
                errs += compare(
                    f"summary[{rec['part']}].{key}", got.get(key), rec[key], tol, key in EXACT
                )
    return errs


def plan(name: str) -> Plan:
    """Specs and checks for one case file (CLI.md §6.2-§6.8)."""
    case = load(name)
    tol = float(case.get("tolerance", 1e-6))
    if case.get("check", {}).get("skip"):
        return Plan([], lambda outs: [], skip=case["check"].get("reason", "skipped by the case"))
    if name == "anhoej_critical_values_1_100":
        return _critical(case)
    if name == "ptd_rule_function_unit_vectors":
        return _primitives(case)
    if name == "qic_hai_3_4_faceted_summaries":
        return _hai34(case)
    if name.startswith("qic_"):
        return _qic(case, tol)
    if name.startswith("ptd_"):
        return _ptd(case, tol)
    if name.startswith("ihi_"):
        return _ihi(case)
    if name.startswith("we_"):
        return _we(case)
    raise AssertionError(f"no checker for {name}")


def _qic(case: Json, tol: float) -> Plan:
    spec = {"chart": case["chart"], "input": case["input"], "params": case.get("params", {})}
    expected = case["expected"]

    def check(outs: list[Json]) -> list[str]:
        out = outs[0]
        errs = _error(out)
        if errs:
            return errs
        for key, want in expected.get("per_point", {}).items():
            errs += compare(key, out["per_point"].get(key), want, tol, key in EXACT)
        if "summary" in expected:
            errs += _summary(out, expected["summary"], tol, False)
        if "summary_reference" in expected:
            errs += _summary(out, expected["summary_reference"], tol, True)
        return errs

    return Plan([spec], check)


def _hai34(case: Json) -> Plan:
    rows = case["input"]
    keys = list(rows)
    table = [dict(zip(keys, vals, strict=True)) for vals in zip(*rows.values(), strict=True)]
    specs: list[Json] = []
    wants: list[Json] = []
    for rec in case["expected"]["hai_3"]:
        sel = [
            r for r in table if r["hospital"] == rec["facet1"] and r["infection"] == rec["facet2"]
        ]
        specs.append(_u_spec(sel, "month", {}))
        wants.append(rec)
    kept = [r for r in table if r["month"] >= "2016-07-01"]
    days: dict[str, list[float]] = {}
    for r in kept:
        days.setdefault(r["hospital"], []).append(r["days"])
    order = sorted(days, key=lambda h: (sum(days[h]) / len(days[h]), h))
    for rec in case["expected"]["hai_4"]:
        sel = [r for r in kept if r["infection"] == rec["facet1"]]
        specs.append(_u_spec(sel, "hospital", {"multiply": 10000, "x_levels": order}))
        wants.append(rec)

    def check(outs: list[Json]) -> list[str]:
        errs: list[str] = []
        for i, (out, rec) in enumerate(zip(outs, wants, strict=True)):
            e = _error(out)
            if e:
                errs += [f"facet {i}: {m}" for m in e]
                continue
            rec1 = {**rec, "part": 1}
            errs += [f"facet {i}: {m}" for m in _summary(out, [rec1], 1e-6, True)]
        return errs

    return Plan(specs, check)


def _u_spec(rows: list[Json], x: str, params: Json) -> Json:
    return {
        "chart": "u",
        "input": {
            "x": [r[x] for r in rows],
            "y": [r["n"] for r in rows],
            "n": [r["days"] for r in rows],
        },
        "params": params,
    }


def _ptd(case: Json, tol: float) -> Plan:
    spec = {
        "chart": "i",
        "input": {"x": case["input"]["dates"], "y": case["input"]["y"]},
        "params": {"rules": "mdc", **case.get("params", {})},
    }
    expected = case["expected"]
    cross = case.get("cross_checks", {})

    def check(outs: list[Json]) -> list[str]:
        out = outs[0]
        errs = _error(out)
        if errs:
            return errs
        pp = out["per_point"]
        for key, want in expected.get("per_point", {}).items():
            errs += compare(key, pp.get(key), want, tol, key in EXACT)
        if isinstance(cross, dict) and "snapshot_assurance_type" in cross:
            errs += compare(
                "assurance_type",
                out["summary"][-1]["assurance_type"],
                cross["snapshot_assurance_type"],
                tol,
            )
        snap = cross.get("snapshot") if isinstance(cross, dict) else None
        if isinstance(snap, dict):
            for key, field in (("mean_col", "mean"), ("lpl", "lpl"), ("upl", "upl")):
                if key in snap:
                    errs += compare(f"snapshot.{key}", pp[field][0], snap[key], 1e-6)
            if "relative_to_mean_first13" in snap:
                errs += compare(
                    "snapshot.relative_to_mean_first13",
                    pp["relative_to_mean"][:13],
                    snap["relative_to_mean_first13"],
                    0,
                    True,
                )
        return errs

    return Plan([spec], check)


def _primitives(case: Json) -> Plan:
    names: dict[str, tuple[str, Callable[[Json], Json]]] = {
        "seven_point_one_side_mean": ("mdc_seven_point_one_side_mean", lambda e: {"v": e["input"]}),
        "part_of_seven": ("mdc_part_of_seven", lambda e: {"v": e["input"]}),
        "seven_point_trend": ("mdc_seven_point_trend", lambda e: {"y": e["input"]}),
        "two_in_three": ("mdc_two_in_three", lambda e: {"close": e["close"], "rtm": e["rtm"]}),
        "part_of_two_in_three": (
            "mdc_part_of_two_in_three",
            lambda e: {"close": e["close"], "rtm": e["rtm"]},
        ),
    }
    specs: list[Json] = []
    wants: list[list[int]] = []
    for key, (prim, args) in names.items():
        for entry in case[key]:
            specs.append({"primitive": prim, "args": args(entry)})
            wants.append(entry["expected"])

    def check(outs: list[Json]) -> list[str]:
        errs: list[str] = []
        for i, (out, want) in enumerate(zip(outs, wants, strict=True)):
            errs += _error(out) or compare(
                f"{specs[i]['primitive']}#{i}", out.get("result"), want, 0, True
            )
        return errs

    return Plan(specs, check)


def _ihi(case: Json) -> Plan:
    y = case["input"]["y"]
    spec = {
        "chart": "run",
        "input": {"x": list(range(1, len(y) + 1)), "y": y},
        "params": {"rules": "ihi"},
    }
    want = case["expected"]

    def check(outs: list[Json]) -> list[str]:
        out = outs[0]
        errs = _error(out)
        if errs:
            return errs
        pp, s0 = out["per_point"], out["summary"][0]
        errs += compare("median", pp["cl"], [want["median"]] * len(y), 1e-6)
        for key, rule in (("shift_points", "ihi_shift"), ("trend_points", "ihi_trend")):
            got = [i + 1 for i, sig in enumerate(pp["signals"]) if rule in sig]
            errs += compare(key, got, want[key], 0, True)
        for key in ("n_useful", "n_runs", "too_few_runs", "too_many_runs"):
            errs += compare(key, s0.get(key), want[key], 0, True)
        limits = [s0.get("runs_lower_limit"), s0.get("runs_upper_limit")]
        errs += compare("runs_limits", limits, want["runs_limits_computed_alpha05"], 0, True)
        return errs

    return Plan([spec], check)


def _we(case: Json) -> Plan:
    y = case["input"]["y"]
    p = case["params"]
    if p.get("sigma_method") == "given":
        params: Json = {"rules": "western_electric", "cl": p["center"], "sigma": p["sigma"]}
    else:
        params = {"rules": "western_electric", "screened_mr": False}
    spec = {"chart": "i", "input": {"x": list(range(1, len(y) + 1)), "y": y}, "params": params}
    want = case["expected"]

    def check(outs: list[Json]) -> list[str]:
        out = outs[0]
        errs = _error(out)
        if errs:
            return errs
        pp = out["per_point"]
        n = len(y)
        errs += compare("center", pp["cl"], [want["center"]] * n, 1e-6)
        errs += compare("lcl", pp["lcl"], [want["lcl"]] * n, 1e-6)
        errs += compare("ucl", pp["ucl"], [want["ucl"]] * n, 1e-6)
        errs += compare("sigma", (pp["ucl"][0] - pp["cl"][0]) / 3, want["sigma"], 1e-6)
        got = []
        for sig in pp["signals"]:
            ks = [int(s[2:]) for s in sig if s.startswith("we")]
            got.append(min(ks) if ks else None)
        errs += compare("violated_rule", got, want["violated_rule"], 0, True)
        return errs

    return Plan([spec], check)


def _critical(case: Json) -> Plan:
    rows = case["table"]
    specs = [
        {
            "chart": "run",
            "input": {
                "x": list(range(1, r["n_useful"] + 1)),
                "y": [i % 2 for i in range(1, r["n_useful"] + 1)],
            },
            "params": {"cl": 0.5},
        }
        for r in rows
    ]

    def check(outs: list[Json]) -> list[str]:
        errs: list[str] = []
        for r, out in zip(rows, outs, strict=True):
            e = _error(out)
            if e:
                errs += e
                continue
            s0 = out["summary"][0]
            for key in ("n_useful", "longest_run_max", "n_crossings_min"):
                errs += compare(f"n={r['n_useful']} {key}", s0.get(key), r[key], 0, True)
        return errs

    return Plan(specs, check)
