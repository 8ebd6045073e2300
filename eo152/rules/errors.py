"""Exceptions of the rules engine, named after the problem.

::

    Exception
    ├── InvalidSituation   a situation that does not follow the contract (field paths inside)
    └── PolicyError        a policy file that is malformed or inconsistent (file and line inside)
        └── ReadingsError  a readings file that answers no known question, or not with an answer
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem in a situation: the contract path of the field and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidSituation(ValueError):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def prefixed(self, index: int) -> InvalidSituation:
        """The same errors for item ``index`` of a batch: ``[3].force.kind``."""
        return InvalidSituation(
            [
                FieldError(
                    f"[{index}].{e.path}" if e.path != "(situation)" else f"[{index}]", e.message
                )
                for e in self.errors
            ]
        )


@dataclass(frozen=True)
class Location:
    """Where in a policy file a problem is."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class PolicyError(Exception):
    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{where}: {what}" for where, what in problems))


class ReadingsError(PolicyError):
    pass
