"""`breakthrough import-measures FILE --collaborative SLUG`: output and exit codes."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from breakthrough.measures.models import MeasureValue

pytestmark = pytest.mark.django_db
HEADER = "team,period,measure,stratum,numerator,denominator,value,note\n"


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import-measures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_file_imports_with_progress(mworld, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(HEADER + "alder,2024-01,M1,,10,20,,\nbirch,2024-01,M2,,,,4,\n")
    out, err = run(str(path), "--collaborative", "testbsc", "--as", "dina")
    assert "good.csv: imported 2 new and 0 changed values (0 unchanged) for 2 team-months" in out
    assert "Checking  [#########################] 100% (2/2)" in err
    assert "Importing [#########################] 100% (2/2)" in err
    assert MeasureValue.objects.count() == 2
    assert MeasureValue.objects.first().entered_by == mworld.dina


def test_bad_file_prints_every_problem_and_writes_nothing(mworld, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "alder,2024-01,M1,,30,20,,\nzed,2024-01,M2,,,,x,\n")
    with pytest.raises(CommandError, match="3 problems; nothing was imported"):
        run(str(path), "--collaborative", "testbsc", "--no-progress")
    assert not MeasureValue.objects.exists()


def test_dry_run_writes_nothing(mworld, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(HEADER + "alder,2024-01,M2,,,,4,\n")
    out, _ = run(str(path), "--collaborative", "testbsc", "--dry-run", "--no-progress")
    assert "1 values for 1 team-months are ready to import (dry run" in out
    assert not MeasureValue.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--collaborative", "testbsc"], "No file missing.csv"),
        (["{f}", "--collaborative", "nope"], "No collaborative with the slug 'nope'"),
        (["{f}", "--collaborative", "testbsc", "--as", "nobody"], "No person with the username"),
        (["{empty}", "--collaborative", "testbsc"], "empty.csv: The file is empty"),
    ],
)
def test_usage_errors(mworld, tmp_path, args, message):
    f = tmp_path / "f.csv"
    f.write_text(HEADER)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    args = [a.format(f=f, empty=empty) for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_console_script_exit_code_and_stderr(mworld, tmp_path, capsys, monkeypatch):
    """The console script: problems go to stderr, one per line, and the exit status is 1."""
    from django.db import connections

    from breakthrough.cli import main

    # Django closes the connections after a command line; the test's transaction needs them.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    path = tmp_path / "bad.csv"
    path.write_text("team,period\nalder,2024-01\n")
    with pytest.raises(SystemExit) as exit_:
        main(["import-measures", str(path), "--collaborative", "testbsc"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "bad.csv: row 1, column measure: the required column measure is missing" in err
    assert "CommandError: 2 problems; nothing was imported." in err
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "alder,2024-01,M2,,,,4,\n")
    assert main(["import-measures", str(good), "--collaborative", "testbsc"]) == 0
    assert MeasureValue.objects.count() == 1


def test_verb_is_listed(capsys):
    from breakthrough.cli import main

    assert main([]) == 0
    assert "import-measures" in capsys.readouterr().out
