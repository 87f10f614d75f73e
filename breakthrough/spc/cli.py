"""``breakthrough spc``: analyse run and control charts from the command line.

Two ways in:

- **Contract mode** (CLI.md): ``breakthrough spc analyze SPEC.json [SPEC2.json ...]`` reads specs
  (a file holds one spec object or an array of them; ``-`` reads standard input) and prints one
  JSON object per spec on its own line. A spec that cannot be analysed prints
  ``{"error": "..."}`` and the exit status is 1. ``--explain`` adds the status, the summary text
  and the explained signals to each line.
- **CSV mode**: ``breakthrough spc analyze --csv data.csv --chart p --x month --y num --n den``
  reads columns of a CSV file and writes the chart with its limits, signals and explanations as
  JSON or as CSV (``--format csv``). ``--by team`` makes one chart per value of a column.

Examples::

    breakthrough spc analyze cases/*.json
    breakthrough spc analyze --csv falls.csv --chart u --x month --y falls --n bed_days \\
        --multiply 1000 --improvement-direction down --format csv
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, TextIO

from breakthrough.spc.api import analyze, analyze_many, analyze_series_many, analyze_spec
from breakthrough.spc.contract import mdc_dict
from breakthrough.spc.errors import SPCError
from breakthrough.spc.mdc import MDCResult, analyze_mdc
from breakthrough.spc.results import ChartResult
from breakthrough.spc.spec import CHARTS, METHODS, RULE_SETS, MDCSpec, SeriesSpec, parse_spec

_LINE = "\x00line"
DESCRIPTION = """\
Statistical process control for Breakthrough: run charts and control charts (qicharts2,
NHS Making Data Count, IHI, Provost & Murray, Western Electric and Nelson rules)."""

ANALYZE_EPILOG = """\
contract mode:
  breakthrough spc analyze SPEC.json [SPEC2.json ...]
  Each file holds a spec object or an array of specs ("-" reads standard input). One JSON line is
  printed per spec; a spec that cannot be analysed prints {"error": ...} and the exit status is 1.

CSV mode:
  breakthrough spc analyze --csv data.csv --chart p --x month --y num --n den
  Columns are named by their header. Dates must be ISO 8601 (2024-03-01). Empty cells are
  missing values. Subgroup numbers (--freeze, --part, --exclude) count from 1.

exit status: 0 when every spec was analysed, 1 when any failed, 2 for a usage error.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``breakthrough spc``; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not args:
        parser.print_help(sys.stdout)
        return 0
    try:
        ns = parser.parse_args(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    if ns.command != "analyze":
        parser.print_help(sys.stdout)
        return 0
    if ns.csv:
        return _csv_mode(ns)
    if not ns.files:
        sys.stderr.write("breakthrough spc analyze: give spec files (or --csv FILE); see --help\n")
        return 2
    return _contract_mode(ns.files, ns.explain, sys.stdout)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="breakthrough spc",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="command")
    an = sub.add_parser(
        "analyze",
        help="analyse charts from JSON specs or a CSV file",
        description="Analyse run charts and control charts.",
        epilog=ANALYZE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    an.add_argument("files", nargs="*", metavar="SPEC.json", help="spec files (contract mode)")
    an.add_argument("--explain", action="store_true", help="add status, summary and explanations")
    g = an.add_argument_group("CSV mode")
    g.add_argument("--csv", metavar="FILE", help="read the data from this CSV file")
    g.add_argument("--chart", choices=[*CHARTS, "xmr"], help="chart type (default: run)")
    g.add_argument("--x", metavar="COLUMN", help="column of the x values (dates, numbers, labels)")
    g.add_argument("--y", metavar="COLUMN", help="column of the values or counts")
    g.add_argument("--n", metavar="COLUMN", help="column of the denominators")
    g.add_argument("--by", metavar="COLUMN", help="one chart per value of this column")
    g.add_argument("--rules", choices=RULE_SETS, default=None, help="rule set (default: anhoej)")
    g.add_argument("--method", choices=METHODS, default=None, help="runs analysis method")
    g.add_argument("--freeze", type=int, help="last subgroup of the baseline")
    g.add_argument("--part", type=int, action="append", help="break the chart after this subgroup")
    g.add_argument("--exclude", type=int, action="append", help="leave this subgroup out")
    g.add_argument("--multiply", type=float, help="scale y and the limits, e.g. 100 or 1000")
    g.add_argument("--cl", type=float, help="a given centre line")
    g.add_argument("--no-screening", action="store_true", help="do not screen moving ranges")
    g.add_argument("--improvement-direction", choices=["up", "down"], help="which way is better")
    g.add_argument("--target", type=float, help="target (Making Data Count assurance)")
    g.add_argument("--unit", help='plural word for the points in explanations, e.g. "weeks"')
    g.add_argument("--format", choices=["json", "csv"], default="json", help="output format")
    g.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    return parser


def _contract_mode(files: list[str], explain: bool, out: TextIO) -> int:
    specs: list[Any] = []
    slots: list[tuple[str, Any]] = []  # ("spec", index) or ("error", message)
    for path in files:
        try:
            data = _read_json(path)
        except SPCError as exc:
            slots.append(("error", str(exc)))
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            slots.append(("spec", len(specs)))
            specs.append(item)
    results = _analyze_all(specs)
    status = 0
    for kind, value in slots:
        line = {"error": value} if kind == "error" else results[value]
        if "error" in line:
            status = 1
        elif explain and kind == "spec":
            line = {**line, **_explanations(specs[value])}
        out.write(_dumps(line) + "\n")
    return status


def _analyze_all(specs: list[Any]) -> list[dict[str, Any]]:
    try:
        return analyze_many(specs)
    except Exception:  # an unexpected failure: isolate it to its own spec
        out: list[dict[str, Any]] = []
        for spec in specs:
            try:
                out.append(analyze(spec))
            except SPCError as exc:
                out.append({"error": str(exc)})
            except Exception as exc:
                out.append({"error": f"internal error ({type(exc).__name__}): {exc}"})
        return out


def _read_json(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise SPCError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise SPCError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None


def _dumps(obj: Any) -> str:
    try:
        return json.dumps(obj, allow_nan=False, separators=(",", ":"), default=str)
    except ValueError:
        return json.dumps({"error": "internal error: a result held a non-finite number"})


def _explanations(spec: Any) -> dict[str, Any]:
    try:
        result = analyze_spec(spec)
    except Exception:
        return {}
    return {
        "status": result.status,
        "summary_text": result.summary_text,
        "explanations": [
            {"rule": s.rule, "points": [p + 1 for p in s.points], "explanation": s.explanation}
            for s in result.signals
        ],
    }


def _csv_mode(ns: argparse.Namespace) -> int:
    if not ns.y:
        sys.stderr.write("breakthrough spc analyze: --csv needs --y COLUMN\n")
        return 2
    try:
        with open(ns.csv, encoding="utf-8-sig", newline="") as f:
            rows = [{**row, _LINE: str(i + 2)} for i, row in enumerate(csv.DictReader(f))]
    except OSError as exc:
        sys.stderr.write(f"breakthrough spc analyze: cannot read {ns.csv}: {exc.strerror or exc}\n")
        return 1
    columns = [c for c in rows[0] if c != _LINE] if rows else []
    for opt in ("x", "y", "n", "by"):
        col = getattr(ns, opt)
        if col and col not in columns:
            sys.stderr.write(
                f"breakthrough spc analyze: {ns.csv} has no column {col!r} (for --{opt}); "
                f"its columns are: {', '.join(columns) or 'none'}\n"
            )
            return 1
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row[ns.by] if ns.by else "", []).append(row)
    charts: list[tuple[str, ChartResult | MDCResult | SPCError]] = []
    for key, grp in groups.items():
        try:
            charts.append((key, _csv_chart(ns, grp)))
        except SPCError as exc:
            charts.append((key, exc))
    text = _csv_output(ns, charts) if ns.format == "csv" else _json_output(ns, charts)
    if ns.output:
        with open(ns.output, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 1 if any(isinstance(c, SPCError) for _, c in charts) else 0


def _cell_number(column: str, line: str, text: str) -> float | None:
    text = text.strip()
    if text == "" or text.upper() in ("NA", "NULL", "NAN"):
        return None
    try:
        value = float(text)
    except ValueError:
        raise SPCError(f"column {column!r} needs numbers; line {line} has {text!r}") from None
    if not math.isfinite(value):
        raise SPCError(f"column {column!r} needs finite numbers; line {line} has {text!r}")
    return value


def _csv_chart(ns: argparse.Namespace, rows: list[dict[str, str]]) -> ChartResult | MDCResult:
    """The chart of some CSV rows, with the presentation options applied."""
    y = [_cell_number(ns.y, r[_LINE], r[ns.y] or "") for r in rows]
    inp: dict[str, Any] = {"y": y}
    if ns.x:
        xs: list[Any] = [(r[ns.x] or "").strip() or None for r in rows]
        try:
            inp["x"] = [None if v is None else float(v) for v in xs]
        except ValueError:
            inp["x"] = xs
    else:
        inp["x"] = list(range(1, len(rows) + 1))
    if ns.n:
        inp["n"] = [_cell_number(ns.n, r[_LINE], r[ns.n] or "") for r in rows]
    chart = ns.chart or "run"
    params: dict[str, Any] = {}
    if chart == "xmr" or ns.rules == "mdc":
        params["rules"] = "mdc"
        if ns.improvement_direction:
            params["improvement_direction"] = ns.improvement_direction
        if ns.target is not None:
            params["target"] = ns.target
        params["screen_outliers"] = not ns.no_screening
        parsed = parse_spec({"chart": "i", "input": inp, "params": params})
        assert isinstance(parsed, MDCSpec)
        return analyze_mdc(replace(parsed, unit=ns.unit))
    for key in ("rules", "freeze", "multiply", "cl", "method"):
        if getattr(ns, key) is not None:
            params[key] = getattr(ns, key)
    if ns.part:
        params["part"] = ns.part
    if ns.exclude:
        params["exclude"] = ns.exclude
    if ns.no_screening:
        params["screened_mr"] = False
    parsed = parse_spec({"chart": chart, "input": inp, "params": params})
    assert isinstance(parsed, SeriesSpec)
    spec = replace(parsed, unit=ns.unit, improvement_direction=ns.improvement_direction)
    result = analyze_series_many([spec], errors="raise")[0]
    assert isinstance(result, ChartResult)
    return result


def _json_output(ns: argparse.Namespace, charts: list[tuple[str, Any]]) -> str:
    out = []
    for key, chart in charts:
        if isinstance(chart, SPCError):
            item: dict[str, Any] = {"error": str(chart)}
        else:
            item = _chart_json(chart)
        if ns.by:
            item = {ns.by: key, **item}
        out.append(item)
    payload: Any = out if ns.by else out[0] if out else {}
    return json.dumps(payload, indent=2, allow_nan=False, default=str, ensure_ascii=False) + "\n"


def _chart_json(chart: ChartResult | MDCResult) -> dict[str, Any]:
    base = chart.to_dict() if isinstance(chart, ChartResult) else mdc_dict(chart)
    return {
        "status": chart.status,
        "summary_text": chart.summary_text,
        "signals": [
            {
                "rule": s.rule,
                "rule_set": s.rule_set,
                "points": [p + 1 for p in s.points],
                "from": chart.labels[s.points[0]],
                "to": chart.labels[s.points[-1]],
                "direction": s.direction,
                "values": dict(s.values),
                "explanation": s.explanation,
            }
            for s in chart.signals
        ],
        **base,
    }


QIC_COLUMNS = ["x", "label", "y", "n", "cl", "lcl", "ucl", "lcl_95", "ucl_95", "part", "baseline"]
QIC_COLUMNS += ["include", "sigma_signal", "runs_signal", "signals", "explanation"]
MDC_COLUMNS = ["x", "label", "y", "rebase_group", "mean", "lpl", "upl", "nlpl", "nupl"]
MDC_COLUMNS += ["special_cause_type", "point_type", "signals", "explanation"]


def _csv_output(ns: argparse.Namespace, charts: list[tuple[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    mdc = ns.chart == "xmr" or ns.rules == "mdc"
    head = MDC_COLUMNS if mdc else QIC_COLUMNS
    w.writerow(([ns.by] if ns.by else []) + head)
    for key, chart in charts:
        lead = [key] if ns.by else []
        if isinstance(chart, SPCError):
            w.writerow(lead + [""] * (len(head) - 1) + [f"error: {chart}"])
            continue
        notes: dict[int, list[str]] = {}
        for s in chart.signals:
            notes.setdefault(s.points[0], []).append(s.explanation)
        for i in range(len(chart.x)):
            if isinstance(chart, MDCResult):
                cells = [chart.x[i], chart.labels[i], chart.y[i], chart.rebase_group[i]]
                cells += [
                    _c(v[i]) for v in (chart.mean, chart.lpl, chart.upl, chart.nlpl, chart.nupl)
                ]
                cells += [chart.special_cause_type[i], chart.point_type[i]]
            else:
                cells = [chart.x[i], chart.labels[i], _c(chart.y[i]), _c(chart.n[i])]
                cells += [
                    _c(v[i]) for v in (chart.cl, chart.lcl, chart.ucl, chart.lcl_95, chart.ucl_95)
                ]
                cells += [chart.part[i], chart.baseline[i], chart.include[i]]
                cells += [chart.sigma_signal[i], chart.runs_signal[i]]
            cells += [";".join(chart.point_signals[i]), " ".join(notes.get(i, []))]
            w.writerow(lead + cells)
    return buf.getvalue()


def _c(v: object) -> object:
    return "" if v is None else v
