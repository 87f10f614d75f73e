"""Every reference case of shared/spc/cases, checked through `breakthrough spc analyze` (CLI.md §6).

All specs go to one process, as a checker would batch them. Expected tally: 84 passed, 1 skipped
(qic_edge_g_user_cl, the reference behaviour that deviation D2 changes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakthrough.spc.tests.cases import ROOT, Plan, case_names, plan, shared_dir

pytestmark = pytest.mark.skipif(shared_dir() is None, reason="shared/spc cases not present")
NAMES = case_names()


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Plan, list[Any]]]:
    plans = {name: plan(name) for name in NAMES}
    specs: list[Any] = []
    spans: dict[str, tuple[int, int]] = {}
    for name, p in plans.items():
        spans[name] = (len(specs), len(specs) + len(p.specs))
        specs += p.specs
    path: Path = tmp_path_factory.mktemp("spc") / "specs.json"
    path.write_text(json.dumps(specs), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "breakthrough", "spc", "analyze", str(path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    lines = proc.stdout.splitlines()
    assert len(lines) == len(specs), proc.stderr[-2000:]
    outs = [json.loads(line) for line in lines]
    return {name: (plans[name], outs[a:b]) for name, (a, b) in spans.items()}


@pytest.mark.parametrize("name", NAMES)
def test_case_through_cli(name: str, cli_outputs: dict[str, tuple[Plan, list[Any]]]) -> None:
    p, outs = cli_outputs[name]
    if p.skip:
        pytest.skip(p.skip)
    assert p.check(outs) == []
