"""The layer config: a YAML file the City's GIS staff can edit.

Each layer names its file, format and CRS, the fields holding the id, name and address, and
how its features map to the contract's ``kind`` and ``ownership`` (fixed for the layer, a
field's values, or ``rules`` matching several fields). Paths are relative to the config file;
``{shared}`` stands for the shared Denver data folder (``EO152_SHARED_DATA``). The full key
reference is in ``docs/places.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..contract.locations import KIND_CODES, OWNERSHIP_CODES
from ._errors import LayerConfigError

FORMATS = {".geojson": "geojson", ".json": "geojson", ".shp": "shapefile", ".csv": "csv"}
# places: they answer ownership and kind; boundary: the city limits (inside_city); area:
# named areas a point is in (neighbourhoods, police districts), for orientation only; street:
# street centre lines with their names, drawn on the map and used to place intersections.
ROLES = ("places", "boundary", "area", "street")
DEFAULT_NEAR_M = 50.0
_LAYER_KEYS = {
    "id", "name", "role", "path", "format", "crs", "coordinates", "fields", "kind",
    "ownership", "rules", "exclude", "near_m", "credit", "covers",
}  # fmt: skip
LAYER_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class Condition:
    """Every field must match its regular expression (whole value); ``None`` means empty."""

    patterns: tuple[tuple[str, re.Pattern[str] | None], ...]

    def matches(self, properties: Mapping[str, Any]) -> bool:
        for name, pattern in self.patterns:
            value = properties.get(name)
            text = "" if value is None else str(value).strip()
            if pattern is None:
                if text:
                    return False
            elif not pattern.fullmatch(text):
                return False
        return True

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.patterns)


@dataclass(frozen=True)
class Rule:
    """When ``condition`` holds, the feature gets this kind and/or ownership."""

    condition: Condition
    kind: str | None = None
    ownership: str | None = None


@dataclass(frozen=True)
class ValueMap:
    """A fixed value (``field`` is None), or a field's values mapped, with a default."""

    default: str
    field_name: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)

    def value_for(self, properties: Mapping[str, Any]) -> str:
        if self.field_name is None:
            return self.default
        raw = properties.get(self.field_name)
        return self.values.get("" if raw is None else str(raw).strip(), self.default)


@dataclass(frozen=True)
class LayerConfig:
    id: str
    name: str
    path: Path
    format: str
    role: str = "places"
    crs: str | None = None
    coordinates: tuple[str, str] | None = None
    id_field: str | None = None
    name_field: str | None = None
    address_field: str | None = None
    kind: ValueMap = ValueMap("unknown")
    ownership: ValueMap = ValueMap("unknown")
    rules: tuple[Rule, ...] = ()
    exclude: tuple[Condition, ...] = ()
    near_m: float = DEFAULT_NEAR_M
    credit: str = ""
    covers: str = ""

    def referenced_fields(self) -> set[str]:
        """Every field of the file this layer's config names, to check they exist."""
        names = {n for n in (self.id_field, self.name_field, self.address_field) if n}
        names = {part for n in names for part in template_fields(n)}
        names.update(f for f in (self.kind.field_name, self.ownership.field_name) if f)
        for rule in self.rules:
            names.update(rule.condition.fields)
        for condition in self.exclude:
            names.update(condition.fields)
        if self.coordinates:
            names.update(self.coordinates)
        return names


def template_fields(spec: str) -> list[str]:
    """``"{addr:housenumber} {addr:street}"`` names two fields; a plain name names itself."""
    found = re.findall(r"\{([^{}]+)\}", spec)
    return found or [spec]


def load_config(path: Path, shared_dir: Path) -> list[LayerConfig]:
    """Read a layer config file; raise LayerConfigError naming the layer and key at fault."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise LayerConfigError(f"{path}: cannot read the layer config: {error}") from error
    except yaml.YAMLError as error:
        raise LayerConfigError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("layers"), list):
        raise LayerConfigError(f"{path}: expected a mapping with a `layers` list")
    layers = [
        _layer(entry, f"{path}: layers[{index}]", path.parent, shared_dir)
        for index, entry in enumerate(document["layers"])
    ]
    _check_unique(layers, path)
    return layers


def _check_unique(layers: list[LayerConfig], path: Path) -> None:
    seen: set[str] = set()
    for layer in layers:
        if layer.id in seen:
            raise LayerConfigError(f"{path}: layer id {layer.id!r} is used twice")
        seen.add(layer.id)
    if sum(layer.role == "boundary" for layer in layers) > 1:
        raise LayerConfigError(f"{path}: only one layer may have role: boundary")


def _layer(entry: Any, where: str, base: Path, shared_dir: Path) -> LayerConfig:
    if not isinstance(entry, dict):
        raise LayerConfigError(f"{where}: expected a mapping")
    layer_id = str(entry.get("id", ""))
    if not LAYER_ID.fullmatch(layer_id):
        raise LayerConfigError(f"{where}: `id` must be lowercase letters, digits and dashes")
    where = f"{where} ({layer_id})"
    unknown = sorted(set(entry) - _LAYER_KEYS)
    if unknown:
        raise LayerConfigError(f"{where}: unknown key {unknown[0]!r}")
    path = _path(entry.get("path"), where, base, shared_dir)
    fields = _mapping(entry.get("fields", {}), f"{where}.fields")
    return LayerConfig(
        id=layer_id,
        name=str(entry.get("name") or layer_id),
        path=path,
        format=_format(entry.get("format"), path, where),
        role=_choice(entry.get("role", "places"), ROLES, f"{where}.role"),
        crs=_optional_str(entry.get("crs")),
        coordinates=_coordinates(entry.get("coordinates"), where),
        id_field=_optional_str(fields.get("id")),
        name_field=_optional_str(fields.get("name")),
        address_field=_optional_str(fields.get("address")),
        kind=_value_map(entry.get("kind", "unknown"), KIND_CODES, f"{where}.kind"),
        ownership=_value_map(
            entry.get("ownership", "unknown"), OWNERSHIP_CODES, f"{where}.ownership"
        ),
        rules=tuple(_rules(entry.get("rules", []), f"{where}.rules")),
        exclude=tuple(_conditions(entry.get("exclude", []), f"{where}.exclude")),
        near_m=_near(entry.get("near_m", DEFAULT_NEAR_M), where),
        credit=str(entry.get("credit") or ""),
        covers=str(entry.get("covers") or ""),
    )


def _path(raw: Any, where: str, base: Path, shared_dir: Path) -> Path:
    if not isinstance(raw, str) or not raw:
        raise LayerConfigError(f"{where}: `path` is required")
    expanded = raw.replace("{shared}", str(shared_dir))
    path = Path(expanded).expanduser()
    return path if path.is_absolute() else (base / path)


def _format(raw: Any, path: Path, where: str) -> str:
    if raw is not None:
        return _choice(raw, tuple(sorted(set(FORMATS.values()))), f"{where}.format")
    guessed = FORMATS.get(path.suffix.lower())
    if guessed is None:
        raise LayerConfigError(f"{where}: cannot tell the format of {path.name}; set `format`")
    return guessed


def _choice(raw: Any, allowed: tuple[str, ...], where: str) -> str:
    if raw not in allowed:
        raise LayerConfigError(f"{where}: {raw!r} is not one of {', '.join(allowed)}")
    return str(raw)


def _optional_str(raw: Any) -> str | None:
    return None if raw is None else str(raw)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise LayerConfigError(f"{where}: expected a mapping")
    return raw


def _coordinates(raw: Any, where: str) -> tuple[str, str] | None:
    if raw is None:
        return None
    mapping = _mapping(raw, f"{where}.coordinates")
    if set(mapping) != {"x", "y"}:
        raise LayerConfigError(f"{where}.coordinates: give exactly `x` and `y` (column names)")
    return str(mapping["x"]), str(mapping["y"])


def _value_map(raw: Any, allowed: Mapping[str, int], where: str) -> ValueMap:
    if isinstance(raw, str):
        return ValueMap(_allowed(raw, allowed, where))
    mapping = _mapping(raw, where)
    if "field" not in mapping:
        raise LayerConfigError(f"{where}: a mapping needs `field`, `values` and `default`")
    values = _mapping(mapping.get("values", {}), f"{where}.values")
    return ValueMap(
        default=_allowed(mapping.get("default", "unknown"), allowed, f"{where}.default"),
        field_name=str(mapping["field"]),
        values={str(k): _allowed(v, allowed, f"{where}.values.{k}") for k, v in values.items()},
    )


def _allowed(raw: Any, allowed: Mapping[str, int], where: str) -> str:
    if raw not in allowed:
        raise LayerConfigError(f"{where}: {raw!r} is not one of {', '.join(allowed)}")
    return str(raw)


def _rules(raw: Any, where: str) -> list[Rule]:
    if not isinstance(raw, list):
        raise LayerConfigError(f"{where}: expected a list")
    rules = []
    for index, entry in enumerate(raw):
        here = f"{where}[{index}]"
        mapping = _mapping(entry, here)
        if set(mapping) - {"when", "kind", "ownership"} or "when" not in mapping:
            raise LayerConfigError(f"{here}: a rule has `when` and `kind` and/or `ownership`")
        kind = mapping.get("kind")
        ownership = mapping.get("ownership")
        rules.append(
            Rule(
                condition=_condition(mapping["when"], f"{here}.when"),
                kind=None if kind is None else _allowed(kind, KIND_CODES, f"{here}.kind"),
                ownership=None
                if ownership is None
                else _allowed(ownership, OWNERSHIP_CODES, f"{here}.ownership"),
            )
        )
    return rules


def _conditions(raw: Any, where: str) -> list[Condition]:
    if not isinstance(raw, list):
        raise LayerConfigError(f"{where}: expected a list of conditions")
    return [_condition(entry, f"{where}[{index}]") for index, entry in enumerate(raw)]


def _condition(raw: Any, where: str) -> Condition:
    mapping = _mapping(raw, where)
    if not mapping:
        raise LayerConfigError(f"{where}: a condition names at least one field")
    patterns: list[tuple[str, re.Pattern[str] | None]] = []
    for name, pattern in mapping.items():
        if pattern is None:
            patterns.append((str(name), None))
            continue
        try:
            patterns.append((str(name), re.compile(str(pattern), re.IGNORECASE)))
        except re.error as error:
            raise LayerConfigError(f"{where}.{name}: bad pattern {pattern!r}: {error}") from None
    return Condition(tuple(patterns))


def _near(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 5000:
        raise LayerConfigError(f"{where}.near_m: a distance in metres, above 0 and at most 5000")
    return float(raw)
