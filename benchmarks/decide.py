"""How fast eo152 decides, honestly measured; prints figures and asserts nothing about speed.

1. The full Denver policy on a realistic mix of situations (``situations.py``, plus the
   public cases of ``../shared/scenarios``), with explanations, one core:
   (a) ``Engine.decide`` returning the ``Decision``, the resolution memo warm from deciding the
   same mix before; (a') the same engine kind, warm from *other* situations, deciding
   situations it has never seen; (b) (a) plus ``to_dict()`` and ``json.dumps``; (d) end to
   end, a situation dict to the JSON bytes the API sends: (a) plus ``Decision.to_json()``
   (the situation hash included), and (d') the same for (a'); (c) cold: ``engine.memo =
   None``, so every decision resolves from scratch.
2. The toy rule of ``rules-anchors.md`` §3.2 in eo152 and in its peers (``peers.py``), each
   passing the same legal test table before it is timed; their repeats are interleaved.

Every figure is the median of repeats (the machine has 2 noisy cores): decisions per second
and microseconds per decision. Run with ``make bench``, or ``python benchmarks/decide.py
[--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peers
from situations import TIERS, generated, public_cases

from eo152.rules import Engine

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE.parent.parent / "shared" / "scenarios" / "denver-eo-152.json"
GOAL_FULL = 20_000


@dataclass
class Figure:
    name: str
    rates: list[float]  # decisions per second, one per repeat
    per_repeat: int

    @property
    def median(self) -> float:
        return statistics.median(self.rates)

    def row(self, reference: float | None = None) -> str:
        low, high = min(self.rates), max(self.rates)
        ratio = f" | {self.median / reference:.2f}x" if reference else ""
        return (
            f"| {self.name} | {self.median:,.0f} | {1e6 / self.median:,.1f} | "
            f"{low:,.0f}-{high:,.0f} | {self.per_repeat:,}{ratio} |"
        )


def rate(call: Callable[[Any], Any], items: Sequence[Any]) -> float:
    """Decisions per second over ``items``, one call each."""
    start = time.perf_counter()
    for item in items:
        call(item)
    return len(items) / (time.perf_counter() - start)


# -- 1. the full policy ------------------------------------------------------------------


def full_policy(args: argparse.Namespace) -> list[Figure]:
    count, repeats = args.situations, args.repeats
    public = public_cases(args.scenarios)
    pool = generated(count * (2 + repeats), seed=152)
    mix = pool[:count] + public
    tiers = ", ".join(
        f"{share:.0%} with each field given at {chance:.0%}" for share, chance in TIERS
    )
    print(
        f"Mix: {count:,} generated situations ({tiers}) "
        f"+ {len(public)} public cases from {args.scenarios}"
    )

    warm = Engine.load()
    started = time.perf_counter()
    decisions = [warm.decide(s) for s in mix]
    for decision in decisions:
        decision.to_json()  # the duties' texts, as the memo, warm for (d)
    print(f"Warming the memo on the mix: {time.perf_counter() - started:.1f} s")
    _describe(decisions)

    figures = [
        Figure(
            "(a) decide, warm memo, mix seen before",
            [rate(warm.decide, mix) for _ in range(repeats)],
            len(mix),
        ),
        Figure(
            "(b) (a) + to_dict + json.dumps",
            [rate(lambda s: json.dumps(warm.decide(s).to_dict()), mix) for _ in range(repeats)],
            len(mix),
        ),
        Figure(
            "(d) end to end: situation dict -> JSON bytes as the API sends them, (a) + to_json",
            [rate(lambda s: warm.decide(s).to_json(), mix) for _ in range(repeats)],
            len(mix),
        ),
    ]

    # Two engines warmed alike, each repeat on situations neither has seen: (d') may not
    # reuse the duties (a') wrote, which it would if it ran after (a') on one engine.
    other, other_json = Engine.load(), Engine.load()
    for situation in pool[count : 2 * count]:
        other.decide(situation)
        other_json.decide(situation).to_json()
    unseen = [pool[(2 + i) * count : (3 + i) * count] + public for i in range(repeats)]
    figures += [
        Figure(
            "(a') decide, memo warm from other situations, each repeat unseen ones",
            [rate(other.decide, batch) for batch in unseen],
            len(unseen[0]),
        ),
        Figure(
            "(d') end to end as (d), on the unseen situations of (a')",
            [rate(lambda s: other_json.decide(s).to_json(), batch) for batch in unseen],
            len(unseen[0]),
        ),
    ]

    cold = Engine.load()
    cold.memo = None
    sample = mix[: args.cold]
    figures.append(
        Figure(
            "(c) decide, memo off (cold)",
            [rate(cold.decide, sample) for _ in range(repeats)],
            len(sample),
        )
    )
    return figures


def _describe(decisions: list[Any]) -> None:
    duties = [d for decision in decisions for d in decision.duties]
    undecided = sum(d.outcome == "indeterminate" for d in duties)
    print(
        f"Per decision: {len(duties) / len(decisions):.1f} duties on average, "
        f"{undecided / max(len(duties), 1):.0%} of them indeterminate"
    )


# -- 2. the toy rule against the peers ---------------------------------------------------


def toy(args: argparse.Namespace) -> list[tuple[peers.Contender, Figure | None, str]]:
    """Each contender must pass the legal test table; then the repeats are interleaved (one
    repeat of each contender in turn), so that a burst of load on the noisy machine falls on
    all of them alike instead of on whichever was running."""
    contenders: list[Callable[[], peers.Contender]] = [
        peers.ours,
        peers.ours_json,
        lambda: peers.ours(memoize=False),
        *peers.PEERS,
    ]
    results: list[tuple[peers.Contender, Figure | None, str]] = []
    batches: list[tuple[Figure, peers.Contender, list[Any]]] = []
    for make in contenders:
        contender = make()
        failures = _legal_table(contender)
        if failures:
            results.append((contender, None, "; ".join(failures)))
            continue
        batch = _batch(contender, args)
        figure = Figure(contender.name, [], len(batch))
        results.append((contender, figure, "passed"))
        batches.append((figure, contender, batch))
    for _ in range(args.repeats):
        for figure, contender, batch in batches:
            figure.rates.append(rate(contender.call, batch))
    return results


def _legal_table(contender: peers.Contender) -> list[str]:
    failures = []
    for number, (situation, expected) in enumerate(peers.CASES, start=1):
        got = contender.allowed(contender.call(contender.prepare(situation)))
        if got is not expected:
            failures.append(f"case {number}: allowed={got}, expected {expected}")
    return failures


def _batch(contender: peers.Contender, args: argparse.Namespace) -> list[Any]:
    """The inputs of one repeat: the test table's cases in turn, about ``args.seconds`` long."""
    inputs = [contender.prepare(situation) for situation, _ in peers.CASES]
    probe = inputs * 50
    for item in probe:  # warm-up
        contender.call(item)
    calls = int(min(100_000, max(400, rate(contender.call, probe) * args.seconds)))
    return inputs * (calls // len(inputs))


# -- report ------------------------------------------------------------------------------

_HEAD = "| engine | decisions/s (median) | µs/decision | range over repeats | calls per repeat |"


def report(args: argparse.Namespace) -> None:
    print(
        f"eo152 benchmark: Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {_load()} at start; "
        f"{args.repeats} repeats, medians.\n"
    )
    print("## 1. Full Denver policy, realistic mix, with explanations (one core)\n")
    full = full_policy(args)
    print(f"\n{_HEAD}\n|---|---:|---:|---:|---:|")
    for figure in full:
        print(figure.row())
    warm, dumped, end_to_end = (full[0].median, full[1].median, full[2].median)
    print(
        f"\nGoal ≥ {GOAL_FULL:,}/s for (a): {'met' if warm >= GOAL_FULL else 'NOT met'} "
        f"({warm:,.0f}/s); memoization buys {warm / full[-1].median:,.0f}x over (c). "
        f"End to end (d): {end_to_end:,.0f}/s, {end_to_end / dumped:.1f}x (b)."
    )

    print("\n## 2. The toy rule (rules-anchors.md §3.2) in eo152 and its peers\n")
    results = toy(args)
    ours = next(f for c, f, _ in results if f is not None and c.name.startswith("eo152 (warm"))
    print(f"{_HEAD} rate / eo152 (warm) rate |\n|---|---:|---:|---:|---:|---:|")
    for contender, figure, status in results:
        if figure is None:
            print(f"| {contender.name} | FAILED the legal test table: {status} | | | | |")
        else:
            print(figure.row(ours.median))
    print(
        "\nEvery engine passed the 4 cases of the legal test table before it was timed, "
        "unless marked FAILED. What each timed call includes:\n"
    )
    for contender, _, _ in results:
        print(f"- {contender.name}: {contender.includes}")
    timed_peers = [
        (c, f) for c, f, _ in results if f is not None and not c.name.startswith("eo152")
    ]
    if timed_peers:
        best, figure = max(timed_peers, key=lambda item: item[1].median)
        verdict = "met" if ours.median >= figure.median else "NOT met"
        print(
            f"\nGoal (eo152 with its explanation at least as fast as the fastest peer with "
            f"theirs): {verdict}: eo152 {ours.median:,.0f}/s, {best.name} {figure.median:,.0f}/s "
            f"({ours.median / figure.median:.2f}x)."
        )
    print(f"\nLoad average at the end: {_load()} (2 cores; figures from a loaded machine are low).")


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller mix, shorter repeats")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per figure (median)")
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS, help="public cases file")
    args = parser.parse_args(argv)
    args.situations, args.cold, args.seconds = (500, 40, 0.2) if args.quick else (3000, 200, 1.0)
    report(args)


if __name__ == "__main__":
    sys.exit(main())
