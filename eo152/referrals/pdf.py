"""The referral packet's PDF: the packet's document (``services.packet_document``) printed
in the referral's language, as a tagged PDF/UA-1 file with WeasyPrint.

The words of the findings are the answer page's (``web.presenting.present``), so the PDF
says what the web says; the layout is this module's template and stylesheet, read from
disk (WeasyPrint gets no network and no static server). Fonts are DejaVu, from Debian's
``fonts-dejavu-core``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pydyf  # WeasyPrint's PDF objects (untyped: see the mypy overrides)
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from ..contract.vocabulary import label
from ..rules import Decision
from ..services.decisions import engine_for
from ..web.presenting import DutyView, moment, present
from ..web.texts import TEXTS

STYLESHEET = Path(__file__).parent / "static" / "referrals" / "packet.css"
TEMPLATE = "referrals/packet_pdf.html"
AUTHOR = "City and County of Denver"


def render_pdf(document: dict[str, Any]) -> bytes:
    """The packet's PDF, in ``document["referral"]["language"]`` ("en" or "es")."""
    html = render_to_string(TEMPLATE, context(document))
    pdf: bytes = HTML(string=html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
        finisher=tag_cells,
        # The same document gives the same file identifier: a packet made twice differs
        # only in its dates of making, not in a random number.
        pdf_identifier=document["snapshot_sha256"][:32].encode("ascii"),
    )
    return pdf


def tag_cells(rendered: Any, pdf: Any) -> None:
    """Finish the tags of table cells from the HTML: a header cell's /Scope (its ``scope``
    attribute; WeasyPrint ties data cells to headers by /Headers only, and checkers look
    for either), and a cell's /Lang where it is in another language than the document
    (citations and the statute's sources are English in a Spanish referral).

    WeasyPrint keeps each cell's structure element on the cell's box (``box.mark``); other
    elements it does not keep, so a passage in another language is put in a cell."""
    lang = rendered.metadata.lang
    for page in rendered.pages:
        for box in _boxes(page._page_box):
            mark = getattr(box, "mark", None)
            if mark is None or box.element_tag not in ("th", "td"):
                continue
            if box.element_tag == "th":
                scope = "/Row" if box.element.get("scope") == "row" else "/Column"
                mark["A"]["Scope"] = scope
            if box.style["lang"] and box.style["lang"] != lang:
                mark["Lang"] = pydyf.String(box.style["lang"])


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def context(document: dict[str, Any]) -> dict[str, Any]:
    """What the template prints, every word already in the referral's language."""
    snapshot = document["referral"]
    lang = snapshot["language"]
    texts = TEXTS[lang]
    office = texts[f"packet_office_{snapshot['office']['code']}"]
    incident = snapshot["incident"]
    offense = snapshot["offense"]
    findings = snapshot["findings"]
    decision = Decision.from_dict(findings, incident["situation"])
    answer = present(decision, lang, engine_for(settings.EO152_READINGS).policy)
    raw = {(d["actor"], d["action"]): d for d in findings["duties"]}
    # Broken rules first, then the rest in the answer page's order.
    duties = sorted(answer.explained, key=lambda d: d.violation is not True)
    return {
        "lang": lang,
        "other_lang": "en" if lang != "en" else "",
        "t": texts,
        "title": texts["packet_title"].format(reference=document["reference"], office=office),
        "subject": texts["packet_subject"],
        "keywords": texts["packet_keywords"],
        "author": AUTHOR,
        "reference": document["reference"],
        "office": office,
        "offense": {
            "label": offense["label"].get(lang) or offense["label"]["en"],
            "crs": offense["crs"],
            "nibrs": offense["nibrs"],
            "note": offense.get("note") or "",
        },
        "offense_sources": list(snapshot["offense_sources"].values()),
        "steps": _steps(document, lang),
        "snapshot_sha256": document["snapshot_sha256"],
        "decided_by": texts["packet_decided_by"].format(
            engine=answer.engine, at=answer.as_of_shown
        ),
        "summary": texts["packet_summary"].format(
            broken=sum(d.violation is True for d in duties),
            decided=sum(d.outcome != "indeterminate" for d in duties),
            undecided=sum(d.outcome == "indeterminate" for d in duties),
        ),
        "duties": [_duty(view, raw.get((view.actor, view.action), {}), lang) for view in duties],
        "incident": {
            "reference": incident["reference"],
            "filed": texts["packet_filed"]
            + ": "
            + day(incident["filed_on"], lang)
            + " · "
            + texts.get(f"packet_source_{incident['source']}", incident["source"]),
            "when": moment(incident["occurred_at"], lang)
            if incident["occurred_at"]
            else texts["packet_when_unknown"],
            "where": answer.place,
            "told": [(link.text, link.note) for link in answer.told],
            "narrative": incident["narrative"],
            "personnel": [
                {
                    "agency": label(f"agents.agencies={p['agency']}", lang) if p["agency"] else "",
                    "unit": p["unit"],
                    "badge": p["badge"],
                    "plate": " ".join(x for x in (p["plate"], p["plate_state"]) if x),
                    "description": p["description"],
                }
                for p in incident["personnel"]
            ],
            "body_camera": texts[f"packet_camera_{incident['body_camera'] or 'not_said'}"],
            "clips": incident["body_camera_clips"],
        },
        "investigation": _investigation(snapshot["investigation"], lang),
        "evidence": [
            {
                "label": item["label"],
                "type": item["media_type"],
                "size": texts["packet_bytes"].format(size=f"{item['size']:,}"),
                "added": day(item["added_on"], lang),
                "sha256": item["sha256"],
                "halves": (item["sha256"][:32], item["sha256"][32:]),
            }
            for item in snapshot["evidence"]
        ],
        "withheld": texts["packet_withheld"].format(count=snapshot["withheld"])
        if snapshot["withheld"]
        else "",
        "activity": [
            {
                "index": entry["leaf_index"],
                "kind": texts.get(f"packet_kind_{entry['kind'].replace('.', '_')}", entry["kind"]),
                "who": entry.get("actor") or "",
                "at": moment(entry["at"], lang) if entry.get("at") else "",
            }
            for entry in document["activity"]
        ],
        "check": texts["packet_check_how"].split("{command}"),
        "verify_command": texts["packet_verify_command"],
    }


def _steps(document: dict[str, Any], lang: str) -> list[str]:
    """Made, signed off and sent: by which account, when."""
    texts = TEXTS[lang]
    steps = [texts["packet_made"].format(**_who_when(document["made"], lang))]
    for key in ("signed_off", "sent"):
        step = document.get(key)
        steps.append(
            texts[f"packet_{key}"].format(**_who_when(step, lang))
            if step
            else texts[f"packet_not_{key}"]
        )
    return steps


def day(text: str, lang: str) -> str:
    """ "16 Dec 2026": a date without a time, in the referral's language."""
    on = date.fromisoformat(text[:10])
    texts = TEXTS[lang]
    month = texts["decision_months"].split()[on.month - 1]
    return texts["packet_day"].format(day=on.day, month=month, year=on.year)


def _who_when(step: dict[str, Any], lang: str) -> dict[str, str]:
    return {"by": step["by"], "at": moment(step["at"], lang)}


def _duty(view: DutyView, raw: dict[str, Any], lang: str) -> dict[str, Any]:
    undecided = view.outcome == "indeterminate"
    return {
        "title": view.title,
        "broken": view.violation is True,
        "outcome": view.outcome,
        "outcome_label": view.outcome_label,
        "plain": "" if undecided else view.plain,
        # A reason in the rules' own form is English: kept apart, marked as English.
        "because": [reason.text for reason in view.because if reason.plain or lang == "en"],
        "because_rules": [r.text for r in view.because if not r.plain and lang != "en"],
        "cites": list(view.cites),
        "open_questions": list(view.open_questions) if undecided else [],
        "missing_facts": [label(fact, lang) for fact in raw.get("missing_facts", [])]
        if undecided
        else [],
        "if_lines": list(view.if_lines) if undecided else [],
    }


def _investigation(case: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    if case is None:
        return None
    texts = TEXTS[lang]
    return {
        "opened": texts["packet_opened"].format(
            at=moment(case["opened_at"], lang), due=day(case["due_on"], lang)
        ),
        "tasks": [
            {
                "kind": texts.get(f"packet_task_{task['kind']}", task["kind"]),
                "done": moment(task["done_at"], lang) if task["done_at"] else "",
                "note": task["note"],
            }
            for task in case["tasks"]
        ],
        "timeline": [
            {"at": moment(event["happened_at"], lang), "what": event["what"]}
            for event in case["timeline"]
        ],
    }
