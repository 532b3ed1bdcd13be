"""tools/vendor.py reaches the npm registry only through the `npm` client.

These run offline: a stand-in `npm` on PATH writes the tarball that `npm pack` would, so the
tests can see how it is called and what happens to what it writes. Without npm, a package that
is not cached stops the build with one line that says how to install npm; a cached one needs
no npm at all.
"""

import ast
import io
import sys
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools import vendor  # noqa: E402

# A stand-in for npm: records its arguments, then writes the tarball it was given as
# ``NAME-VERSION.tgz`` into the --pack-destination folder, as `npm pack NAME@VERSION` does.
FAKE_NPM = """#!{python}
import pathlib, sys
args = sys.argv[1:]
pathlib.Path({log!r}).write_text("\\n".join(args))
dest = pathlib.Path(args[args.index("--pack-destination") + 1])
(dest / {name!r}).write_bytes(pathlib.Path({source!r}).read_bytes())
"""


def _tarball(files):
    """A .tgz holding ``package/<path>`` for each (path, text) in `files`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path, text in files.items():
            data = text.encode()
            member = tarfile.TarInfo(f"package/{path}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def package():
    data = _tarball({"LICENSE": "MIT", "dist/lib.js": "var x = 1;"})
    pkg = vendor.Package("demo-lib", "1.2.3", vendor._integrity(data), keep=("dist/lib.js",))
    return pkg, data


def _fake_npm(folder, package_name, served):
    """Put an `npm` that serves the bytes `served` on a PATH of its own; return (PATH, log)."""
    bin_dir, log = folder / "bin", folder / "npm-args.txt"
    bin_dir.mkdir()
    source = folder / "served.tgz"
    source.write_bytes(served)
    npm = bin_dir / "npm"
    npm.write_text(
        FAKE_NPM.format(python=sys.executable, log=str(log), name=package_name, source=str(source))
    )
    npm.chmod(0o755)
    return str(bin_dir), log


def test_without_npm_an_uncached_package_stops_with_how_to_install_npm(
    package, tmp_path, monkeypatch
):
    pkg, _ = package
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert not vendor.npm_available()
    with pytest.raises(vendor.VendorUnavailable) as caught:
        vendor.tarball(pkg, tmp_path / "cache")
    message = str(caught.value)
    assert "\n" not in message
    assert "npm is not installed" in message and "apt-get install npm" in message
    assert "demo-lib@1.2.3" in message
    assert not (tmp_path / "cache").exists(), "nothing may be written without npm"


def test_a_cached_package_needs_no_npm(package, tmp_path, monkeypatch):
    pkg, data = package
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / pkg.tarball_name).write_bytes(data)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert vendor.tarball(pkg, cache) == cache / pkg.tarball_name


def test_npm_pack_fetches_and_the_tarball_is_checked_and_cached(package, tmp_path, monkeypatch):
    pkg, data = package
    path, log = _fake_npm(tmp_path, pkg.tarball_name, data)
    monkeypatch.setenv("PATH", path)
    cache = tmp_path / "cache"
    assert vendor.tarball(pkg, cache) == cache / pkg.tarball_name
    assert log.read_text().splitlines() == [
        "pack",
        "demo-lib@1.2.3",
        "--pack-destination",
        str(cache),
        "--silent",
    ]
    out = tmp_path / "out"
    monkeypatch.setitem(vendor.PACKAGES, pkg.name, pkg)
    assert vendor.install(out, [pkg.name], cache) == 1
    assert (out / "_vendor/demo-lib/dist/lib.js").read_text() == "var x = 1;"


def test_a_tarball_that_fails_its_integrity_check_is_refused_and_deleted(
    package, tmp_path, monkeypatch
):
    pkg, _ = package
    tampered = _tarball({"LICENSE": "MIT", "dist/lib.js": "steal();"})
    path, _ = _fake_npm(tmp_path, pkg.tarball_name, tampered)
    monkeypatch.setenv("PATH", path)
    cache = tmp_path / "cache"
    with pytest.raises(vendor.VendorError, match="does not match the pinned"):
        vendor.tarball(pkg, cache)
    assert not (cache / pkg.tarball_name).exists()


def test_vendor_has_no_download_code_of_its_own():
    source = (REPO / "tools" / "vendor.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"urllib", "http", "requests", "httpx", "socket", "ssl"}, imported
    assert "://" not in source, "no address is written into tools/vendor.py"
