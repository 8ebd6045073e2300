"""The situation of ``CONTRACT.md`` as data: its fields, their types and their vocabulary.

One description serves validation (with field paths and allowed values in every message),
the policy checker (a rule may only name facts and values that are here), the JSON Schema of
the HTTP API, the forms of the web page and the property tests' generators. The facts this
project adds because the law needs them are in ``docs/contract-extensions.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .locations import LOCATION_KINDS, LOCATION_OWNERSHIPS

Kind = Literal["bool", "enum", "enum_list", "object", "object_list", "text", "number", "datetime"]

PEOPLE = ("subject", "protester", "observer", "bystander", "federal_agent", "officer")


@dataclass(frozen=True)
class Field:
    """One field of the situation; ``path`` is its dotted name, list items written ``[]``."""

    name: str
    kind: Kind
    values: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    path: str = ""
    by_name: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def child(self, name: str) -> Field | None:
        return self.by_name.get(name)


def _f(name: str, kind: Kind, *values: str, **extra: Any) -> Field:
    return Field(name, kind, tuple(values), **extra)


def _obj(name: str, kind: Kind, *fields: Field) -> Field:
    return Field(name, kind, fields=fields)


def _with_paths(node: Field, prefix: str) -> Field:
    suffix = "[]" if node.kind in ("object_list",) else ""
    path = f"{prefix}.{node.name}" if prefix else node.name
    children = tuple(_with_paths(c, path + suffix) for c in node.fields)
    return Field(
        node.name,
        node.kind,
        node.values,
        children,
        node.minimum,
        node.maximum,
        node.max_length,
        path,
        {c.name: c for c in children},
    )


SITUATION: Field = _with_paths(
    _obj(
        "",
        "object",
        _f("id", "text"),
        _f("at", "datetime"),
        _f("jurisdiction", "enum", "denver"),
        _obj(
            "agents",
            "object",
            _f(
                "agencies",
                "enum_list",
                "ICE_ERO",
                "ICE_HSI",
                "CBP",
                "BORDER_PATROL",
                "USCIS",
                "FBI",
                "DEA",
                "ATF",
                "USMS",
                "OTHER_FEDERAL",
                "STATE",
                "LOCAL",
                "UNKNOWN",
            ),
            _f(
                "purpose",
                "enum",
                "civil_immigration",
                "criminal_immigration",
                "non_immigration",
                "unknown",
            ),
            _f("masked", "bool"),
            _f("identification_visible", "bool"),
        ),
        _f(
            "activities",
            "enum_list",
            "staging",
            "processing",
            "operations_base",
            "transit",
            "arrest",
            "detention",
            "search",
            "interview",
            "surveillance",
            "patrol",
            "crowd_control",
            "port_of_entry_inspection",
        ),
        _obj(
            "requests",
            "object_list",
            _f(
                "kind",
                "enum",
                "property_use",
                "vehicle_or_equipment",
                "data",
                "non_public_area_access",
                "jail_access",
            ),
            _f(
                "data_categories",
                "enum_list",
                "immigration_status",
                "citizenship",
                "address",
                "contact",
                "identity",
                "release_date",
                "criminal_history",
                "database_access",
                "technology_agreement",
                "other_pii",
            ),
        ),
        _obj(
            "authority",
            "object",
            _f(
                "kind",
                "enum",
                "judicial_warrant",
                "court_order",
                "court_issued_subpoena",
                "immigration_judge_order",
                "administrative_warrant",
                "administrative_subpoena",
                "detainer",
                "required_by_law",
                "consent",
                "none",
                "unknown",
            ),
            _f("form", "text"),
        ),
        _obj(
            "location",
            "object",
            _f("lat", "number", minimum=-90, maximum=90),
            _f("lon", "number", minimum=-180, maximum=180),
            _f("address", "text", max_length=300),
            _f("ownership", "enum", *LOCATION_OWNERSHIPS),
            _f("kind", "enum", *LOCATION_KINDS),
            _f("area", "enum", "public", "non_public"),
            _f("within_city_limits", "bool"),
            _f("courthouse_environs", "bool"),
            _f("fixed_cameras", "bool"),
            _f("courtroom", "bool"),
        ),
        _obj(
            "force",
            "object",
            _f(
                "kind",
                "enum",
                "none",
                "control_hold",
                "takedown",
                "chemical",
                "impact",
                "taser",
                "firearm",
                "neck_restraint",
                "vehicle",
                "other",
            ),
            _f("could_cause_death_or_serious_bodily_injury", "bool"),
            _f("excessive", "bool"),
            _f("ongoing", "bool"),
            _f("target", "enum", *PEOPLE),
        ),
        _obj(
            "injuries",
            "object_list",
            _f("person", "enum", *PEOPLE),
            _f("severity", "enum", "minor", "serious", "fatal"),
        ),
        _f("aid_blocked", "bool"),
        _obj("protest", "object", _f("present", "bool"), _f("peaceful", "bool")),
        _f("surge", "bool"),
        _obj(
            "city_personnel",
            "object_list",
            _f(
                "role",
                "enum",
                "dpd_officer",
                "dsd_deputy",
                "firefighter",
                "paramedic",
                "city_employee",
            ),
            _f("on_duty", "bool"),
            _f("present", "bool"),
            _f("responding", "bool"),
            _f("body_camera", "enum", "recording", "off", "none"),
        ),
        _obj(
            "profiling",
            "object",
            _f("alleged", "bool"),
            _f("basis", "enum", "race", "ethnicity", "national_origin", "language", "religion"),
        ),
        _obj(
            "alleged_crimes",
            "object_list",
            _f("by", "enum", "federal_agent", "city_personnel", "other"),
            _f("felony", "bool"),
            _f("description", "text", max_length=2000),
            _f("within_federal_duties", "bool"),
        ),
        _obj("subject", "object", _f("court_proceeding", "bool")),
    ),
    "",
)


def walk(node: Field = SITUATION) -> Iterator[Field]:
    """Every field below ``node``, depth first."""
    for child in node.fields:
        yield child
        yield from walk(child)


FIELDS: dict[str, Field] = {f.path: f for f in walk()}


def field_at(path: str) -> Field | None:
    """The field named by a contract path such as ``city_personnel[].role``."""
    return FIELDS.get(path)
