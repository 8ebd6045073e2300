"""What is wrong with a situation: each problem with the contract path of its field."""

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
