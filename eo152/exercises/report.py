"""The hot wash and the after-action report and improvement plan (HSEEP's AAR/IP shape).

``after_action`` turns an exercise's results (``checking.run_on_paper``'s shape, or the
running exercise's ``services.results``) into a document: the exercise overview (roles taking
part, never players' names), the objectives each with its provisions and a rating, strengths,
areas for improvement each with the law it rests on, scores by inject and role, evaluator
notes, participants' comments, and the corrective actions. The document holds no words of
one language: titles, objectives and the law's plain words are kept in English and Spanish,
and ``lang`` says which to print. So the English and the Spanish report share one
``plan_sha256``, the hash the ledger's ``exercise.recorded`` entry holds.

Ratings (HSEEP's P/S/M/U), from the points on the duties whose rules are the objective's
provisions, over every answer that faced them (``share`` = points / possible, in whole
percent, rounded down):

- **P**, performed without challenges: ``share >= 90`` and no error;
- **S**, performed with some challenges: ``share >= 70`` (or 90 and more with an error);
- **M**, performed with major challenges: ``share >= 40``;
- **U**, unable to be performed: ``share < 40``.

An error is an answer that would break the law or refuse what it requires (``scoring``). An
objective whose provisions no scored duty rests on is not rated (``rating`` None). A duty is
a strength when named in at least 75% of the answers that faced it with no error; every
other duty is an area for improvement.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

from ..contract.vocabulary import label
from ..referrals.pdf import day as day_words
from ..referrals.pdf import tag_cells
from ..rules import default_engine
from ..services.records import fingerprint
from ..web.texts import TEXTS
from .roles import ROLE
from .scenario import Scenario

#: The least share of points (whole percent) for each rating above U.
THRESHOLDS = {"P": 90, "S": 70, "M": 40}
#: The least share of answers naming a duty for it to count as a strength.
STRENGTH = 75
#: Statuses that earn the point (``scoring.Status``).
EARNED = ("named", "spotted")
TEMPLATE = "exercises/report_pdf.html"
AUTHOR = "City and County of Denver"


def rating(points: int, possible: int, errors: int) -> str | None:
    """P, S, M or U by the thresholds above; None when nothing was possible."""
    if not possible:
        return None
    share = points * 100 // possible
    if share >= THRESHOLDS["P"] and not errors:
        return "P"
    for mark in ("S", "M"):
        if share >= THRESHOLDS[mark]:
            return mark
    return "U"


@dataclass
class _Tally:
    """One duty over every answer that faced it."""

    outcome: str = ""
    rules: tuple[str, ...] = ()
    turns_on: tuple[str, ...] = ()
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def faced(self) -> int:
        return sum(self.statuses.values())

    @property
    def named(self) -> int:
        return sum(self.statuses[status] for status in EARNED)

    @property
    def strength(self) -> bool:
        return not self.statuses["error"] and self.named * 100 >= STRENGTH * self.faced


def _tallies(rows: Iterable[Mapping[str, Any]]) -> dict[str, _Tally]:
    tallies: dict[str, _Tally] = {}
    for row in rows:
        for duty in row["duties"]:
            tally = tallies.setdefault(duty["duty"], _Tally())
            tally.outcome = duty["outcome"]
            tally.rules = tuple(dict.fromkeys((*tally.rules, *duty["rules"])))
            tally.turns_on = tuple(dict.fromkeys((*tally.turns_on, *duty["turns_on"])))
            tally.statuses[duty["status"]] += 1
    return tallies


def _law(rule_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Each rule with its cites and plain words in both languages (the engine's)."""
    rules = {rule.id: rule for rule in default_engine().policy.rules}
    return [
        {
            "rule": rule_id,
            "cites": list(rules[rule_id].cites) if rule_id in rules else [],
            "plain": rules[rule_id].plain.to_dict() if rule_id in rules else {},
        }
        for rule_id in rule_ids
    ]


def _duty(key: str, tally: _Tally) -> dict[str, Any]:
    return {
        "duty": key,
        "outcome": tally.outcome,
        "faced": tally.faced,
        "named": tally.named,
        "missed": tally.statuses["missed"],
        "errors": tally.statuses["error"],
        "settled_too_soon": tally.statuses["settled_too_soon"],
        "nobody_spotted": tally.outcome == "indeterminate" and not tally.named,
        "turns_on": list(tally.turns_on),
        "law": _law(tally.rules),
    }


def _by_inject_and_role(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Points summed over the players of each role at each inject, in the order played."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for row in results["scores"]:
        cell = cells.setdefault(
            (row["inject"], row["role"]),
            {"inject": row["inject"], "role": row["role"], "players": 0}
            | dict.fromkeys(("points", "possible", "errors"), 0),
        )
        cell["players"] += 1
        for name in ("points", "possible", "errors"):
            cell[name] += row[name]
    order = {inject: index for index, inject in enumerate(results["injects"])}
    roles = list(ROLE)
    return sorted(cells.values(), key=lambda c: (order[c["inject"]], roles.index(c["role"])))


def _by_role(cells: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for cell in cells:
        total = totals.setdefault(cell["role"], dict.fromkeys(("points", "possible", "errors"), 0))
        for name in total:
            total[name] += cell[name]
    return totals


def _players_by_role(results: Mapping[str, Any]) -> dict[str, int]:
    """How many players took each role: each player has a row at every inject played that
    went to their role, so the most rows of one role at one inject is that role's count."""
    most: Counter[str] = Counter()
    for cell in _by_inject_and_role(results):
        most[cell["role"]] = max(most[cell["role"]], cell["players"])
    return {role: most[role] for role in ROLE if most[role]}


def after_action(
    scenario: Scenario,
    results: Mapping[str, Any],
    notes: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any]],
    lang: str,
    *,
    day: date | str = "",
    exercise: str = "",
    readings: str = "",
) -> dict[str, Any]:
    """The after-action report and improvement plan of one exercise.

    ``results``: ``{"injects", "scores", "comments"?}`` (``run_on_paper`` or
    ``services.results``); ``notes``: ``{"inject", "text"}`` (inject "" for the whole
    exercise); ``actions``: ``{"objective", "action", "owner", "due"}``. ``day``, the
    exercise's code and its readings file are printed in the overview."""
    rows = results["scores"]
    tallies = _tallies(rows)
    cells = _by_inject_and_role(results)
    objectives = []
    for objective in scenario.objectives:
        provisions = set(objective.provisions)
        earned = possible = errors = 0
        for row in rows:
            for duty in row["duties"]:
                if provisions & set(duty["rules"]):
                    possible += 1
                    earned += duty["status"] in EARNED
                    errors += duty["status"] == "error"
        objectives.append(
            {
                "id": objective.id,
                "text": dict(objective.text),
                "provisions": _law(objective.provisions),
                "points": earned,
                "possible": possible,
                "errors": errors,
                "rating": rating(earned, possible, errors),
            }
        )
    ranked = sorted(tallies.items(), key=lambda item: (-item[1].named, item[0]))
    areas = sorted(
        ((key, tally) for key, tally in tallies.items() if not tally.strength),
        key=lambda item: (
            -item[1].statuses["error"],
            -(item[1].faced - item[1].named),
            item[1].named,
            item[0],
        ),
    )
    return {
        "lang": lang,
        "exercise": exercise,
        "scenario": {
            "id": scenario.id,
            "title": dict(scenario.title),
            "summary": dict(scenario.summary),
        },
        "day": day.isoformat() if isinstance(day, date) else str(day),
        "readings": readings,
        "roles": [
            {"role": role, "players": players}
            for role, players in _players_by_role(results).items()
        ],
        "injects": [
            {"id": inject_id, "at": scenario.inject(inject_id).at}
            for inject_id in results["injects"]
        ],
        "thresholds": dict(THRESHOLDS),
        "strength_share": STRENGTH,
        "points": sum(row["points"] for row in rows),
        "possible": sum(row["possible"] for row in rows),
        "objectives": objectives,
        "strengths": [_duty(key, tally) for key, tally in ranked if tally.strength],
        "areas": [_duty(key, tally) for key, tally in areas],
        "scores": cells,
        "totals": [{"role": role, **total} for role, total in _by_role(cells).items()],
        "notes": [
            {"inject": str(note.get("inject") or ""), "text": str(note["text"])} for note in notes
        ],
        "comments": [
            {"inject": c["inject"], "role": c["role"], "comment": c["comment"]}
            for c in results.get("comments", ())
            if str(c.get("comment") or "").strip()
        ],
        "actions": [
            {
                "objective": str(action["objective"]),
                "action": str(action["action"]),
                "owner": str(action["owner"]),
                "due": _iso(action["due"]),
            }
            for action in actions
        ],
    }


def _iso(day: date | str) -> str:
    return day.isoformat() if isinstance(day, date) else str(day)


def plan_sha256(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document as RFC 8785 canonical JSON, without the language it is
    printed in: the English and the Spanish report are one plan."""
    return fingerprint({key: value for key, value in document.items() if key != "lang"})


# -- words ---------------------------------------------------------------------------------


def _long_date(day: str, lang: str) -> str:
    """ "3 Dec 2026", as the referral packet gives a day."""
    return day_words(day, lang) if day else str(TEXTS[lang]["report_no_day"])


def _turns_on_words(items: Iterable[str], lang: str) -> list[str]:
    questions = default_engine().policy.questions
    return [
        questions[item].question[lang] if item in questions else label(item, lang) for item in items
    ]


def _role(role: str, lang: str) -> str:
    return ROLE[role].words[lang] if role in ROLE else role


def duty_words(key: str, outcome: str, lang: str) -> str:
    """ "obstruct lawful federal enforcement (must not)": the action, then what the law says
    (a player's duty is required, prohibited or not settled: permitted ones are not scored)."""
    return f"{label(key, lang)} ({TEXTS[lang][f'report_outcome_{outcome}']})"


def _duty_words(duty: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A duty of the document as the report prints it: its words, what happened, its law."""
    texts = TEXTS[lang]
    happened = []
    if duty["missed"]:
        happened.append(texts["report_missed_n"].format(count=duty["missed"], faced=duty["faced"]))
    if duty["errors"]:
        happened.append(texts["report_errors_n"].format(count=duty["errors"]))
    if duty["settled_too_soon"]:
        happened.append(texts["report_settled_n"].format(count=duty["settled_too_soon"]))
    if duty["nobody_spotted"]:
        happened.append(texts["report_nobody_spotted"])
    return {
        "key": duty["duty"],
        "words": duty_words(duty["duty"], duty["outcome"], lang),
        # Two actors can share an action's words (police and first responders give aid).
        "actor": label(duty["duty"].split("/")[0], lang),
        "named": texts["report_named_count"].format(named=duty["named"], faced=duty["faced"]),
        "happened": happened,
        "turns_on": _turns_on_words(duty["turns_on"], lang),
        "law": [
            {"rule": law["rule"], "cites": law["cites"], "plain": law["plain"].get(lang, "")}
            for law in duty["law"]
        ],
    }


def _score_rows(cells: Iterable[Mapping[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [{**cell, "role_words": _role(cell["role"], lang)} for cell in cells]


def context(document: Mapping[str, Any]) -> dict[str, Any]:
    """What the report's template prints, every word in ``document["lang"]``."""
    lang = document["lang"]
    texts = TEXTS[lang]
    title = document["scenario"]["title"][lang]
    rated = Counter(o["rating"] for o in document["objectives"])
    ratings = [
        texts["report_rating_count"].format(
            count=rated[mark], mark=mark, name=texts[f"report_rating_name_{mark}"]
        )
        for mark in "PSMU"
        if rated[mark]
    ]
    if rated[None]:
        ratings.append(texts["report_not_rated"].format(count=rated[None]))
    objectives_by_id = {o["id"]: o["text"][lang] for o in document["objectives"]}
    return {
        "lang": lang,
        "t": texts,
        "title": texts["report_title"].format(title=title),
        "author": AUTHOR,
        "scenario_title": title,
        "summary": document["scenario"]["summary"][lang],
        "answer": texts["report_answer"].format(
            points=document["points"], possible=document["possible"], ratings=", ".join(ratings)
        ),
        "exercise": document["exercise"],
        "day": _long_date(document["day"], lang),
        "readings": document["readings"] or texts["report_readings_none"],
        "roles": ", ".join(
            texts["report_role_count"].format(role=_role(r["role"], lang), players=r["players"])
            for r in document["roles"]
        ),
        "injects": ", ".join(f"{i['at']} {i['id']}" for i in document["injects"]),
        "rating_key": [
            f"{mark}, {texts[f'report_rating_name_{mark}']}. "
            + texts[f"report_rating_{mark}"].format(**document["thresholds"])
            for mark in "PSMU"
        ],
        "objectives": [
            {
                "text": objective["text"][lang],
                "provisions": [
                    ", ".join([law["rule"], *law["cites"]]) for law in objective["provisions"]
                ],
                "points": objective["points"],
                "possible": objective["possible"],
                "rating": objective["rating"],
                "rating_name": texts[f"report_rating_name_{objective['rating']}"]
                if objective["rating"]
                else "",
            }
            for objective in document["objectives"]
        ],
        "strengths_intro": texts["report_strengths_intro"].format(share=document["strength_share"]),
        "strengths": [_duty_words(duty, lang) for duty in document["strengths"]],
        "areas": [_duty_words(duty, lang) for duty in document["areas"]],
        "scores": _score_rows(document["scores"], lang),
        "totals": _score_rows(document["totals"], lang),
        "notes": document["notes"],
        "comments": [
            {**comment, "role_words": _role(comment["role"], lang)}
            for comment in document["comments"]
        ],
        "actions": [
            {
                **action,
                "objective_words": objectives_by_id.get(action["objective"], action["objective"]),
                "due_words": _long_date(action["due"], lang),
            }
            for action in document["actions"]
        ],
        "plan_sha256": plan_sha256(document),
    }


def report_pdf(document: Mapping[str, Any]) -> bytes:
    """The report as a tagged PDF/UA-1 file in ``document["lang"]`` (WeasyPrint, DejaVu)."""
    printed = context(document)
    html = render_to_string(TEMPLATE, printed)
    pdf: bytes = HTML(string=html).write_pdf(
        pdf_variant="pdf/ua-1",
        finisher=tag_cells,
        # The same plan in the same language gives the same file identifier.
        pdf_identifier=fingerprint([printed["plan_sha256"], document["lang"]])[:32].encode("ascii"),
    )
    return pdf


CSV_COLUMNS = (
    "report_csv_part",
    "report_inject",
    "report_role",
    "report_players",
    "report_points",
    "report_possible",
    "report_errors",
    "report_objective",
    "report_action",
    "report_owner",
    "report_due",
)


def report_csv(document: Mapping[str, Any]) -> str:
    """One row per inject and role (points, possible, errors), then one per corrective
    action; headers in ``document["lang"]``, values as ids and ISO dates for machines."""
    texts = TEXTS[document["lang"]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([texts[column] for column in CSV_COLUMNS])
    for cell in document["scores"]:
        scores = [
            cell[name] for name in ("inject", "role", "players", "points", "possible", "errors")
        ]
        writer.writerow([texts["report_csv_score"], *scores, "", "", "", ""])
    for action in document["actions"]:
        plan = [action[name] for name in ("objective", "action", "owner", "due")]
        writer.writerow([texts["report_csv_action"], "", "", "", "", "", "", *plan])
    return out.getvalue()


# -- the hot wash ------------------------------------------------------------------------


def hot_wash(scenario: Scenario, results: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The hot-wash page's context (``exercises/hotwash.html``): each role's score in one
    sentence first, then each inject's scores by role, the duties most missed and what
    players said."""
    texts = TEXTS[lang]
    cells = _by_inject_and_role(results)
    headlines = []
    for role, total in _by_role(cells).items():
        rows = [row for row in results["scores"] if row["role"] == role]
        missed = [
            duty_words(key, tally.outcome, lang)
            for key, tally in sorted(
                _tallies(rows).items(), key=lambda item: (item[1].named - item[1].faced, item[0])
            )
            if tally.named < tally.faced
        ][:2]
        words, points, possible = _role(role, lang), total["points"], total["possible"]
        if not possible:
            line = texts["hotwash_role_none"].format(role=words)
        elif missed:
            line = texts["hotwash_role_named"].format(
                role=words, points=points, possible=possible, missed=", ".join(missed)
            )
        else:
            line = texts["hotwash_role_all"].format(role=words, possible=possible)
        if total["errors"]:
            line += " " + texts["hotwash_role_errors"].format(errors=total["errors"])
        headlines.append(line)
    tallies = _tallies(results["scores"])
    most_missed = sorted(
        (item for item in tallies.items() if item[1].named < item[1].faced),
        key=lambda item: (item[1].named - item[1].faced, item[0]),
    )[:5]
    return {
        "title": texts["hotwash_title"].format(title=scenario.title[lang]),
        "headlines": headlines,
        # One small table per inject: three columns fit a phone's screen.
        "injects": [
            {
                "id": inject_id,
                "at": scenario.inject(inject_id).at,
                "cells": _score_rows((c for c in cells if c["inject"] == inject_id), lang),
            }
            for inject_id in results["injects"]
        ],
        "missed": [
            {
                "words": duty_words(key, tally.outcome, lang),
                "count": texts["hotwash_missed_count"].format(
                    missed=tally.faced - tally.named, faced=tally.faced
                ),
            }
            for key, tally in most_missed
        ],
        "comments": [
            {**comment, "role_words": _role(comment["role"], lang)}
            for comment in results.get("comments", ())
            if str(comment.get("comment") or "").strip()
        ],
    }
