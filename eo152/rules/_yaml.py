"""YAML with line numbers, so that every policy problem is reported as ``file:line: reason``.

PyYAML's safe composer gives nodes with positions; this turns them into plain dicts, lists
and scalars while remembering the line of every mapping, sequence and mapping value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Location, PolicyError


class Map(dict[str, Any]):
    """A YAML mapping that knows its line and the line of each of its keys."""

    line: int
    key_lines: dict[str, int]


class Seq(list[Any]):
    """A YAML sequence that knows its line and the line of each item."""

    line: int
    item_lines: list[int]


def load(path: Path, display: str | None = None) -> Any:
    """Parse one YAML file; a syntax error becomes a PolicyError naming file and line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else 1
        hint = ""
        if error.problem and "expected ',' or ']', but got '['" in error.problem:
            hint = " (a list of values inside [...] needs the conditions one per line: '- ...')"
        raise PolicyError(
            [(Location(name, line), f"not valid YAML: {error.problem}{hint}")]
        ) from None
    except yaml.reader.ReaderError as error:  # a control character: it has a position, not a line
        line = text[: error.position].count("\n") + 1
        problem = f"not valid YAML: character #x{error.character:04x} is not allowed"
        raise PolicyError([(Location(name, line), problem)]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError([(Location(name, 1), f"cannot read: {error}")]) from None
    if node is None:
        return None
    return _convert(node, name)


def _convert(node: yaml.Node, name: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        result = Map()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, name)
            if not isinstance(key, str):
                raise PolicyError(
                    [(Location(name, key_node.start_mark.line + 1), "keys must be text")]
                )
            if key in result:
                raise PolicyError(
                    [(Location(name, key_node.start_mark.line + 1), f"duplicate key {key!r}")]
                )
            result[key] = _convert(value_node, name)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(item, name) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    return _scalar(node, name)


def _scalar(node: yaml.Node, name: str) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as error:  # an unknown tag, a date like 2025-02-30
        problem = getattr(error, "problem", None) or str(error)
        line = node.start_mark.line + 1
        raise PolicyError([(Location(name, line), f"not a valid value: {problem}")]) from None
    finally:
        loader.dispose()


def plain(value: Any) -> Any:
    """The same data as plain dicts and lists (for printing it back as YAML)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def line_of(value: Any, key: str | None = None, default: int = 1) -> int:
    """The line of a mapping key's value, or of the mapping or sequence itself."""
    if isinstance(value, Map):
        if key is not None and key in value.key_lines:
            return value.key_lines[key]
        return value.line
    if isinstance(value, Seq):
        return value.line
    return default
