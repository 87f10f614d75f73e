"""The small examples in the module docstrings run and give what they say."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

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
