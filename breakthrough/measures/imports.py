"""Import and export of measure values as CSV or Excel (.xlsx).

Reading a file is pure: bytes in, a table out (or a `ImportFileError` that says what is wrong with
the file as a whole). `check_import` resolves every row against the collaborative and lists every
problem by row and column; `do_import_values` writes a clean file through
`do_upsert_measure_values_many` (the checks of `do_upsert_measure_values` for every team and
period, then bulk writes), all in one transaction: a file with any error writes nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from .actions import (
    ValueRow,
    check_value_row,
    do_upsert_measure_values_many,
)
from .models import Measure, MeasureValue, Submission, TeamMeasure

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200  # uncompressed / compressed; real sheets compress 5–30 times
MAX_PROBLEMS = 1000

COLUMNS = ("team", "period", "measure", "stratum", "numerator", "denominator", "value", "note")
NUMBERS = ("numerator", "denominator", "value")
REQUIRED = ("team", "period", "measure")
INFORMATIONAL = ("measure_name", "entered_by", "entered_at", "state")
ALIASES = {
    "team_slug": "team",
    "team_code": "team",
    "team_name": "team",
    "month": "period",
    "reporting_period": "period",
    "measure_code": "measure",
    "code": "measure",
    "strata": "stratum",
    "y": "numerator",
    "n": "denominator",
    "count": "value",
    "notes": "note",
    "comment": "note",
}
TEMPLATE_COLUMNS = ("team", "period", "measure", "measure_name", "stratum", *COLUMNS[4:])
EXPORT_COLUMNS = (*TEMPLATE_COLUMNS, "entered_at")


class ImportFileError(Exception):
    """The file as a whole cannot be read (size, format, encoding, columns)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Problem:
    row: int  # the line in the file (1 is the header); 0 for the file as a whole
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.row else "file"
        shown = f" (value {self.value!r})" if self.value != "" else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (line in the file, cells)
    kind: str


@dataclass
class Checked:
    """A file resolved against the collaborative: the rows to write and every problem."""

    mapping: list[tuple[str, str]]  # (file header, what it is read as or "ignored")
    groups: dict[tuple[int, int], list[tuple[int, ValueRow]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    n_blank: int = 0
    truncated: bool = False
    teams: dict[int, object] = field(default_factory=dict)
    periods: dict[int, object] = field(default_factory=dict)

    @property
    def n_values(self) -> int:
        return sum(len(rows) for rows in self.groups.values())

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading files ------------------------------------------------------------------------


def normalise_header(text: object) -> str:
    h = str(text or "").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(h, h)


def read_table(filename: str, data: bytes) -> Table:
    """The header and the rows of a CSV or .xlsx file; ImportFileError if it cannot be read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(too_big_message(len(data)))
    if not data.strip():
        raise ImportFileError("The file is empty: there is nothing to import.")
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith((".xls", ".ods")):
        raise ImportFileError(
            "Only CSV and Excel .xlsx files can be imported; save the file as .xlsx or CSV UTF-8."
        )
    return _read_csv(data)


def too_big_message(size: int) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; at most {MAX_IMPORT_BYTES // 1024 // 1024} MB "
        "can be imported at once. Split it by team or by year."
    )


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"The file is not UTF-8 text: byte 0x{data[error.start]:02X} on line {line} cannot "
            "be read. In Excel choose “CSV UTF-8 (Comma delimited)” when saving, or upload the "
            ".xlsx file itself."
        ) from None
    if "\x00" in text:
        raise ImportFileError(
            "The file holds binary data (NUL characters); it is not a CSV text file."
        )
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        lines = list(enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportFileError(
            f"The CSV file cannot be read on line {reader.line_num}: {error}."
        ) from None
    if not lines:
        raise ImportFileError("The file is empty: there is nothing to import.")
    header = lines[0][1]
    return Table(headers=header, rows=lines[1:], kind="csv")


def check_xlsx_zip(data: bytes) -> None:
    """Refuse what is not a workbook, and zip bombs, before openpyxl unpacks anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(
            "This is not an Excel workbook (.xlsx): the file is not a valid .xlsx package. "
            "Save it again from Excel as .xlsx, or as CSV UTF-8."
        ) from None
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise ImportFileError(
                "This is not an Excel workbook (.xlsx): the zip file holds no workbook."
            )
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
            raise ImportFileError(
                f"The workbook would unpack to {total / 1024 / 1024:.0f} MB from "
                f"{len(data) / 1024:.0f} KB; that is not a normal spreadsheet (a zip bomb?) and "
                "was not opened."
            )


def _read_xlsx(data: bytes) -> Table:
    """The first sheet, read by calamine (Rust; ~20 times faster than openpyxl on big sheets)."""
    check_xlsx_zip(data)
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise ImportFileError("The workbook has no sheet.")
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ImportFileError:
        raise
    except Exception as error:  # a damaged package raises calamine's own errors
        raise ImportFileError(f"The workbook cannot be opened: {error}.") from None
    if not rows or not any(_text(x) for x in rows[0]):
        raise ImportFileError("The first sheet is empty: there is nothing to import.")
    headers = [_text(h) for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    body = [(i + 2, [None if x == "" else x for x in r]) for i, r in enumerate(rows[1:])]
    return Table(headers=headers, rows=body, kind="xlsx")


# --- resolving rows -----------------------------------------------------------------------


def _text(x: object) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x == int(x):
        return str(int(x))
    return str(x).strip()


def _number(x: object, column: str, whole: bool) -> tuple[float | int | None, str]:
    if type(x) is str and x.isdigit() and x.isascii():  # the common case in a CSV file
        return (int(x) if whole else float(x)), ""
    if x is None or (isinstance(x, str) and not x.strip()):
        return None, ""
    if isinstance(x, bool):
        return None, f"expected a number in {column}, not a yes/no value"
    if isinstance(x, (int, float)):
        number = x
    else:
        text = str(x).strip().replace(",", "")
        try:
            number = float(text)
        except ValueError:
            kind = "a whole number of 0 or more" if whole else "a number"
            return None, f"expected {kind} in {column}, not text"
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"expected a number in {column}"
    if whole:
        if number < 0:
            return None, f"the {column} cannot be negative"
        if number != int(number):
            return None, f"the {column} is a count: a whole number, not a fraction"
        return int(number), ""
    return float(number), ""


def _period_key(x: object) -> str:
    if isinstance(x, datetime):
        x = x.date()
    if isinstance(x, date):
        return f"{x:%Y-%m}"
    text = _text(x).lower()
    if len(text) >= 7 and text[4] == "-" and text[:4].isdigit() and text[5:7].isdigit():
        return text[:7]
    return text


def check_import(
    table: Table,
    collaborative,
    *,
    allowed_team_ids: set[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Resolve every row (team, period, measure, stratum, numbers) and list every problem.

    `allowed_team_ids` limits the teams whose rows may be imported (None: every team).
    """
    from breakthrough.collaboratives.models import ReportingPeriod
    from breakthrough.teams.models import Team

    mapped = [normalise_header(h) for h in table.headers]
    mapping: list[tuple[str, str]] = []
    problems: list[Problem] = []
    seen_cols: dict[str, int] = {}
    for i, (raw, name) in enumerate(zip(table.headers, mapped, strict=True)):
        if name in COLUMNS:
            if name in seen_cols:
                problems.append(Problem(1, str(raw), str(raw), f"the column {name} appears twice"))
            seen_cols[name] = i
            mapping.append((str(raw), name))
        elif name in INFORMATIONAL:
            mapping.append((str(raw), "ignored (for reading only)"))
        else:
            mapping.append((str(raw), "unknown"))
            problems.append(
                Problem(
                    1,
                    str(raw) or f"#{i + 1}",
                    str(raw),
                    "unknown column; the columns are " + ", ".join(COLUMNS),
                )
            )
    for name in REQUIRED:
        if name not in seen_cols:
            problems.append(Problem(1, name, "", f"the required column {name} is missing"))
    if not {"numerator", "denominator", "value", "note"} & set(seen_cols):
        problems.append(
            Problem(
                1,
                "numerator",
                "",
                "no column with numbers: give numerator and denominator, or value",
            )
        )
    checked = Checked(mapping=mapping, problems=problems)
    if problems:
        return checked

    teams = list(Team.objects.filter(collaborative=collaborative))
    team_by: dict[str, object] = {}
    for t in teams:
        for key in (t.name, t.code, t.slug):
            if key:
                team_by[key.lower()] = t
    period_by: dict[str, object] = {}
    for p in ReportingPeriod.objects.filter(collaborative=collaborative):
        period_by[f"{p.start:%Y-%m}"] = p
        period_by[p.label.lower()] = p
    measures = {m.code: m for m in Measure.objects.filter(collaborative=collaborative)}
    measure_by_lower = {code.lower(): m for code, m in measures.items()}
    reported: dict[int, set[int]] = {}
    for team_id, measure_id in TeamMeasure.objects.filter(
        team__collaborative=collaborative, active=True
    ).values_list("team_id", "measure_id"):
        reported.setdefault(team_id, set()).add(measure_id)
    strata: dict[int, set[str]] = {}
    for m in Measure.objects.filter(collaborative=collaborative).prefetch_related("stratifiers"):
        strata[m.pk] = {f"{s.code}:{c}" for s in m.stratifiers.all() for c in s.category_codes}
    closed = {
        (t, p): s
        for t, p, s in Submission.objects.filter(
            team__collaborative=collaborative, state__in=["submitted", "skipped"]
        ).values_list("team_id", "period_id", "state")
    }

    team_seen: dict[object, object] = {}
    period_seen: dict[object, object] = {}
    measure_seen: dict[object, object] = {}
    col = seen_cols
    cols = [(name, col[name]) for name in COLUMNS if name in col]
    seen: dict[tuple, int] = {}
    width = len(table.headers)
    total = len(table.rows)

    def add(line: int, column: str, value: object, message: str) -> None:
        if len(checked.problems) < MAX_PROBLEMS:
            checked.problems.append(Problem(line, column, _text(value), message))
        else:
            checked.truncated = True

    # `.id`, not `.pk`, in this loop: `pk` is a property, and the loop runs once a row.
    for index, (line, cells) in enumerate(table.rows):
        if progress and index % 5000 == 0:
            progress(index, total)
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        get = {name: cells[i] for name, i in cols}
        try:  # CSV cells are all text: one join is the fast test for an empty line
            blank = not "".join(cells).strip()
        except TypeError:
            blank = all(_text(v) == "" for v in cells)
        if blank:
            checked.n_blank += 1
            continue
        checked.n_rows += 1
        if len(cells) > width and any(_text(v) for v in cells[width:]):
            add(line, f"#{width + 1}", cells[width], "a value beyond the last named column")
        # Files repeat the same few teams, months and codes: resolve each cell value once.
        raw = get["team"]
        if raw not in team_seen:
            team_seen[raw] = team_by.get(_text(raw).lower())
        team = team_seen[raw]
        raw = get["period"]
        if raw not in period_seen:
            period_seen[raw] = period_by.get(_period_key(raw))
        period = period_seen[raw]
        raw = get["measure"]
        if raw not in measure_seen:
            measure_seen[raw] = measures.get(_text(raw)) or measure_by_lower.get(_text(raw).lower())
        measure = measure_seen[raw]
        stratum = _text(get.get("stratum"))
        note = _text(get.get("note"))
        whole = {
            "numerator": True,
            "denominator": True,
            "value": bool(measure and measure.data_type == "count"),
        }
        numbers = [(name, *_number(get.get(name), name, whole[name])) for name in NUMBERS]
        # A cell that is not empty gives either a number or a message.
        numbers_given = bool(note) or any(n is not None or m for _name, n, m in numbers)
        bad = False
        if team is None:
            add(
                line,
                "team",
                get["team"],
                "no team of the collaborative has this name, code or slug",
            )
            bad = True
        elif allowed_team_ids is not None and team.id not in allowed_team_ids:
            add(line, "team", get["team"], f"you may not enter data for {team.name}")
            bad = True
        if period is None:
            add(line, "period", get["period"], "no reporting period; write the month as YYYY-MM")
            bad = True
        if measure is None:
            add(line, "measure", get["measure"], "no measure of the collaborative has this code")
            bad = True
        elif team is not None and measure.id not in reported.get(team.id, set()):
            add(line, "measure", get["measure"], f"{team.name} does not report {measure.code}")
            bad = True
        elif stratum and stratum not in strata.get(measure.id, set()):
            allowed = ", ".join(sorted(strata.get(measure.id, set()))) or "none (total only)"
            add(line, "stratum", stratum, f"not a stratum of {measure.code}; expected {allowed}")
            bad = True
        if not numbers_given:
            if not bad:
                checked.n_blank += 1  # a template line left empty
                checked.n_rows -= 1
            continue
        if team is not None and period is not None and (team.id, period.id) in closed:
            state = closed[(team.id, period.id)]
            add(
                line,
                "period",
                get["period"],
                f"{team.name}'s {period.label} data are {state}; reopen the month first",
            )
            bad = True
        values: dict[str, float | int | None] = {}
        for name, number, message in numbers:
            if message:
                add(line, name, get.get(name), message)
                bad = True
            values[name] = number
        if bad:
            continue
        key = (team.id, period.id, measure.code, stratum)
        if key in seen:
            add(
                line,
                "measure",
                get["measure"],
                f"duplicates row {seen[key]} (same team, period, measure and stratum)",
            )
            continue
        seen[key] = line
        row = ValueRow(measure=measure.code, stratum=stratum, note=note, **values)
        found = check_value_row(row, measure)
        if found:
            for name, message in found:
                add(line, name, get.get(name, ""), message)
            continue
        checked.groups.setdefault((team.id, period.id), []).append((line, row))
        checked.teams[team.id] = team
        checked.periods[period.id] = period
    if progress:
        progress(total, total)
    return checked


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")


@transaction.atomic
def do_import_values(
    checked: Checked, *, person, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Write a checked file, all or nothing (one transaction).

    Returns counts of values created, updated and unchanged. ImportFailed (and nothing written)
    if the writes find a problem the check could not (e.g. someone entered values meanwhile and
    a period was submitted).
    """
    from .submissions import mark_drafts

    if checked.problems:
        raise ImportFailed(checked.problems)
    closed = set(
        Submission.objects.select_for_update()
        .filter(
            team_id__in=checked.teams,
            period_id__in=checked.periods,
            state__in=["submitted", "skipped"],
        )
        .values_list("team_id", "period_id")
    )
    problems: list[Problem] = []
    keys = sorted(checked.groups)
    for team_id, period_id in keys:
        if (team_id, period_id) in closed:
            line = checked.groups[(team_id, period_id)][0][0]
            label = checked.periods[period_id].label
            problems.append(Problem(line, "period", label, "the month was submitted meanwhile"))
    if problems:
        raise ImportFailed(problems)
    if progress:
        progress(0, len(keys))
    result, failures = do_upsert_measure_values_many(
        [
            (checked.teams[t], checked.periods[p], [r for _line, r in checked.groups[(t, p)]])
            for t, p in keys
        ],
        person=person,
    )
    for n, error in failures:
        lines = checked.groups[keys[n]]
        problems += [Problem(lines[i][0], f, "", m) for i, f, m in error.errors]
    counts = {
        "created": result.n_created,
        "updated": result.n_updated,
        "unchanged": result.n_unchanged,
    }
    if problems:
        raise ImportFailed(problems)
    mark_drafts(set(checked.groups), person)
    if progress:
        progress(len(keys), len(keys))
    return counts


# --- templates and exports ----------------------------------------------------------------


def template_rows(teams: Iterable, periods: Iterable) -> list[list]:
    """One empty line per team, period, measure and stratum the team reports."""
    from .submissions import entry_measures

    out = []
    periods = list(periods)
    for team in teams:
        measures = entry_measures(team)
        for period in periods:
            for m in measures:
                lines = [""] + [
                    f"{s.code}:{c}" for s in m.stratifiers.all() for c in s.category_codes
                ]
                for stratum in lines:
                    out.append(
                        [
                            team.slug,
                            f"{period.start:%Y-%m}",
                            m.code,
                            m.name,
                            stratum,
                            None,
                            None,
                            None,
                            "",
                        ]
                    )
    return out


def export_rows(values) -> list[list]:
    return [
        [
            v.team.slug,
            f"{v.period.start:%Y-%m}",
            v.measure.code,
            v.measure.name,
            v.stratum,
            v.numerator,
            v.denominator,
            v.value,
            v.note,
            v.entered_at.isoformat(timespec="seconds"),
        ]
        for v in values
    ]


def values_for_export(collaborative, team_ids: set[int] | None):
    qs = MeasureValue.objects.filter(team__collaborative=collaborative).select_related(
        "team", "period", "measure"
    )
    if team_ids is not None:
        qs = qs.filter(team_id__in=team_ids)
    return qs.order_by("team__name", "period__start", "measure__order", "measure__code", "stratum")


def write_csv(headers: Iterable[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if x is None else x for x in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(headers: Iterable[str], rows: Iterable[list], *, title: str = "values") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
