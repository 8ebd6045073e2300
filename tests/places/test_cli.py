"""``eo152 places``: the thin shell over the library."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eo152.cli import app
from eo152.config import Settings

from .places_geojson import WriteConfig, feature_collection, polygon_feature

DOCS = Path(__file__).resolve().parents[2] / "docs" / "places.md"


@pytest.fixture
def run(denver_settings: Settings) -> CliRunner:
    return CliRunner(env={"EO152_DATA_DIR": str(denver_settings.data_dir)})


def test_negative_longitudes_work_without_a_double_dash(run: CliRunner) -> None:
    result = run.invoke(app, ["places", "lookup", "39.7390", "-104.9877", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert (shown["inside_city"], shown["ownership"], shown["kind"]) == (True, "city_owned", "park")


def test_the_text_answer_says_unknown_is_not_unprotected_and_credits_the_data(
    run: CliRunner,
) -> None:
    result = run.invoke(app, ["places", "lookup", "39.7475", "-104.9180"])
    assert result.exit_code == 0
    assert "inside the City and County of Denver" in result.stdout
    assert "does not mean 'not protected'" in result.stdout
    assert "© OpenStreetMap contributors (ODbL)" in result.stdout


def test_lookup_by_address(run: CliRunner) -> None:
    result = run.invoke(app, ["places", "lookup", "--address", "777 Bannock Street", "--json"])
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["place"]["name"] == "Denver Health Medical Center"
    assert shown["address"]["exact"] is True


def test_an_unknown_address_says_so(run: CliRunner) -> None:
    result = run.invoke(app, ["places", "lookup", "--address", "4100 Krameria St"])
    assert result.exit_code == 0
    assert "No loaded layer carries the address" in result.stdout


def test_a_csv_batch_answers_in_input_order(run: CliRunner, tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    points.write_text("lat,lon\n39.7390,-104.9877\n39.7105,-104.8126\n39.728201,-104.990975\n")
    result = run.invoke(app, ["places", "lookup", "--csv", str(points), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert [a["kind"] for a in shown] == ["park", "unknown", "hospital"]
    assert [a["inside_city"] for a in shown] == [True, False, True]


def test_a_csv_with_bad_rows_names_every_one_and_answers_none(
    run: CliRunner, tmp_path: Path
) -> None:
    points = tmp_path / "points.csv"
    points.write_text("lat,lon\n39.7390,-104.9877\n91,-104.9\n39.7,\n")
    result = run.invoke(app, ["places", "lookup", "--csv", str(points), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "row 3: lat '91' is out of range" in result.stderr
    assert "row 4: lon '' is not a number" in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["95", "-104.9"], "lat '95' is out of range"),
        (["39.7"], "give a latitude and a longitude"),
        ([], "exactly one"),
        (["39.7", "-104.9", "--adress", "x"], "no such option: --adress"),
        (["--address", "Bannock"], "cannot read a house number"),
    ],
)
def test_bad_lookup_input_exits_2_with_a_message(
    run: CliRunner, arguments: list[str], message: str
) -> None:
    result = run.invoke(app, ["places", "lookup", *arguments])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_import_reports_each_layer_and_exits_2_when_one_fails(
    tmp_path: Path, write_config: WriteConfig
) -> None:
    ring = [(-104.99, 39.73), (-104.98, 39.73), (-104.98, 39.74), (-104.99, 39.73)]
    good = tmp_path / "good.geojson"
    good.write_text(feature_collection([polygon_feature(ring, name="Lot")]))
    config = write_config([
        {"id": "good", "path": str(good)},
        {"id": "broken", "path": str(good), "fields": {"name": "NOPE"}},
    ])  # fmt: skip
    runner = CliRunner(env={"EO152_DATA_DIR": str(tmp_path / "data")})
    result = runner.invoke(app, ["places", "import", str(config), "--json"])
    assert result.exit_code == 2
    reports = json.loads(result.stdout)
    assert [(r["layer"], r["status"], r["loaded"]) for r in reports] == [
        ("good", "imported", 1),
        ("broken", "failed", 0),
    ]
    assert "not imported: broken" in result.stderr
    listed = runner.invoke(app, ["places", "layers", "--json"])
    assert [layer["id"] for layer in json.loads(listed.stdout)] == ["good"]


def test_a_bad_config_exits_2_naming_the_layer_and_key(
    tmp_path: Path, write_config: WriteConfig
) -> None:
    config = write_config([{"id": "lots", "path": "x.geojson", "kind": "parking"}])
    result = CliRunner().invoke(app, ["places", "import", str(config)])
    assert result.exit_code == 2
    assert "(lots).kind: 'parking' is not one of" in result.stderr


def test_default_config_prints_the_shipped_layers(run: CliRunner) -> None:
    result = run.invoke(app, ["places", "default-config"])
    assert result.exit_code == 0 and "id: parkland" in result.stdout


def test_every_places_command_has_help_and_is_documented() -> None:
    import typer.main

    group = typer.main.get_command(app).commands["places"]  # type: ignore[attr-defined]
    documented = DOCS.read_text(encoding="utf-8")
    for name, command in group.commands.items():
        assert command.help, f"eo152 places {name} has no help text"
        assert re.search(rf"eo152 places {name}\b", documented), f"{name} not in {DOCS.name}"
