"""The statistics core imports only the standard library and numpy."""

from __future__ import annotations

import subprocess
import sys

from breakthrough.spc.tests.cases import ROOT

CODE = """
import sys
import breakthrough.spc
import breakthrough.spc.cli
third = {m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names)
print(sorted(third - {'breakthrough', 'numpy', '__main__', '_distutils_hack'}))
"""


def test_import_does_not_pull_in_django_or_other_packages() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert proc.stdout.strip() == "[]", proc.stdout
