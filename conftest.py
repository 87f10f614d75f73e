import os

import pytest

os.environ.setdefault("BREAKTHROUGH_TESTING", "1")


@pytest.fixture
def world(db):
    """The shared test base: see breakthrough/test.py."""
    from breakthrough.test import make_world

    return make_world()
