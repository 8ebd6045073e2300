"""Only the packages' files the site uses are collected, and every one their entries name."""

from __future__ import annotations

from django.contrib.staticfiles import finders

from eo152.web.assets import LEAFLET, USWDS, used_files


def test_the_uswds_stylesheet_and_what_it_refers_to_are_found():
    files = used_files(USWDS)
    assert "css/uswds.min.css" in files
    assert any(name.startswith("fonts/source-sans-pro/") for name in files)
    assert len(files) < 200, "not the package's 2,700 icons"
    for name in files:
        assert finders.find(f"uswds/{name}")


def test_leaflet_brings_its_images_and_source_map():
    files = used_files(LEAFLET)
    assert {"leaflet.js", "leaflet.css", "images/layers.png", "leaflet.js.map"} <= files
    assert "leaflet-src.esm.js" not in files
    for name in files:
        assert finders.find(f"leaflet/{name}")


def test_a_file_the_site_does_not_use_is_not_found():
    assert not finders.find("uswds/img/us_flag.svg")
    assert finders.find("uswds/img/us_flag.svg", find_all=True) == []
    assert not finders.find("leaflet/leaflet-src.js")
    assert not finders.find("nothing/leaflet.js")
