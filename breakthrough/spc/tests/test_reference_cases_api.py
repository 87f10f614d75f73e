"""Every reference case, checked through the Python API: `analyze` one by one.

Expected tally: 84 passed, 1 skipped (qic_edge_g_user_cl, deviation D2). The batch path is
checked against the same cases in test_batch.py.
"""

from __future__ import annotations

import pytest

from breakthrough.spc import analyze
from breakthrough.spc.errors import SPCError
from breakthrough.spc.tests.cases import case_names, plan, shared_dir

pytestmark = pytest.mark.skipif(shared_dir() is None, reason="shared/spc cases not present")


@pytest.mark.parametrize("name", case_names())
def test_case_through_api(name: str) -> None:
    p = plan(name)
    if p.skip:
        pytest.skip(p.skip)
    outs = []
    for spec in p.specs:
        try:
            outs.append(analyze(spec))
        except SPCError as exc:
            outs.append({"error": str(exc)})
    assert p.check(outs) == []
