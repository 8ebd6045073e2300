"""The after-action report and improvement plan of a scripted run: objectives rated by the
thresholds, strengths and areas for improvement with the law they rest on, no player's name
anywhere in it; its PDF (tagged PDF/UA-1, English and Spanish), its CSV and its plan hash."""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from eo152.exercises import report
from eo152.exercises.checking import PaperPlayer, run_on_paper
from eo152.exercises.scenario import library
from eo152.exercises.scoring import Answer
from eo152.rules import default_engine

NAMES = ("Ana Ruiz", "Bo Chen", "Cy Diaz")
NOTES = [{"inject": "force-used", "text": "Patrol waited for the sergeant before stepping in."}]
ACTIONS = [
    {
        "objective": "force",
        "action": "Add a neck-hold drill to in-service training.",
        "owner": "DPD Training Academy",
        "due": "2027-03-01",
    }
]


def scripted() -> tuple[Any, dict[str, Any]]:
    """The staging scenario on paper: patrol names most duties and settles an open question
    too soon; the sergeant skips an inject, says they must obstruct (an error) and names an
    open question; the firefighter gives aid. The scenario and its results with comments."""
    scenario = library()["staging-rec-center"]
    a = Answer.from_dict
    players = [
        PaperPlayer(
            NAMES[0],
            "patrol",
            {
                "vans-in-the-lot": a(
                    {
                        "picks": {
                            "police/record_body_camera": "required",
                            "police/de_escalate": "required",
                            "police/obstruct_lawful_enforcement": "prohibited",
                        },
                        "comment": "Hard to know who owns the lot.",
                    }
                ),
                "no-paper": a(
                    {
                        "picks": {
                            "police/record_body_camera": "required",
                            "police/protect_peaceful_protest": "required",
                        }
                    }
                ),
                "force-used": a(
                    {
                        "picks": {
                            "police/intervene": "required",
                            "police/render_aid": "required",
                            "police/detain_federal_agent": "required",
                        }
                    }
                ),
            },
        ),
        PaperPlayer(
            NAMES[1],
            "sergeant",
            {
                "vans-in-the-lot": a(
                    {
                        "picks": {
                            "police/record_body_camera": "required",
                            "police/obstruct_lawful_enforcement": "required",
                        }
                    }
                ),
                "force-used": a(
                    {
                        "picks": {"police/intervene": "required"},
                        "open_questions": ["federal-immunity-aid-blocked"],
                    }
                ),
            },
        ),
        PaperPlayer(
            NAMES[2],
            "firefighter",
            {
                "force-used": a(
                    {
                        "picks": {"first_responders/render_aid": "required"},
                        "comment": "We would wait until police say it is safe.",
                    }
                )
            },
        ),
    ]
    results = run_on_paper(scenario, default_engine(), players)
    results["comments"] = [
        {"inject": inject, "role": player.role, "comment": answer.comment}
        for player in players
        for inject, answer in player.answers.items()
        if answer.comment
    ]
    return scenario, results


def document(lang: str = "en") -> dict[str, Any]:
    scenario, results = scripted()
    return report.after_action(
        scenario, results, NOTES, ACTIONS, lang, day="2026-12-03", exercise="K7Q2MX"
    )


@pytest.mark.parametrize(
    ("points", "possible", "errors", "expected"),
    [
        (9, 10, 0, "P"),
        (10, 10, 1, "S"),  # an error keeps it from P
        (7, 10, 0, "S"),
        (69, 100, 0, "M"),
        (4, 10, 0, "M"),
        (39, 100, 0, "U"),
        (0, 3, 0, "U"),
        (0, 0, 0, None),  # nothing scored under the objective: not rated
    ],
)
def test_ratings_follow_the_thresholds(
    points: int, possible: int, errors: int, expected: str | None
) -> None:
    assert report.rating(points, possible, errors) == expected
    assert report.THRESHOLDS == {"P": 90, "S": 70, "M": 40}


def test_objectives_are_rated_from_the_points_on_their_provisions() -> None:
    doc = document()
    objectives = {o["id"]: o for o in doc["objectives"]}
    # Body cameras (P8): patrol named it at all three injects; the sergeant at the first only.
    assert objectives["cameras"] | {"text": None, "provisions": None} == {
        "id": "cameras",
        "text": None,
        "provisions": None,
        "points": 3,
        "possible": 6,
        "errors": 0,
        "rating": "M",
    }
    # Intervene (P7) and aid (P6): 3 of 4 by the police roles (the firefighter's duty
    # rests on another rule).
    assert (objectives["force"]["points"], objectives["force"]["possible"]) == (3, 4)
    assert objectives["force"]["rating"] == "S"
    # No role answers for the agents' staging itself: not rated rather than rated U.
    assert objectives["staging"]["possible"] == 0 and objectives["staging"]["rating"] is None
    for objective in doc["objectives"]:
        assert objective["rating"] == report.rating(
            objective["points"], objective["possible"], objective["errors"]
        )
        for provision in objective["provisions"]:
            assert provision["cites"] and provision["plain"]["es"]
    assert doc["thresholds"] == report.THRESHOLDS


def test_strengths_and_areas_for_improvement_carry_the_law() -> None:
    doc = document()
    strengths = [duty["duty"] for duty in doc["strengths"]]
    assert strengths == ["police/intervene", "first_responders/render_aid"]
    areas = {duty["duty"]: duty for duty in doc["areas"]}
    assert not set(strengths) & set(areas)
    # The error (a sergeant saying they must obstruct) comes first.
    assert doc["areas"][0]["duty"] == "police/obstruct_lawful_enforcement"
    assert doc["areas"][0]["errors"] == 1
    # An undecided duty nobody spotted, with what it turns on and its rule and cites.
    report_up = areas["police/report_intervention_to_supervisor"]
    assert report_up["nobody_spotted"] and report_up["outcome"] == "indeterminate"
    assert "crs-18-8-802-federal-agents" in report_up["turns_on"]
    (law,) = report_up["law"]
    assert law["rule"] == "colorado-crs-18-8-802/report-intervention" and law["cites"]
    # The sergeant named the open question detaining an agent turns on; patrol settled it.
    detain = areas["police/detain_federal_agent"]
    assert not detain["nobody_spotted"] and detain["settled_too_soon"] == 1
    assert detain["named"] == 1


def test_the_overview_names_roles_never_players() -> None:
    doc = document()
    assert doc["roles"] == [
        {"role": "patrol", "players": 1},
        {"role": "sergeant", "players": 1},
        {"role": "firefighter", "players": 1},
    ]
    assert [i["id"] for i in doc["injects"]] == ["vans-in-the-lot", "no-paper", "force-used"]
    text = json.dumps(doc, ensure_ascii=False)
    assert not any(name in text for name in NAMES)
    by_cell = {(c["inject"], c["role"]): c for c in doc["scores"]}
    assert by_cell[("vans-in-the-lot", "sergeant")] | {"players": 1} == {
        "inject": "vans-in-the-lot",
        "role": "sergeant",
        "players": 1,
        "points": 1,
        "possible": 3,
        "errors": 1,
    }
    assert (doc["points"], doc["possible"]) == (
        sum(c["points"] for c in doc["scores"]),
        sum(c["possible"] for c in doc["scores"]),
    )
    assert [c["comment"] for c in doc["comments"]] == [
        "Hard to know who owns the lot.",
        "We would wait until police say it is safe.",
    ]


def test_the_plan_hash_is_stable_and_the_same_in_both_languages() -> None:
    english, spanish = document("en"), document("es")
    assert report.plan_sha256(english) == report.plan_sha256(document("en"))
    assert report.plan_sha256(english) == report.plan_sha256(spanish)
    changed = {**english, "actions": [{**ACTIONS[0], "due": "2027-04-01"}]}
    assert report.plan_sha256(changed) != report.plan_sha256(english)
    assert re.fullmatch(r"[0-9a-f]{64}", report.plan_sha256(english))


@pytest.mark.parametrize(
    ("lang", "header"),
    [
        ("en", "Part,Inject,Role,Players,Points,Possible,Errors,Objective,Corrective action,Owner,Due"),
        ("es", "Parte,Inyección,Rol,Jugadores,Puntos,Posibles,Errores,Objetivo,Acción correctiva,Responsable,Fecha límite"),
    ],
)  # fmt: skip
def test_the_csv_has_a_row_per_inject_and_role_then_the_actions(lang: str, header: str) -> None:
    doc = document(lang)
    text = report.report_csv(doc)
    assert text.splitlines()[0] == header
    rows = list(csv.reader(io.StringIO(text)))[1:]
    scores, actions = rows[: len(doc["scores"])], rows[len(doc["scores"]) :]
    assert [(r[1], r[2]) for r in scores] == [(c["inject"], c["role"]) for c in doc["scores"]]
    assert ["vans-in-the-lot", "sergeant", "1", "1", "3", "1"] in [r[1:7] for r in scores]
    assert [r[7:] for r in actions] == [
        ["force", ACTIONS[0]["action"], "DPD Training Academy", "2027-03-01"]
    ]
    assert all(len(r) == len(header.split(",")) for r in rows)
    assert not any(name in text for name in NAMES)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


PARTS = {
    "en": (
        "Exercise overview",
        "Objectives and ratings",
        "Strengths",
        "Areas for improvement",
        "Scores by inject and role",
        "Evaluator notes",
        "Participants' comments",
        "Improvement plan",
        "Check this report",
    ),
    "es": (
        "Resumen del ejercicio",
        "Objetivos y calificaciones",
        "Fortalezas",
        "Áreas de mejora",
        "Puntos por inyección y rol",
        "Notas de los evaluadores",
        "Comentarios de los participantes",
        "Plan de mejora",
        "Comprobar este informe",
    ),
}
TITLES = {
    "en": "After-action report and improvement plan: Staging at a recreation center",
    "es": "Informe posterior y plan de mejora: Zona de concentración en un centro recreativo",
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pdf_reads_in_order_in_its_language(lang: str) -> None:
    doc = document(lang)
    pdf = report.report_pdf(doc)
    assert report.report_pdf(doc) == pdf, "the same document prints the same file"
    text = text_of(pdf)
    answer = {
        "en": "Players scored 12 of 33 points.",
        "es": "Los jugadores sumaron 12 de 33 puntos.",
    }[lang]
    starts = [flat(text).index(flat(part)) for part in (answer, *PARTS[lang])]
    assert starts == sorted(starts), "the answer first, then the parts in HSEEP's order"
    assert {"en": "3 Dec 2026", "es": "3 dic 2026"}[lang] in text
    assert {"en": "Sergeant (1)", "es": "Sargento (1)"}[lang] in text
    assert report.plan_sha256(doc) in flat(text)
    assert flat("colorado-crs-18-8-802/report-intervention") in flat(text)
    assert flat("DPD Training Academy") in flat(text) and "K7Q2MX" in text
    assert not any(name in text for name in NAMES)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and root["/StructTreeRoot"]["/K"]
    assert root["/Lang"] == lang
    info = reader.metadata
    assert info is not None and info.title == TITLES[lang]
    assert info.author == "City and County of Denver"
    assert 'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data().decode()


def structure(reader: PdfReader) -> list[tuple[str, DictionaryObject]]:
    found: list[tuple[str, DictionaryObject]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), node))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_headings_go_in_order_and_table_headers_are_scoped() -> None:
    elements = structure(PdfReader(io.BytesIO(report.report_pdf(document("es")))))
    levels = [int(kind[2]) for kind, _ in elements if re.fullmatch(r"/H[1-6]", kind)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), "no level skipped"
    headers = [element for kind, element in elements if kind == "/TH"]
    assert headers and all(h["/A"]["/Scope"] in ("/Row", "/Column") for h in headers)
    english = [element for _, element in elements if element.get("/Lang") == "en"]
    assert english, "rule ids and inject ids are marked English in the Spanish report"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_pdf_passes_the_pdf_ua_checker(lang: str, tmp_path: Path) -> None:
    pdfua = pytest.importorskip("pdfua", reason="the PDF/UA-1 checker (dev dependency pdfua)")
    path = tmp_path / "report.pdf"
    path.write_bytes(report.report_pdf(document(lang)))
    assert [(f.rule_id, f.message) for f in pdfua.validate(str(path)).findings] == []


def test_a_report_with_no_notes_comments_or_actions_says_so() -> None:
    scenario, results = scripted()
    results["comments"] = []
    doc = report.after_action(scenario, results, [], [], "en")
    text = text_of(report.report_pdf(doc))
    for words in (
        "No evaluator notes.",
        "No participant left a comment.",
        "No corrective action has been set yet.",
        "Not given",
    ):
        assert words in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_hot_wash_says_each_roles_score_first(lang: str) -> None:
    scenario, results = scripted()
    washed = report.hot_wash(scenario, results, lang)
    patrol = {
        "en": "Patrol officer named 7 of 16 duties; the most missed: ",
        "es": "Agente de patrulla: nombró 7 de 16 deberes; los que más pasó por alto: ",
    }[lang]
    assert washed["headlines"][0].startswith(patrol)
    assert washed["headlines"][1].endswith(
        {"en": "Answers that would break the law: 1.", "es": "Respuestas que violarían la ley: 1."}[
            lang
        ]
    )
    assert (
        washed["headlines"][2]
        == {
            "en": "Firefighter or paramedic named every duty: 1 of 1.",
            "es": "Bombero o paramédico: nombró todos los deberes: 1 de 1.",
        }[lang]
    )
    assert len(washed["missed"]) == 5
    assert [(i["id"], len(i["cells"])) for i in washed["injects"]] == [
        ("vans-in-the-lot", 2),
        ("no-paper", 2),
        ("force-used", 3),
    ]
    assert not any(name in json.dumps(washed) for name in NAMES)
