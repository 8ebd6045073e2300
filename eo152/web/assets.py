"""The front-end packages' files the site uses, found in ``node_modules`` for ``collectstatic``.

USWDS ships some 2,700 files, mostly icon sets; the site needs its stylesheet, what that
stylesheet refers to (fonts and a few icons) and the favicon. Leaflet (the places map) needs
its script and stylesheet and the images that stylesheet names. Collecting only those keeps
``eo152 serve``'s start and the test suite fast, while every ``url()`` of a stylesheet and
every source map still resolves (the manifest storage refuses one that does not).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<target>[^)'\"]+)(?P=quote)\)")
_SOURCE_MAP = re.compile(r"sourceMappingURL=(?P<target>[^\s*]+)")


@dataclass(frozen=True)
class Package:
    """An npm package's distribution folder, served under ``<prefix>/``, and its entry files."""

    prefix: str
    dist: str  # inside node_modules
    entries: tuple[str, ...]


USWDS = Package("uswds", "@uswds/uswds/dist", ("css/uswds.min.css", "img/favicons/favicon.ico"))
LEAFLET = Package("leaflet", "leaflet/dist", ("leaflet.js", "leaflet.css"))
PACKAGES = (USWDS, LEAFLET)


class PackageFinder(BaseFinder):
    """Finds ``<prefix>/<path>`` for each package's entry files and what they refer to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roots = {package.prefix: package_root(package) for package in PACKAGES}
        self.storages = {}
        for prefix, root in self.roots.items():
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix  # type: ignore[attr-defined]
            self.storages[prefix] = storage

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        hint = "Run `npm ci` in the checkout (or set EO152_NODE_MODULES)."
        missing = [
            package
            for package in PACKAGES
            if not all((package_root(package) / entry).exists() for entry in package.entries)
        ]
        where = settings.NODE_MODULES
        return [
            Error(f"{package.dist} is not installed in {where}", hint=hint, id="eo152.E001")
            for package in missing
        ]

    # Like Django's own finders, an empty list for "not found" whatever ``find_all`` says:
    # finders.find() would otherwise report [None] as a match.
    def find(self, path: str, find_all: bool = False) -> str | list[str]:  # type: ignore[override]
        prefix, _, relative = path.partition("/")
        package = next((p for p in PACKAGES if p.prefix == prefix), None)
        if package is None or relative not in used_files(package):
            return []
        found = str(self.roots[prefix] / relative)
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for package in PACKAGES:
            for relative in sorted(used_files(package)):
                yield relative, self.storages[package.prefix]


def package_root(package: Package) -> Path:
    return Path(settings.NODE_MODULES) / package.dist


@functools.cache
def used_files(package: Package) -> frozenset[str]:
    """The entry files, and every local file their ``url()``s and source maps name."""
    root = package_root(package)
    found = set()
    for entry in package.entries:
        if not (root / entry).is_file():
            continue
        found.add(entry)
        if entry.endswith((".css", ".js")):
            found |= _referenced(root, entry)
    return frozenset(found)


def _referenced(root: Path, entry: str) -> set[str]:
    text = (root / entry).read_text("utf-8")
    matches = [*_SOURCE_MAP.finditer(text)]
    if entry.endswith(".css"):
        matches += _URL.finditer(text)
    base = posixpath.dirname(entry)
    targets = {
        posixpath.normpath(posixpath.join(base, match["target"].split("#")[0].split("?")[0]))
        for match in matches
        if not match["target"].startswith(("data:", "http:", "https:", "#"))
    }
    return {target for target in targets if (root / target).is_file()}
