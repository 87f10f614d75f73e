"""`breakthrough spc`: the contract mode (CLI.md) and the CSV mode."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from breakthrough.spc import analyze
from breakthrough.spc.cli import main
from breakthrough.spc.tests.cases import ROOT

GOOD = {"chart": "c", "input": {"x": [1, 2, 3, 4], "y": [3, 5, 4, 6]}}
BAD = {"chart": "p", "input": {"x": [1, 2], "y": [5, 2], "n": [3, 4]}}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Any], str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.startswith("{")], err


def test_one_line_per_spec_in_order_across_files_and_arrays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "a.json"
    a.write_text(json.dumps(GOOD))
    b = tmp_path / "b.json"
    b.write_text(json.dumps([GOOD, {**GOOD, "params": {"multiply": 10}}]))
    code, lines, _ = run(["analyze", str(a), str(b)], capsys)
    assert code == 0
    assert lines == [analyze(GOOD), analyze(GOOD), analyze({**GOOD, "params": {"multiply": 10}})]


def test_an_error_prints_its_line_and_exit_status_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "mixed.json"
    f.write_text(json.dumps([GOOD, BAD, GOOD]))
    missing = tmp_path / "missing.json"
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, lines, _ = run(["analyze", str(f), str(missing), str(broken)], capsys)
    assert code == 1
    assert lines[0] == lines[2] == analyze(GOOD)
    assert lines[1] == {
        "error": "a P chart needs a denominator n >= y for every row; row 1 (x=1) has y=5, n=3"
    }
    assert lines[3]["error"].startswith(f"cannot read {missing}")
    assert lines[4]["error"].startswith(f"{broken} is not valid JSON")


def test_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps([GOOD])))
    code, lines, _ = run(["analyze", "-"], capsys)
    assert code == 0 and lines == [analyze(GOOD)]


def test_explain_adds_status_summary_and_explanations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "s.json"
    f.write_text(
        json.dumps(
            {
                "chart": "c",
                "input": {"x": list(range(1, 14)), "y": [5, 7, 5, 7, 6, 4, 7, 5, 7, 4, 5, 7, 30]},
            }
        )
    )
    _, (line,), _ = run(["analyze", "--explain", str(f)], capsys)
    assert line["status"] == "special_cause"
    assert line["explanations"][0]["rule"] == "anhoej_beyond_limits"
    assert line["explanations"][0]["points"] == [13]
    assert "per_point" in line and "summary" in line


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "analyze" in capsys.readouterr().out
    assert main(["analyze", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--csv FILE" in out and "contract mode" in out
    assert main(["analyze"]) == 2


def write_csv(path: Path) -> None:
    rows = [("month", "team", "num", "den")]
    for team, nums in (
        ("A", [5, 7, 6, 4, 9, 3, 2, 2, 1, 2, 1, 2]),
        ("B", [4, 5, 4, 6, 5, 4, 5, 6, 4, 5, 5, 4]),
    ):
        rows += [(f"2023-{m + 1:02d}-01", team, str(v), "50") for m, v in enumerate(nums)]
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def test_csv_mode_writes_json_with_explanations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    write_csv(data)
    args = [
        "analyze",
        "--csv",
        str(data),
        "--chart",
        "p",
        "--x",
        "month",
        "--y",
        "num",
        "--n",
        "den",
    ]
    code = main([*args, "--by", "team", "--improvement-direction", "down", "--multiply", "100"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["team"] for c in out] == ["A", "B"]
    a = out[0]
    assert a["per_point"]["x"][0] == "2023-01-01"
    assert a["per_point"]["y"][0] == pytest.approx(10.0)
    assert a["status"] in {"improvement", "common_cause", "not_enough_data", "special_cause"}
    assert all(s["explanation"] for s in a["signals"])


def test_csv_mode_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "d.csv"
    write_csv(data)
    out_file = tmp_path / "out.csv"
    args = ["analyze", "--csv", str(data), "--x", "month", "--y", "num", "--by", "team"]
    code = main([*args, "--format", "csv", "--output", str(out_file)])
    assert code == 0
    rows = list(csv.DictReader(out_file.open()))
    assert len(rows) == 24
    assert rows[0]["team"] == "A" and rows[0]["label"] == "Jan 2023"
    assert {"cl", "lcl", "ucl", "signals", "explanation"} <= set(rows[0])


def test_csv_mode_names_bad_cells_and_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("month,num\n2023-01-01,3\n2023-02-01,x\n")
    code = main(["analyze", "--csv", str(data), "--x", "month", "--y", "num"])
    assert code == 1
    assert (
        json.loads(capsys.readouterr().out)["error"] == "column 'num' needs numbers; line 3 has 'x'"
    )
    code = main(["analyze", "--csv", str(data), "--x", "when", "--y", "num"])
    assert code == 1
    assert "has no column 'when'" in capsys.readouterr().err


def test_console_entry_point_runs_without_django() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "breakthrough", "spc", "analyze", "-"],
        input=json.dumps(GOOD),
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == analyze(GOOD)


def test_csv_mode_for_making_data_count(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "w.csv"
    values = [5, 7, 6, 4, 9, 3, 5, 6, 5, 7, 4, 6, 20]
    lines = [f"2024-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d},{v}" for i, v in enumerate(values)]
    data.write_text("week,falls\n" + "\n".join(lines) + "\n")
    args = ["analyze", "--csv", str(data), "--chart", "xmr", "--x", "week", "--y", "falls"]
    assert main([*args, "--improvement-direction", "down", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[-1]["special_cause_type"] == "Above UCL"
    assert rows[-1]["point_type"] == "special_cause_concern"
    assert rows[-1]["explanation"].endswith("(Making Data Count rules).")
