"""What logging a federal data request costs: the engine's findings (the request whole, each
kind of data alone, and the six kinds of legal process that could change the answer, in
one batch) and the whole service call (those findings, the ledger entry, the rows).

    python benchmarks/datarequests.py                 # SQLite in a throwaway data folder
    python benchmarks/datarequests.py --database-url postgresql://postgres@127.0.0.1:5432/test

Prints medians over ``--rounds`` rounds, and the ratio of the findings to one plain
decision of the same request (what splitting and the alternatives cost). No peer is named
for this desk; not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from typing import Any

AGENCIES = ["ICE_ERO", "ICE_HSI", "CBP", "USCIS", "FBI"]
PURPOSES = ["civil_immigration", "criminal_immigration", "non_immigration", "unknown"]
CATEGORIES = [
    "immigration_status",
    "citizenship",
    "address",
    "contact",
    "identity",
    "release_date",
    "criminal_history",
    "database_access",
    "technology_agreement",
]
PROCESS = [
    "administrative_subpoena",
    "court_issued_subpoena",
    "judicial_warrant",
    "none",
    "unknown",
    "court_order",
]


def bodies(count: int, seed: int) -> list[dict[str, Any]]:
    pick = random.Random(seed)
    return [
        {
            "agencies": [pick.choice(AGENCIES)],
            "purpose": pick.choice(PURPOSES),
            "received_at": "2026-11-20T09:30:00-07:00",
            "channel": "email",
            "data_categories": pick.sample(CATEGORIES, pick.randint(1, 3)),
            "authority": {"kind": pick.choice(PROCESS)},
        }
        for _ in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="eo152-bench-dr-")
    os.environ["EO152_DATA_DIR"] = folder
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eo152.site.settings")
    from eo152.config import Settings
    from eo152.services.datadir import init

    init(Settings.from_env())
    import django

    django.setup()
    from eo152.accounts.models import User
    from eo152.datarequests import services
    from eo152.datarequests.findings import decide_request
    from eo152.incidents.services import decide

    clerk = User.objects.create_user(f"bench-clerk-{random.random()}", role="records_clerk")
    sample = bodies(args.requests, seed=7)
    given = [services.read_body(body) for body in sample]
    situations = [services._check(item) for item in given]
    plain, split, logged = [], [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for situation in situations:
            decide(situation)
        plain.append((time.perf_counter() - started) / len(situations))
        started = time.perf_counter()
        for situation in situations:
            decide_request(situation)
        split.append((time.perf_counter() - started) / len(situations))
        started = time.perf_counter()
        for item in given:
            services.log_request(clerk, item)
        logged.append((time.perf_counter() - started) / len(given))
    one, findings, whole = (statistics.median(values) * 1000 for values in (plain, split, logged))
    print(f"requests per round: {len(given)}, rounds: {args.rounds} (medians)")
    print(f"one plain decision:                 {one:8.3f} ms")
    print(
        f"the desk's findings (split, alternatives): {findings:8.3f} ms"
        f"  ({findings / one:.1f}x one decision)"
    )
    print(f"log_request (findings, ledger, rows): {whole:8.3f} ms  ({1000 / whole:.0f} requests/s)")


if __name__ == "__main__":
    main()
