"""The Spanish of the policy and of the pages follows the reviewed glossary (docs/glossary.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from eo152.rules import DEFAULT_POLICY_DIR, PolicyError
from eo152.rules.glossary import GLOSSARY, TEXTS, VOCABULARY, check_glossary, load_glossary, uses

DOC = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DEFAULT_POLICY_DIR, target)
    return target


def first_plain_spanish_line(path: Path) -> int:
    """The first unquoted ``es:`` sentence of a file (an edit there keeps the YAML valid)."""
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if re.match(r"^\s+es: [A-ZÁÉÍÓÚ¿]", line))


def put_in_line(path: Path, number: int, words: str) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    lines[number - 1] = lines[number - 1].replace("es: ", f"es: {words} ", 1)
    path.write_text("".join(lines), "utf-8")


def test_the_shipped_policy_vocabulary_and_pages_follow_the_glossary() -> None:
    assert check_glossary() == []


def test_a_city_attorney_called_fiscalia_is_named_with_its_file_and_line(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    line = first_plain_spanish_line(rules)
    put_in_line(rules, line, "Informe a la Fiscalía de la Ciudad.")
    found = [f"{where}: {what}" for where, what in check_glossary(policy_dir)]
    assert found == [
        f"policies/denver-eo-152/rules.yaml:{line}: Spanish text uses 'Fiscalía de la Ciudad' "
        "(a prosecutor's office); use 'la Oficina del Abogado de la Ciudad' "
        "(glossary: City Attorney)"
    ]


def test_an_open_questions_answer_is_checked_too(policy_dir: Path) -> None:
    questions = policy_dir / "us-federal-limits" / "questions.yaml"
    text = questions.read_text("utf-8")
    assert "¿Pueden los agentes de Denver detenerlo, citarlo o arrestarlo?" in text
    questions.write_text(text.replace("citarlo o arrestarlo?", "multarlo o arrestarlo?", 1))
    (found,) = check_glossary(policy_dir)
    where, what = found
    assert where.file == "policies/us-federal-limits/questions.yaml"
    assert "¿Pueden los agentes" in questions.read_text("utf-8").splitlines()[where.line - 1]
    assert what == "Spanish text uses 'multar' (to fine); use 'citar' (glossary: cite)"


def test_the_vocabulary_and_the_pages_are_checked(tmp_path: Path) -> None:
    vocabulary, texts = tmp_path / "vocabulary.yaml", tmp_path / "texts.yaml"
    shutil.copy(VOCABULARY, vocabulary)
    shutil.copy(TEXTS, texts)
    text = vocabulary.read_text("utf-8")
    assert 'es: "intervenir para frenar la fuerza"' in text
    vocabulary.write_text(text.replace("para frenar la fuerza", "para detener la fuerza"))
    texts.write_text(
        texts.read_text("utf-8") + 'extra: {en: "Refer the felony", es: "Refiera la felonía"}\n'
    )
    found = [f"{w}: {p}" for w, p in check_glossary(DEFAULT_POLICY_DIR, (vocabulary, texts))]
    last = len(texts.read_text("utf-8").splitlines())
    assert [p.split(": Spanish")[0] for p in found] == [
        f"{vocabulary}:{line_with(vocabulary, 'para detener la fuerza')}",
        f"{texts}:{last}",
        f"{texts}:{last}",
    ]
    assert "'detener la fuerza'" in found[0] and "use 'frenar la fuerza'" in found[0]
    assert "'felonía' (treachery (a false friend))" in found[1]
    assert "'referir' (to tell or to relate); use 'remitir'" in found[2]


def line_with(path: Path, needle: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    "wrong",
    [
        "Informe a la Fiscalía de la Ciudad.",
        "Puede ser multado conforme a la ley estatal.",
        "No multe a los agentes.",
        "Intervenga para detener la fuerza.",
        "Intervenga ya para detener una fuerza peligrosa.",
        "Sin una orden judicial, no pueden entrar.",
        "Con una orden de arresto pueden entrar.",
        "Sin una orden de un juez, no pueden entrar.",
        "Es una orden de detención de ICE.",
        "Una orden firmada por un juez",
        "La orden administrativa de ICE no basta: pida la orden del juez.",
        "Hay una orden de un tribunal. Esta ley no prohíbe el uso que esa orden exige.",
        "La Ciudad no procesa delitos graves.",
        "Los oficiales federales no pueden entrar.",
        "Aún sin decidir.",
    ],
)
def test_each_word_the_review_found_is_caught(wrong: str) -> None:
    assert uses(wrong, load_glossary())


@pytest.mark.parametrize(
    "right",
    [
        "No detenga a agentes federales que cumplen sus funciones.",
        "detener a alguien",
        "Intervenga para frenar la fuerza.",
        "una multa",
        "controlar a una multitud",
        "codificadas como reglas con citas",
        "Sin una orden judicial de arresto o registro firmada por un juez ni consentimiento.",
        "con la orden judicial de arresto o registro",
        "una orden de un juez de inmigración",
        "una orden de un tribunal",
        "La Orden 152 no lo permite sin una orden de un tribunal.",
        "Una orden administrativa de ICE (I-205) no la firma un juez.",
        "No son agentes del orden de Colorado, según un juez.",
        "La orden no dice nada sobre esto.",
        "una citación emitida por un tribunal o una citación administrativa",
        "Remita el caso; la pregunta se refiere a la Orden 152.",
        "procesar a personas detenidas en un lugar de procesamiento",
        "no se puede decidir todavía",
    ],
)
def test_the_same_words_in_their_right_sense_pass(right: str) -> None:
    assert uses(right, load_glossary()) == []


def test_every_avoided_word_is_caught_by_its_own_pattern() -> None:
    for entry in load_glossary():
        for avoid in entry.avoid:
            assert avoid.pattern.search(avoid.term), f"{entry.en}: {avoid.term}"
            assert uses(entry.es, [entry]) == [], f"{entry.en}: the term to use is avoided"


def test_a_broken_pattern_is_named_with_its_line(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text(
        "entries:\n"
        "  - en: cite\n"
        "    es: citar\n"
        "    avoid:\n"
        "      - term: multar\n"
        "        means: to fine\n"
        "        pattern: 'mult(ar'\n"
    )
    with pytest.raises(PolicyError) as caught:
        load_glossary(glossary)
    ((where, what),) = caught.value.problems
    assert where.line == 5
    assert what.startswith("cite: pattern for 'multar':")
    assert check_glossary(glossary=glossary) == caught.value.problems


def test_the_glossary_document_names_every_entry_and_every_avoided_word() -> None:
    doc = DOC.read_text("utf-8")
    assert GLOSSARY.name in doc
    for entry in load_glossary():
        assert entry.en in doc, entry.en
        assert entry.es in doc, entry.es
        for avoid in entry.avoid:
            assert avoid.term in doc, avoid.term
