"""The hub test starts a JupyterHub and a class of kernels: only `make test-hub` runs it."""

import os

import pytest

ENABLE = "COURSE_HUB_TEST"


def pytest_collection_modifyitems(config, items):
    if os.environ.get(ENABLE) == "1":
        return
    skip = pytest.mark.skip(reason=f"the JupyterHub class runs with `make test-hub` ({ENABLE}=1)")
    for item in items:
        if "tests/hub/" in item.nodeid:
            item.add_marker(skip)
