"""The batch path gives exactly the results of one-by-one calls."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from breakthrough.spc import (
    SPCError,
    analyze,
    analyze_many,
    analyze_series,
    analyze_series_many,
    analyze_spec,
)
from breakthrough.spc.tests.cases import case_names, plan, shared_dir

MONTHS = [f"{2020 + m // 12}-{m % 12 + 1:02d}-01" for m in range(36)]


def collaborative(count: int) -> list[dict[str, Any]]:
    rnd = random.Random(7)
    specs = []
    for k in range(count):
        chart = ["run", "i", "p", "pp", "u", "c", "up", "g", "t"][k % 9]
        n = [rnd.randint(20, 200) for _ in MONTHS]
        if chart in ("p", "pp"):
            y: list[Any] = [rnd.randint(0, v // 3) for v in n]
        elif chart == "t":
            y = [rnd.uniform(0.5, 40) for _ in MONTHS]
        else:
            y = [rnd.randint(0, 30) for _ in MONTHS]
        inp: dict[str, Any] = {"x": MONTHS, "y": y}
        if chart in ("p", "pp", "u", "up"):
            inp["n"] = n
        params: dict[str, Any] = {}
        if k % 5 == 0:
            params["freeze"] = 24
        if k % 7 == 0 and chart != "g":
            params["multiply"] = 100
        specs.append({"chart": chart, "input": inp, "params": params})
    return specs


def test_a_collaborative_in_one_call_equals_one_by_one() -> None:
    specs = collaborative(180)
    assert analyze_many(specs) == [analyze(s) for s in specs]


def test_rich_batch_equals_rich_one_by_one() -> None:
    specs = collaborative(45)
    kwargs = [{"chart": s["chart"], **s["input"], **s["params"]} for s in specs]
    many = analyze_series_many(kwargs)
    for item, kw in zip(many, kwargs, strict=True):
        one = analyze_series(**kw)
        assert item == one
        assert not isinstance(item, SPCError)
        assert item.to_dict() == analyze(
            {
                "chart": kw["chart"],
                "input": {k: kw[k] for k in ("x", "y", "n") if k in kw},
                "params": {},
            }
            | {"params": {k: v for k, v in kw.items() if k in ("freeze", "multiply")}}
        )


@pytest.mark.skipif(shared_dir() is None, reason="shared/spc cases not present")
def test_every_reference_spec_in_one_batch_equals_one_by_one() -> None:
    specs = [s for name in case_names() for s in plan(name).specs]
    one_by_one = []
    for s in specs:
        try:
            one_by_one.append(analyze(s))
        except SPCError as exc:
            one_by_one.append({"error": str(exc)})
    batch = analyze_many(specs)
    assert json.dumps(batch) == json.dumps(one_by_one)


@pytest.mark.skipif(shared_dir() is None, reason="shared/spc cases not present")
def test_rich_results_give_the_contract_output() -> None:
    specs = [
        s
        for name in case_names()
        if name.startswith(("qic_", "ptd_t", "we_", "ihi_"))
        for s in plan(name).specs
    ]
    for spec in specs:
        rich = analyze_spec(spec)
        if hasattr(rich, "to_dict"):
            assert rich.to_dict() == analyze(spec)
