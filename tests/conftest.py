"""Shared pytest configuration for the course's tests."""

import os


def pytest_configure(config):
    # nbval reads the sanitizer path relative to the current directory; anchor it at the repo.
    path = (
        config.option.nbval_sanitize_with if hasattr(config.option, "nbval_sanitize_with") else None
    )
    if path and not os.path.isabs(path):
        config.option.nbval_sanitize_with = str(config.rootpath / path)
