"""The small examples in the module docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import breakthrough.spc

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(breakthrough.spc.__path__, "breakthrough.spc.")
    if ".tests" not in m.name
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_user_documentation_examples() -> None:
    docs = Path(__file__).resolve().parents[3] / "docs" / "spc.md"
    if not docs.exists():
        pytest.skip("docs/spc.md not present")
    result = doctest.testfile(str(docs), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
