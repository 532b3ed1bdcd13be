"""A class on a real JupyterHub on 127.0.0.1: everyone logs in at once and runs the lab.

JupyterHub (PyPI) with its proxy installed by npm, the dummy authenticator (one shared password)
and one local process per student; every port on loopback. Each of `CLASS_SIZE` students logs in
with the login form at the same moment, gets a server, pulls the course with nbgitpuller from a
local clone (the ``student`` branch an instructor publishes), opens a kernel, runs
``06_saturation_and_dead_relus.ipynb`` top to bottom over the kernel's websocket, and moves two
of the lab's sliders through the widgets' comm messages. No failure is allowed. The figures are
printed; ``benchmarks/hub_class.py`` runs the same class and writes them as a table.

Run with ``make test-hub`` (it installs the ``hub`` extra and sets COURSE_HUB_TEST=1).
"""

import os

import pytest

CLASS_SIZE = int(os.environ.get("COURSE_HUB_CLASS", "12"))

pytest.importorskip("jupyterhub", reason='JupyterHub is not installed: pip install -e ".[hub]"')
pytest.importorskip("nbgitpuller", reason='nbgitpuller is not installed: pip install -e ".[hub]"')

# JupyterHub's and SQLAlchemy's own deprecation warnings are not the course's concern.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_a_class_runs_the_lab_on_jupyterhub(tmp_path):
    from tests.hub import classroom

    assert CLASS_SIZE >= 12, "the class must have at least 12 students"
    result = classroom.run_class(tmp_path, students=CLASS_SIZE)
    figures = classroom.summary(result)
    print()
    for key, value in figures.items():
        print(f"{key:>20}: {value:.2f}" if isinstance(value, float) else f"{key:>20}: {value}")
    assert not result["failures"], f"failures: {result['failures']}\nhub log:\n{result['hub_log']}"
    assert figures["finished"] == CLASS_SIZE
    assert len(result["memory"]) == CLASS_SIZE, "a student's server was not found to measure"
    # Kernels on Unix sockets: no TCP port a kernel could lose to another process while it starts.
    assert all(t == ["ipc"] for t in result["transports"].values()), result["transports"]
    for report in result["reports"]:
        assert report.cells > 0 and len(report.slider_s) == 4, report
