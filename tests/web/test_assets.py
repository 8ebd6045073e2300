"""Only the USWDS files the site uses are collected, and every one its stylesheet names."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

from eo152.web.assets import STYLESHEET, used_files


def test_the_stylesheet_and_what_it_refers_to_are_found():
    files = used_files(Path(settings.USWDS_DIST))
    assert STYLESHEET in files
    assert any(name.startswith("fonts/source-sans-pro/") for name in files)
    assert len(files) < 200, "not the package's 2,700 icons"
    for name in files:
        assert finders.find(f"uswds/{name}")


def test_a_file_the_site_does_not_use_is_not_found():
    assert not finders.find("uswds/img/us_flag.svg")
    assert finders.find("uswds/img/us_flag.svg", find_all=True) == []
