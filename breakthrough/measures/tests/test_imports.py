"""Import files: every bad file gets a clear error and writes nothing; good files round-trip."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from breakthrough.measures.imports import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    check_import,
    do_import_values,
    read_table,
)
from breakthrough.measures.models import MeasureValue, Submission
from breakthrough.measures.submissions import do_skip_measures

S = "testbsc"
pytestmark = pytest.mark.django_db
HEADER = "team,period,measure,stratum,numerator,denominator,value,note\n"
GOOD = HEADER + (
    "alder,2024-01,M1,,10,20,,\n"
    "alder,2024-01,M1,sex:f,6,11,,\n"
    "alder,2024-01,M2,,,,3,\n"
    "Birch County,Feb 2024,M2,,,,4,a note\n"
)


def problems(mworld, text: str, name="f.csv", **kw):
    table = read_table(name, text.encode() if isinstance(text, str) else text)
    return [str(p) for p in check_import(table, mworld.collaborative, **kw).problems]


def upload(mworld, content: bytes, name: str, person="dina"):
    return mworld.client(person).post(
        reverse("measures:import", args=[S]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_good_csv_imports_all_rows_and_marks_drafts(mworld):
    checked = check_import(read_table("f.csv", GOOD.encode()), mworld.collaborative)
    assert checked.ok and checked.n_values == 4 and len(checked.groups) == 2
    counts = do_import_values(checked, person=mworld.dina)
    assert counts == {"created": 4, "updated": 0, "unchanged": 0}
    v = MeasureValue.objects.get(team=mworld.team_a, measure=mworld.measure, stratum="sex:f")
    assert (v.numerator, v.denominator, v.entered_by) == (6, 11, mworld.dina)
    assert sorted(Submission.objects.values_list("state", flat=True)) == ["draft", "draft"]
    # Importing again changes nothing.
    again = check_import(read_table("f.csv", GOOD.encode()), mworld.collaborative)
    assert do_import_values(again, person=mworld.dina)["unchanged"] == 4


def test_imported_values_have_their_history_and_ids_the_next_write_does_not_reuse(mworld):
    """Imports write in bulk (COPY on PostgreSQL, ids drawn from the sequence first)."""
    checked = check_import(read_table("f.csv", GOOD.encode()), mworld.collaborative)
    do_import_values(checked, person=mworld.dina)
    values = {v.pk: v for v in MeasureValue.objects.all()}
    history = list(MeasureValue.history.all())
    assert sorted(h.id for h in history) == sorted(values)
    for h in history:
        v = values[h.id]
        assert (h.history_type, h.history_user, h.note) == ("+", mworld.dina, v.note)
        assert (h.team_id, h.measure_id, h.period_id, h.stratum) == (
            v.team_id,
            v.measure_id,
            v.period_id,
            v.stratum,
        )
        assert (h.numerator, h.denominator, h.value) == (v.numerator, v.denominator, v.value)
    assert values[max(values)].note == "a note"
    later = MeasureValue.objects.create(
        team=mworld.team_a, measure=mworld.measure, period=v.period, stratum="sex:m", numerator=1
    )
    assert later.pk > max(values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "team,month,measure,numerater\nalder,2024-01,M2,3\n",
            [
                "row 1, column numerater (value 'numerater'): unknown column; the columns are "
                "team, period, measure, stratum, numerator, denominator, value, note",
                "row 1, column numerator: no column with numbers: give numerator and "
                "denominator, or value",
            ],
        ),
        (
            "team,measure,value\nalder,M2,3\n",
            ["row 1, column period: the required column period is missing"],
        ),
        (
            HEADER + "alder,2024-01,M1,,ten,20,,\n",
            [
                "row 2, column numerator (value 'ten'): expected a whole number of 0 or more in "
                "numerator, not text"
            ],
        ),
        (
            HEADER + "zed,2024-01,M2,,,,3,\n",
            [
                "row 2, column team (value 'zed'): no team of the collaborative has this name, "
                "code or slug"
            ],
        ),
        (
            HEADER + "alder,2031-01,M2,,,,3,\n",
            [
                "row 2, column period (value '2031-01'): no reporting period; write the month "
                "as YYYY-MM"
            ],
        ),
        (
            HEADER + "alder,2024-01,X9,,,,3,\n",
            ["row 2, column measure (value 'X9'): no measure of the collaborative has this code"],
        ),
        (
            HEADER + "alder,2024-01,M1,race:black,1,2,,\n",
            [
                "row 2, column stratum (value 'race:black'): not a stratum of M1; expected "
                "sex:f, sex:m, sex:unknown"
            ],
        ),
        (
            HEADER + "alder,2024-01,M2,,,,3,\nalder,2024-01,M2,,,,4,\n",
            [
                "row 3, column measure (value 'M2'): duplicates row 2 (same team, period, "
                "measure and stratum)"
            ],
        ),
        (
            HEADER + "alder,2024-01,M1,,21,20,,\n",
            [
                "row 2, column numerator (value '21'): The numerator (21) cannot exceed the denominator (20)."
            ],
        ),
        (
            HEADER + "alder,2024-01,M1,,-2,20,,\n",
            ["row 2, column numerator (value '-2'): the numerator cannot be negative"],
        ),
        (
            HEADER + "alder,2024-01,M9,,,,3,\n",
            ["row 2, column measure (value 'M9'): Alder County does not report M9"],
        ),
    ],
    ids=[
        "wrong columns",
        "missing column",
        "text in number",
        "unknown team",
        "unknown period",
        "unknown measure",
        "unknown stratum",
        "duplicated rows",
        "numerator > denominator",
        "negative",
        "measure not reported",
    ],
)
def test_bad_rows_are_listed_by_row_and_column_and_nothing_written(mworld, text, expected):
    assert problems(mworld, text) == expected
    response = upload(mworld, text.encode(), "bad.csv")
    assert response.status_code == 400
    assert "nothing will be imported" in response.content.decode()
    assert not MeasureValue.objects.exists()


def test_a_count_too_large_for_the_database_is_a_problem_not_a_wrapped_number(mworld):
    text = HEADER + "alder,2024-01,M1,,10,99999999999,,\n"
    assert problems(mworld, text) == [
        "row 2, column denominator (value '99999999999'): The denominator must be a whole "
        "number from 0 to 2,147,483,647; got 99999999999."
    ]
    assert not MeasureValue.objects.exists()


def test_one_bad_row_among_good_ones_writes_nothing(mworld):
    text = GOOD + "alder,2024-02,M1,,30,20,,\n"
    checked = check_import(read_table("f.csv", text.encode()), mworld.collaborative)
    assert [str(p) for p in checked.problems] == [
        "row 6, column numerator (value '30'): The numerator (30) cannot exceed the denominator (20)."
    ]
    with pytest.raises(Exception, match="nothing was imported"):
        do_import_values(checked, person=None)
    assert not MeasureValue.objects.exists()


def test_submitted_or_skipped_months_are_refused(mworld):
    do_skip_measures(mworld.team_a, mworld.periods[0], person=mworld.alice, reason="leave")
    assert problems(mworld, HEADER + "alder,2024-01,M2,,,,3,\n") == [
        "row 2, column period (value '2024-01'): Alder County's Jan 2024 data are skipped; "
        "reopen the month first"
    ]


def test_a_member_may_only_import_own_team(mworld):
    assert problems(mworld, GOOD, allowed_team_ids={mworld.team_a.pk}) == [
        "row 5, column team (value 'Birch County'): you may not enter data for Birch County"
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"   \n\n", "blank.csv", "The file is empty"),
        (
            "team,period,measure,value,note\nalder,2024-01,M2,3,Jos\xe9\n".encode("latin-1"),
            "latin1.csv",
            "The file is not UTF-8 text: byte 0xE9 on line 2",
        ),
        (
            "team,period\n".encode("utf-16"),
            "utf16.csv",
            "The file is not UTF-8 text",
        ),
        (b"PK\x03\x04 this is not really a zip", "fake.xlsx", "not a valid .xlsx package"),
        (b"<html>not a workbook</html>", "page.xlsx", "not a valid .xlsx package"),
        (b"\xd0\xcf\x11\xe0old excel", "old.xls", "Only CSV and Excel .xlsx files"),
    ],
    ids=["empty", "blank", "latin-1", "utf-16", "fake zip", "html as xlsx", "xls"],
)
def test_unreadable_files(mworld, content, name, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(".", r"\.")):
        read_table(name, content)
    response = upload(mworld, content, name)
    assert response.status_code == 400
    assert "Nothing was imported." in response.content.decode()


def test_zip_without_workbook_is_not_a_workbook(mworld):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="holds no workbook"):
        read_table("x.xlsx", buffer.getvalue())


def test_zip_bomb_is_refused_before_opening(mworld):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024
    with pytest.raises(ImportFileError, match="zip bomb"):
        read_table("bomb.xlsx", data)
    response = upload(mworld, data, "bomb.xlsx")
    assert response.status_code == 400
    assert "zip bomb" in response.content.decode()


def test_a_50_mb_file_is_refused_with_the_limit(mworld):
    big = HEADER.encode() + b"alder,2024-01,M2,,,,3,\n" * (50 * 1024 * 1024 // 23 + 1)
    assert len(big) > 50 * 1024 * 1024
    with pytest.raises(ImportFileError, match="at most 20 MB"):
        read_table("big.csv", big)
    response = upload(mworld, big, "big.csv")
    assert response.status_code == 400
    assert f"at most {MAX_IMPORT_BYTES // 1024 // 1024} MB" in response.content.decode()
    assert not MeasureValue.objects.exists()


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_typed_cells(mworld):
    from datetime import datetime

    data = _xlsx(
        [
            ["Team", "Month", "Measure", "Stratum", "Numerator", "Denominator", "Value", "Note"],
            ["AL", datetime(2024, 3, 1), "M1", None, 10, 20, None, None],
            ["alder", "2024-03", "M2", None, None, None, 2.0, None],
            ["alder", "2024-04", "M2", None, None, None, "two", None],
        ]
    )
    checked = check_import(read_table("f.xlsx", data), mworld.collaborative)
    assert [str(p) for p in checked.problems] == [
        "row 4, column value (value 'two'): expected a whole number of 0 or more in value, not text"
    ]


def test_web_preview_then_commit(mworld):
    response = upload(mworld, GOOD.encode(), "good.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ready to import" in html and "4 values for 2 team-months" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    # Someone else cannot commit Dina's upload.
    other = mworld.client("fran").post(
        reverse("measures:import-commit", args=[S]), {"token": token}
    )
    assert other.status_code == 404
    response = mworld.client("dina").post(
        reverse("measures:import-commit", args=[S]), {"token": token}, follow=True
    )
    assert "Imported 4 new and 0 changed values" in response.content.decode()
    assert MeasureValue.objects.count() == 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_round_trip(mworld, fmt):
    client = mworld.client("dana")
    response = client.get(reverse("measures:template", args=[S]) + f"?format={fmt}&period=2024-02")
    assert response.status_code == 200
    if fmt == "csv":
        lines = response.content.decode().splitlines()
        assert (
            lines[0] == "team,period,measure,measure_name,stratum,numerator,denominator,value,note"
        )
        filled = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if cells[2] == "M1":
                cells[5:7] = ["3", "9"]
            elif cells[4] == "":
                cells[7] = "2"
            filled.append(",".join(cells))
        content = ("\n".join(filled) + "\n").encode()
        assert len(lines) == 1 + 4 + 1  # M1 total + 3 strata, M2 total
    else:
        wb = load_workbook(io.BytesIO(response.content))
        ws = wb.active
        for row in ws.iter_rows(min_row=2):
            if row[2].value == "M1":
                row[5].value, row[6].value = 3, 9
            else:
                row[7].value = 2
        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
    response = client.post(
        reverse("measures:import", args=[S]), {"file": SimpleUploadedFile(f"t.{fmt}", content)}
    )
    assert response.status_code == 200, response.content.decode()[-2000:]
    token = response.content.decode().split('name="token" value="')[1].split('"')[0]
    client.post(reverse("measures:import-commit", args=[S]), {"token": token})
    assert MeasureValue.objects.filter(team=mworld.team_a, period=mworld.periods[1]).count() == 5
    # The export reads back the same numbers.
    export = client.get(reverse("measures:export", args=[S]) + "?format=csv").content.decode()
    assert "alder,2024-02,M1,Early identification,sex:f,3,9,," in export


def test_blank_template_lines_are_skipped(mworld):
    text = HEADER + "alder,2024-01,M1,,,,,\nalder,2024-01,M2,,,,3,\n"
    checked = check_import(read_table("f.csv", text.encode()), mworld.collaborative)
    assert checked.ok and checked.n_values == 1 and checked.n_blank == 1


def test_semicolon_csv_and_bom(mworld):
    text = "\ufeffteam;period;measure;value\nalder;2024-01;M2;3\n"
    checked = check_import(read_table("f.csv", text.encode()), mworld.collaborative)
    assert checked.ok and checked.n_values == 1
