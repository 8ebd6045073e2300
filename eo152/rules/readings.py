"""Readings: a deployment's answers to open legal questions (for example, the City Attorney's).

A readings file is YAML::

    readings:
      - question: p1-scope
        answer: staging_only
        by: City Attorney
        date: 2026-04-01
        basis: why this answer

Unanswered questions stay open. A decision that an answer settles cites it in ``because``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import _yaml
from .errors import Location, ReadingsError
from .policy import OpenQuestion


@dataclass(frozen=True)
class Reading:
    question: str
    answer: str
    by: str
    date: str
    basis: str

    def to_dict(self) -> dict[str, str]:
        return {"question": self.question, "answer": self.answer, "by": self.by, "date": self.date}

    def cite(self) -> str:
        return f"reading: {self.question} = {self.answer} ({self.by}, {self.date})"


def load_readings(path: Path, questions: dict[str, OpenQuestion]) -> dict[str, Reading]:
    """Read and check a readings file against the policy's open questions."""
    data = _yaml.load(path)
    name = str(path)
    items = data.get("readings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ReadingsError([(Location(name, 1), "a readings file has a list 'readings'")])
    problems: list[tuple[Location, str]] = []
    found: dict[str, Reading] = {}
    for item, line in zip(items, getattr(items, "item_lines", [1] * len(items)), strict=True):
        where = Location(name, line)
        if not isinstance(item, dict):
            problems.append((where, "each reading is a mapping with question, answer, by, date"))
            continue
        qid, answer = str(item.get("question", "")), str(item.get("answer", ""))
        question = questions.get(qid)
        if question is None:
            problems.append(
                (where, f"no open question {qid!r}; known: {', '.join(sorted(questions))}")
            )
        elif answer not in question.answers:
            problems.append(
                (where, f"{qid} has the answers {', '.join(question.answers)}, not {answer!r}")
            )
        elif qid in found:
            problems.append((where, f"{qid} is answered twice"))
        else:
            when = item.get("date")
            found[qid] = Reading(
                qid,
                answer,
                str(item.get("by", "unnamed")),
                when.isoformat() if isinstance(when, date) else str(when or "undated"),
                str(item.get("basis", "")).strip(),
            )
    if problems:
        raise ReadingsError(problems)
    return found
