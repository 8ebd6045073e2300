"""The public count of federal data requests, from the ledger's ``data_request.*`` entries.

Pure Python with no Django: the site's page counts the live ledger with it, and anyone
counts an exported bundle's ``entries.jsonl`` with it (``eo152 data-requests tally``), so
the two give the same numbers from the same entries. The entries hold codes only (agencies,
data categories, the kind of legal process, the determination), never who a request is
about, which is why they can be counted in public.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

PREFIX = "data_request."
#: The determinations that answer a request, in the order the page shows them.
ANSWERS = ("refuse", "partial", "release")
#: The requests by agency counted with jq alone, for whoever would rather not run eo152
#: (the same numbers as ``by_agency``; ``DIR`` is the bundle's folder).
JQ_BY_AGENCY = (
    'jq -s \'[.[] | select(.kind == "data_request.logged") | .agencies[]]'
    " | group_by(.) | map({(.[0]): length}) | add' DIR/entries.jsonl"
)


def tally(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The counts: requests logged by agency, data category, legal process and month
    received; the answer in force by kind; those still open; answers that went against
    the engine. A request naming two agencies (or categories) counts once under each.

    The answer in force is the last answering entry of each request: ``determined`` with
    ``refuse``, or ``released`` (a release or a release in part, once a second person
    checked it). A release proposed and not yet checked leaves the request open."""
    logged: dict[str, dict[str, Any]] = {}
    answered: dict[str, dict[str, Any]] = {}
    for entry in entries:
        kind = entry.get("kind", "")
        if not kind.startswith(PREFIX):
            continue
        step = kind[len(PREFIX) :]
        reference = entry["reference"]
        if step == "logged":
            logged[reference] = entry
        elif step == "released" or (
            step == "determined" and entry.get("determination") == "refuse"
        ):
            answered[reference] = entry
    agencies: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    processes: Counter[str] = Counter()
    months: Counter[str] = Counter()
    for entry in logged.values():
        agencies.update(entry.get("agencies", []))
        categories.update(entry.get("data_categories", []))
        processes[entry.get("process", "unknown")] += 1
        months[entry["received_on"][:7]] += 1
    in_force = [answer for reference, answer in answered.items() if reference in logged]
    kinds = Counter(answer["determination"] for answer in in_force)
    return {
        "requests": len(logged),
        "by_agency": _sorted(agencies),
        "by_category": _sorted(categories),
        "by_process": _sorted(processes),
        "by_month": dict(sorted(months.items())),
        "answered": {kind: kinds[kind] for kind in ANSWERS},
        "open": len(logged) - len(in_force),
        "against_engine": sum(bool(answer.get("against_engine")) for answer in in_force),
    }


def _sorted(counts: Counter[str]) -> dict[str, int]:
    """Most first, then by code: the same order wherever the counts are made."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def read_entries(path: Path) -> Iterator[dict[str, Any]]:
    """The entries of an export bundle's ``entries.jsonl`` (or of the bundle's folder)."""
    if path.is_dir():
        path = path / "entries.jsonl"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)
