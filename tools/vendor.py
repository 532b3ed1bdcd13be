"""Third-party JavaScript for the offline slides and site (and the accessibility audit of their
tests), fetched from the npm registry.

Nothing fetched here is committed. Each package is downloaded once, at build time, by the npm
client (``npm pack NAME@VERSION``, which honours the user's registry and proxy settings), checked
against the integrity hash pinned below, and cached in ``vendor/`` (git-ignored). Without npm the
build stops and says how to install it; once the tarballs are cached, npm is not needed. The few
files a page needs are then copied next to the built pages, under ``_vendor/``, so the output
folder works from a USB stick in a lecture hall without a network.
"""

import base64
import fnmatch
import hashlib
import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "vendor"
VENDOR_DIR = "_vendor"


@dataclass(frozen=True)
class Package:
    """One npm package: exact version, its registry integrity hash and the files we copy."""

    name: str
    version: str
    integrity: str
    keep: tuple  # paths inside the package (files or folders) copied to the output
    drop: tuple = ()  # glob patterns of files under `keep` left out

    @property
    def tarball_name(self):
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"

    @property
    def folder(self):
        """Where the package's files go, relative to the output folder."""
        return f"{VENDOR_DIR}/{self.name}"


PACKAGES = {
    p.name: p
    for p in (
        Package(
            "reveal.js",
            "4.6.1",
            "sha512-1CW0auaXNPmwmvQ7TwpszwVxMi2Xr5cTS3J3EBC/HHgbPF32Dn7aiu/LKWDOGjMbaDwKQiGmfqcoGQ74HUHCMw==",
            keep=(
                "LICENSE",
                "dist/reveal.js",
                "dist/reveal.css",
                "dist/theme/white.css",
                "dist/theme/fonts/source-sans-pro",
                "plugin/notes/notes.js",
            ),
            drop=("*.eot", "*.ttf"),  # every browser in use takes the .woff fonts
        ),
        Package(
            "requirejs",
            "2.3.8",
            "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonFlyQXSowL6Mw==",
            keep=("require.js",),
        ),
        Package(
            "jquery",
            "3.8.0",
            "sha512-AOYt0viqPysMUTq45O8gF9DuOnBT3Il/8WtM/TT8z/2QeGsZ70ImwSJtNFxznn2R71v8yIgaEunOGo82OY/f0g==",
            keep=("LICENSE.txt", "dist/jquery.min.js"),
        ),
        Package(
            "mathjax",
            "2.7.9",
            "sha512-NOGEDTIM9+MrsqnjPEjVGNx4q0GQxqm61yQwSK+/5S59i26wId5IC5gNu9/bu8+CCVl5p9G2IHcAl/wJa+5+BQ==",
            # The TeX input and CommonHTML output that nbconvert's templates ask for
            # (config=TeX-AMS_CHTML-full,Safe), with their web fonts: about 2 MB of 73.
            keep=(
                "LICENSE",
                "MathJax.js",
                "config/TeX-AMS_CHTML-full.js",
                "config/Safe.js",
                "config/local",
                "extensions",
                "jax/input/TeX",
                "jax/output/CommonHTML",
                "jax/element",
                "fonts/HTML-CSS/TeX/woff",
                "localization/en",
            ),
            drop=("extensions/a11y/*",),
        ),
        Package(
            "axe-core",
            "4.14.1",
            "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
            # The accessibility audit of the browser tests; never copied into a built page.
            keep=("LICENSE", "axe.min.js"),
        ),
    )
}

# What the nbconvert templates need, as URLs relative to a page in the output folder.
REVEAL_URL_PREFIX = PACKAGES["reveal.js"].folder
REQUIRE_JS_URL = f"{PACKAGES['requirejs'].folder}/require.js"
JQUERY_URL = f"{PACKAGES['jquery'].folder}/dist/jquery.min.js"
MATHJAX_URL = f"{PACKAGES['mathjax'].folder}/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
AXE_JS = "axe.min.js"  # inside the axe-core package: the audit the browser tests inject


class VendorError(RuntimeError):
    """A package could not be used: it failed its integrity check or lacks a file."""


class VendorUnavailable(VendorError):
    """A package is not cached and cannot be fetched (no npm, or no network)."""


def _integrity(data):
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def npm_available():
    """True when the `npm` client is on PATH."""
    return shutil.which("npm") is not None


def cached(names, cache=CACHE):
    """True when the tarballs of all the packages `names` are in `cache` and verified."""
    for name in names:
        path = Path(cache) / PACKAGES[name].tarball_name
        if not path.exists() or _integrity(path.read_bytes()) != PACKAGES[name].integrity:
            return False
    return True


def tarball(package, cache=CACHE):
    """Path of the package's tarball in `cache`, fetched with ``npm pack`` if missing.

    Parameters
    ----------
    package : Package    one of PACKAGES
    cache   : Path       folder for downloaded tarballs (git-ignored ``vendor/`` by default)

    Returns
    -------
    Path  the verified ``.tgz``

    Raises
    ------
    VendorUnavailable  when the tarball is not cached and npm is missing or cannot fetch it
    VendorError        when the tarball fails its integrity check
    """
    cache = Path(cache)
    path = cache / package.tarball_name
    if path.exists() and _integrity(path.read_bytes()) == package.integrity:
        return path
    spec = f"{package.name}@{package.version}"
    npm = shutil.which("npm")
    if npm is None:
        raise VendorUnavailable(
            f"npm is not installed, and it is needed once to fetch {spec}: install it "
            "(on Debian or Ubuntu: apt-get install npm) and build again"
        )
    cache.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(cache), "--silent"],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise VendorUnavailable(f"`npm pack {spec}` failed:\n{run.stderr.strip()}")
    if not path.exists():
        raise VendorError(f"npm did not write {path}")
    found = _integrity(path.read_bytes())
    if found != package.integrity:
        path.unlink()
        raise VendorError(
            f"{path.name}: integrity {found} does not match the pinned {package.integrity}"
        )
    return path


def _wanted(relative, package):
    kept = any(relative == k or relative.startswith(k + "/") for k in package.keep)
    return kept and not any(fnmatch.fnmatch(relative, pattern) for pattern in package.drop)


def install(out_dir, names, cache=CACHE):
    """Copy the files the pages need from each package into ``out_dir/_vendor/NAME/``.

    Parameters
    ----------
    out_dir : Path             the output folder the pages are written to
    names   : iterable of str  keys of PACKAGES
    cache   : Path             where tarballs are cached

    Returns
    -------
    int  the number of files copied
    """
    out_dir = Path(out_dir)
    copied = 0
    for name in names:
        package = PACKAGES[name]
        target = out_dir / package.folder
        if target.exists():
            shutil.rmtree(target)
        data = tarball(package, cache).read_bytes()
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for member in archive.getmembers():
                if not member.isfile():
                    continue
                top, _, relative = member.name.partition("/")
                if not relative or ".." in relative.split("/") or not _wanted(relative, package):
                    continue
                dest = target / relative
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(archive.extractfile(member).read())
                copied += 1
        missing = [k for k in package.keep if not (target / k).exists()]
        if missing:
            raise VendorError(f"{package.tarball_name} lacks {', '.join(missing)}")
    return copied
