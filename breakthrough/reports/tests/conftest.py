import pytest

from .helpers import add_roles


@pytest.fixture
def rworld(world):
    """The shared world plus the roles monthly reports need (see helpers.add_roles)."""
    return add_roles(world)
