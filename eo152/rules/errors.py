"""Exceptions of the rules engine, named after the problem.

::

    Exception
    └── PolicyError        a policy file that is malformed or inconsistent (file and line inside)
        └── ReadingsError  a readings file that answers no known question, or not with an answer

A situation that does not follow the contract is ``eo152.contract.InvalidSituation``.
"""

from __future__ import annotations

from dataclasses import dataclass


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
