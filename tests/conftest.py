"""Shared pytest configuration for the course's tests."""

import importlib.util
import os
import sys

# jsonschema builds an Earley parser for the "iri" string format when it is imported, if the
# rfc3987-syntax package is installed (JupyterLab's dependencies install it): 2-3 s in every
# test process that imports nbformat. nbformat validates notebooks with draft-4 schemas, which
# have no such format, so the tests go without it. Under `make test` nbval's plugin has imported
# nbformat before this file is read, and this changes nothing; `make test-fast` leaves nbval out.
sys.modules.setdefault("rfc3987_syntax", None)


def pytest_configure(config):
    # nbval reads the sanitizer path relative to the current directory; anchor it at the repo.
    path = (
        config.option.nbval_sanitize_with if hasattr(config.option, "nbval_sanitize_with") else None
    )
    if path and not os.path.isabs(path):
        config.option.nbval_sanitize_with = str(config.rootpath / path)


# PyTorch is optional: notebook 07 and its exercise need it. Without it their tests are skipped,
# with the reason; with REQUIRE_TORCH=1 (CI sets it) a missing PyTorch fails the run instead.
TORCH_NOTEBOOK = "07_from_our_graph_to_pytorch"
TORCH_EXERCISES = {"relu_function"}
TORCH_MISSING = (
    'PyTorch is not installed; notebook 07 needs the optional extra: pip install -e ".[torch]" '
    "(or make lab TORCH=1)"
)


def _needs_torch(item):
    if TORCH_NOTEBOOK in item.nodeid or "test_torchgraph" in item.nodeid:
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return getattr(params.get("case"), "exercise", None) in TORCH_EXERCISES


def _torch_error():
    """Why PyTorch cannot be used, or None.

    With REQUIRE_TORCH=1 it is imported, so that a broken install stops the run here. Otherwise
    finding it is enough: importing it costs every test process 2 s before the first test, and a
    broken install still fails the tests that use it.
    """
    if os.environ.get("REQUIRE_TORCH") != "1":
        if importlib.util.find_spec("torch") is None:
            return "No module named 'torch'"
        return None
    try:
        import torch  # noqa: F401
    except ImportError as err:
        return str(err)
    return None


def pytest_collection_modifyitems(config, items):
    import pytest

    needing = [item for item in items if _needs_torch(item)]
    if not needing:
        return
    error = _torch_error()
    if error is None:
        return
    if os.environ.get("REQUIRE_TORCH") == "1":
        raise pytest.UsageError(f"REQUIRE_TORCH=1 but PyTorch cannot be imported ({error})")
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=TORCH_MISSING))
