"""The USWDS files the site uses, found in the npm package for ``collectstatic``.

The package ships some 2,700 files, mostly icon sets; the site needs its stylesheet, what
that stylesheet refers to (fonts and a few icons) and the favicon. Collecting only those
keeps ``eo152 serve``'s start and the test suite fast, while every ``url()`` of the
stylesheet still resolves (the manifest storage refuses one that does not).
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PREFIX = "uswds"
STYLESHEET = "css/uswds.min.css"
FAVICON = "img/favicons/favicon.ico"
_URL = re.compile(r"url\((?P<quote>['\"]?)(?P<target>[^)'\"]+)(?P=quote)\)")
_SOURCE_MAP = re.compile(r"sourceMappingURL=(?P<target>[^\s*]+)")


class UswdsFinder(BaseFinder):
    """Finds ``uswds/<path>`` for the stylesheet, its references and the favicon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root = Path(settings.USWDS_DIST)
        self.storage = FileSystemStorage(location=self.root)
        self.storage.prefix = PREFIX  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if (self.root / STYLESHEET).exists():
            return []
        hint = "Run `npm ci` in the checkout (or set EO152_NODE_MODULES)."
        return [Error(f"USWDS is not installed at {self.root}", hint=hint, id="eo152.E001")]

    # Like Django's own finders, an empty list for "not found" whatever ``find_all`` says:
    # finders.find() would otherwise report [None] as a match.
    def find(self, path: str, find_all: bool = False) -> str | list[str]:  # type: ignore[override]
        relative = path.removeprefix(PREFIX + "/")
        if not path.startswith(PREFIX + "/") or relative not in used_files(self.root):
            return []
        found = str(self.root / relative)
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for relative in sorted(used_files(self.root)):
            yield relative, self.storage


@functools.cache
def used_files(root: Path) -> frozenset[str]:
    """The stylesheet, every local file its ``url()``s and source map name, and the favicon."""
    stylesheet = root / STYLESHEET
    if not stylesheet.exists():
        return frozenset()
    base = posixpath.dirname(STYLESHEET)
    text = stylesheet.read_text("utf-8")
    targets = {
        posixpath.normpath(posixpath.join(base, match["target"].split("#")[0].split("?")[0]))
        for match in [*_URL.finditer(text), *_SOURCE_MAP.finditer(text)]
        if not match["target"].startswith(("data:", "http:", "https:", "#"))
    }
    return frozenset({STYLESHEET, FAVICON, *(t for t in targets if (root / t).is_file())})
