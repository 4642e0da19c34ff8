"""A fixture factory shared by the explorer tests.

It lives in a module of its own: the browser tests have their own ``conftest.py``, so
``from conftest import ...`` would be ambiguous when the whole ``tests`` folder is collected.
"""

import pytest


def explorer_fixture(factory):
    """A fixture that builds one explorer for a test and closes it afterwards."""

    @pytest.fixture
    def _explorer():
        e = factory()
        yield e
        e.close()

    return _explorer
