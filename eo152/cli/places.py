"""``eo152 places``: import layers and look places up. A thin shell over eo152.places.

The library (numpy, shapely, pyproj) is imported inside the commands, so that every other
``eo152`` command starts without paying for it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ..config import Settings
from ..services.places import (
    PlaceQueryError,
    PlaceVerdict,
    answer_dict,
    look_up,
    place_query,
    place_verdict,
)
from ._options import JsonOption
from ._output import console, error_console, fail, print_json

if TYPE_CHECKING:
    from .. import places

app = typer.Typer(
    help="City property and protected spaces: import GIS layers, look up a point or address.",
    no_args_is_help=True,
)
_PROBLEMS_SHOWN = 10


@app.command("import")
def import_(
    config: Annotated[Path, typer.Argument(help="Layer config (YAML); see docs/places.md.")],
    force: Annotated[bool, typer.Option(help="Import layers even if unchanged.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import the layers of CONFIG into the data folder, each layer atomically."""
    from .. import places

    settings = Settings.from_env()
    with _progress() as progress:
        try:
            reports = places.import_config(config, settings, force=force, progress=progress)
        except places.PlacesError as error:
            fail(str(error))
    if as_json:
        print_json([report.to_dict() for report in reports])
    else:
        _print_reports(reports)
    failed = [report.layer for report in reports if report.status == "failed"]
    if failed:
        fail(f"not imported: {', '.join(failed)} (the layers already in the store are kept)")


@contextmanager
def _progress() -> Iterator[places.Progress]:
    bars = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=error_console, transient=True,
    )  # fmt: skip
    tasks: dict[str, Any] = {}

    def advance(layer: str, done: int, total: int) -> None:
        if layer not in tasks:
            tasks[layer] = bars.add_task(layer, total=total)
        bars.update(tasks[layer], completed=done)

    with bars:
        yield advance


def _print_reports(reports: list[places.LayerReport]) -> None:
    table = Table("layer", "status", "loaded", "repaired", "rejected", "excluded")
    for r in reports:
        table.add_row(r.layer, r.status, *(str(n) for n in (r.loaded, r.repaired, r.rejected,
                      r.excluded)))  # fmt: skip
    console.print(table)
    for report in reports:
        if report.error:
            console.print(f"[red]{report.layer}[/]: {report.error}", highlight=False)
        for problem in report.problems[:_PROBLEMS_SHOWN]:
            console.print(
                f"{report.layer}, {problem.feature}: {problem.action}: {problem.reason}",
                highlight=False, markup=False,
            )  # fmt: skip
        hidden = len(report.problems) - _PROBLEMS_SHOWN
        if hidden > 0:
            console.print(f"{report.layer}: {hidden} more problems (see --json)")


@app.command(context_settings={"ignore_unknown_options": True})
def lookup(
    coordinates: Annotated[
        list[str] | None, typer.Argument(metavar="LAT LON", help="WGS 84 degrees.")
    ] = None,
    address: Annotated[str | None, typer.Option(help="An address a layer carries.")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            help="One line read as the places page reads it: a point, two streets "
            "('E Colfax Ave / N Lincoln St'), an address or a place's name ('Denver Health')."
        ),
    ] = None,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="A CSV with `lat` and `lon` columns.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Is this place inside Denver, City property, a protected space? (LAT LON, --address,
    --search or --csv)

    Negative longitudes work as they are: eo152 places lookup 39.7392 -104.9903
    """
    given = [
        coordinates is not None and len(coordinates) > 0,
        address is not None,
        search is not None,
        csv_file,
    ]
    if sum(bool(g) for g in given) != 1:
        fail("give LAT LON, or --address TEXT, or --search TEXT, or --csv FILE (exactly one)")
    if csv_file is not None:
        _lookup_csv(_registry(), csv_file, as_json)
        return
    asked = address is not None or search is not None
    lat, lon = (None, None) if asked else _coordinates(coordinates or [])
    try:
        query = place_query(lat, lon, address, search)
        found = look_up(_registry(), query)
    except PlaceQueryError as refused:
        fail(refused.message)
    from .. import places

    if as_json:
        print_json(answer_dict(found))
    elif isinstance(found, places.AddressAnswer):
        _show_address(found)
    elif isinstance(found, places.NameSearch):
        _show_name(found)
    elif isinstance(found, places.Intersection):
        _show_intersection(found)
    else:
        _show(found)
    if not as_json:
        _show_verdict(place_verdict(found))


def _registry() -> places.Registry:
    from .. import places

    settings = Settings.from_env()
    try:
        registry = places.Registry.default(settings)
    except places.PlacesError as error:
        fail(str(error))
    if not registry.layers:
        error_console.print(
            f"no places layers in {places.store_dir(settings.data_dir)}: every answer is "
            "unknown. Run `eo152 init` or `eo152 places import CONFIG`.",
            highlight=False,
        )
    return registry


def _coordinates(values: list[str]) -> tuple[str, str]:
    options = [value for value in values if value.startswith("--")]
    if options:
        fail(f"no such option: {options[0]}")
    if len(values) != 2:
        fail(f"give a latitude and a longitude (got {len(values)} values)")
    return values[0], values[1]


def _show_verdict(verdict: PlaceVerdict) -> None:
    """The verdict last, where a terminal leaves it in view: the API's words, and the
    engine's for agents staging there."""
    console.print(
        f"City property: [bold]{verdict.city_property}[/]   "
        f"protected space: [bold]{verdict.protected_space}[/]"
    )
    if verdict.outcome == "not_applicable":
        console.print(
            "Staging ban (EO 152 P1): does not apply here, because "
            + "; ".join(verdict.because),
            highlight=False, markup=False,
        )  # fmt: skip
    else:
        console.print(
            f"Staging ban (EO 152 P1), agents holding an ICE administrative warrant: "
            f"{verdict.outcome}. {verdict.plain['en']}",
            highlight=False, markup=False,
        )  # fmt: skip


def _show_name(found: places.NameSearch) -> None:
    if not found.matches:
        console.print(f"No loaded layer has a place named {found.query!r}.", highlight=False,
                      markup=False)  # fmt: skip
        return
    if found.answer is None:
        names = "; ".join(p.name for p in found.matches)
        console.print(f"{found.query!r} could be: {names}. Give the whole name.",
                      highlight=False, markup=False)  # fmt: skip
        return
    console.print(f"{found.query!r} is {found.matches[0].name}", highlight=False, markup=False)
    _show(found.answer)


def _show_intersection(found: places.Intersection) -> None:
    if found.answer is None:
        missing = [asked for asked, names in zip(found.streets, found.found, strict=True)
                   if not names]  # fmt: skip
        why = _NOT_PLACED[found.problem or ""].format(streets=" and ".join(missing))
        console.print(f"{found.query}: cannot be placed: {why}", highlight=False, markup=False)
        return
    streets = " and ".join(names[0] for names in found.found)
    console.print(f"{found.query}: where {streets} meet", highlight=False, markup=False)
    _show(found.answer)


_NOT_PLACED = {
    "no_street_layer": "no street layer is loaded",
    "street_not_found": "no loaded street layer has {streets}",
    "streets_do_not_meet": "the loaded streets of those names do not meet",
}


def _show_address(found: places.AddressAnswer) -> None:
    text = found.query
    if found.answer is None:
        console.print(
            f"No loaded layer carries the address {text!r} (read as {found.normalized!r}); "
            "eo152 has no online geocoder, so give coordinates instead.",
            highlight=False, markup=False,
        )  # fmt: skip
        return
    exact = "" if found.exact else " (house number and street name only)"
    names = "; ".join(f"{p.name} ({p.address})" for p in found.matched)
    console.print(f"{text!r} matches{exact}: {names}", highlight=False, markup=False)
    _show(found.answer)


def _lookup_csv(registry: places.Registry, path: Path, as_json: bool) -> None:
    lats, lons = _read_points(path)
    answers = registry.answers(lats, lons)
    if as_json:
        print_json([answer.to_dict() for answer in answers])
        return
    table = Table("row", "lat", "lon", "inside_city", "ownership", "kind", "place")
    for row, answer in enumerate(answers, start=2):
        place = answer.place.name if answer.place else ""
        inside = _inside_text(answer.inside_city)
        coordinates = (f"{answer.lat:.6f}", f"{answer.lon:.6f}")
        table.add_row(str(row), *coordinates, inside, answer.ownership, answer.kind, place)
    console.print(table)
    _print_credits(answers[0] if answers else None)


def _read_points(path: Path) -> tuple[list[float], list[float]]:
    from .. import places

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"lat", "lon"} - set(reader.fieldnames or [])
            if missing:
                fail(f"{path}: no column {sorted(missing)[0]!r} (need `lat` and `lon`)")
            rows = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        fail(f"{path}: cannot read: {error}")
    lats, lons, problems = [], [], []
    for line, row in rows:
        try:
            lat, lon = places.check_coordinates(row.get("lat"), row.get("lon"))
        except places.InvalidCoordinates as error:
            problems.append(f"{path.name}: row {line}: {error}")
            continue
        lats.append(lat)
        lons.append(lon)
    if problems:
        fail("\n".join(problems[:_PROBLEMS_SHOWN]) + _more(len(problems)))
    return lats, lons


def _more(count: int) -> str:
    return f"\n... and {count - _PROBLEMS_SHOWN} more bad rows" if count > _PROBLEMS_SHOWN else ""


def _show(answer: places.Answer) -> None:
    from .. import places

    console.print(
        f"{answer.lat:.6f}, {answer.lon:.6f}: {_inside_text(answer.inside_city, long=True)}",
        highlight=False,
    )
    for area in answer.areas:
        console.print(f"area: {area.name} [{area.layer}]", highlight=False, markup=False)
    console.print(f"ownership: [bold]{answer.ownership}[/]   kind: [bold]{answer.kind}[/]")
    if answer.ownership == "unknown" or answer.kind == "unknown":
        console.print("unknown means no loaded layer says; it does not mean 'not protected'.")
    for place in answer.places:
        how = "inside" if place.precision == "footprint" else f"{place.distance_m:.0f} m from"
        console.print(
            f"  {how} {place.name}: {place.kind}, {place.ownership} [{place.layer}]",
            highlight=False, markup=False,
        )  # fmt: skip
    if not answer.places:
        console.print("  no place found in the loaded layers")
    console.print("layers consulted: " + ", ".join(layer.id for layer in answer.layers))
    missing = places.not_covered(answer.layers)
    if missing:
        console.print("no layer loaded for: " + ", ".join(missing), highlight=False)
    _print_credits(answer)


def _inside_text(inside: bool | None, long: bool = False) -> str:
    if not long:
        return {True: "true", False: "false", None: "unknown"}[inside]
    return {
        True: "inside the City and County of Denver",
        False: "outside the City and County of Denver",
        None: "inside Denver or not: unknown (no boundary layer loaded)",
    }[inside]


def _print_credits(answer: places.Answer | None) -> None:
    from .. import places

    for line in places.credits(answer.layers) if answer else []:
        console.print(f"[dim]{line}[/]", highlight=False)


@app.command()
def layers(as_json: JsonOption = False) -> None:
    """List the layers imported into the data folder."""
    from .. import places

    registry = _registry()
    if as_json:
        print_json([layer.to_dict() for layer in registry.layers])
        return
    table = Table("id", "role", "features", "kinds", "covers", "imported")
    for layer in registry.layers:
        table.add_row(layer.id, layer.role, str(layer.features), ", ".join(layer.kinds),
                      layer.covers, layer.imported_at)  # fmt: skip
    console.print(table)
    for line in places.credits(registry.layers):
        console.print(f"[dim]{line}[/]", highlight=False)


@app.command()
def remove(layer: Annotated[str, typer.Argument(help="The layer id.")]) -> None:
    """Remove a layer from the data folder's store."""
    from .. import places

    directory = places.store_dir(Settings.from_env().data_dir)
    if not places.remove_layer(directory, layer):
        fail(f"no layer {layer!r} in {directory}")
    console.print(f"removed {layer}")


@app.command("default-config")
def default_config() -> None:
    """Print the shipped Denver layer config, to copy and edit."""
    from .. import places

    console.out(places.default_config_path().read_text(encoding="utf-8"), highlight=False)
