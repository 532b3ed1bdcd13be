"""The project's packaging: pyproject.toml and environment.yml agree, the commands are wired."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def conda_dependencies():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip = {}, []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip.extend(item["pip"])
        else:
            name = re.split(r"[<>=! ]", item, maxsplit=1)[0]
            conda[name] = item[len(name) :].strip()
    return conda, pip


def test_environment_yml_lists_the_runtime_dependencies_of_pyproject():
    runtime = {
        Requirement(r).name: str(Requirement(r).specifier)
        for r in pyproject()["project"]["dependencies"]
    }
    conda, pip = conda_dependencies()
    for name, spec in runtime.items():
        assert name in conda, f"environment.yml lacks {name} (pyproject.toml has {name}{spec})"
        assert SpecifierSet(conda[name]) == SpecifierSet(spec), (
            f"{name}: environment.yml says {conda[name]!r}, pyproject.toml {spec!r}"
        )
    extra = set(conda) - set(runtime) - {"python", "pip"}
    assert not extra, f"environment.yml has packages pyproject.toml lacks: {sorted(extra)}"
    python = Requirement("python" + conda["python"]).specifier
    assert str(python) == pyproject()["project"]["requires-python"]
    assert "-e ." in pip or "." in pip, "environment.yml must install the helpers package itself"


def test_test_extra_has_what_the_tests_import():
    extra = {Requirement(r).name for r in pyproject()["project"]["optional-dependencies"]["test"]}
    assert {"pytest", "nbval", "autograd", "ruff", "playwright", "nbclient", "pyyaml"} <= extra


def test_makefile_has_the_two_commands_and_ci_runs_the_test_command():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), f"Makefile lacks `{target}`"
    assert "-m venv" in makefile and "jupyter lab" in makefile and "-m pytest" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test\b", ci, re.M)
    assert "set -e" in ci


def test_readme_first_screen_gives_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:25])
    assert "make lab" in first_screen and "make test" in first_screen
    assert "backpropagation" in first_screen.lower()


def test_pytest_collects_tests_and_notebooks_with_nbval():
    options = pyproject()["tool"]["pytest"]["ini_options"]
    assert options["testpaths"] == ["tests", "notebooks"]
    assert "--nbval" in options["addopts"]
