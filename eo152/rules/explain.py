"""Explanations: the facts that made a duty, a sentence an officer can act on, in two languages.

``because`` names facts by their contract paths and values, so that a lawyer can check them
against the situation; ``plain`` and ``changes_if`` use the words of ``vocabulary.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .compile import Compiled, CompiledRule, Pair, Variable
from .conditions import Atom, Node, Truth, kleene, missing_paths, read
from .decision import Duty
from .readings import Reading
from .resolve import Resolution, Verdict
from .vocabulary import label

_AND = {"en": " and ", "es": " y "}


def describe(
    atom: Atom, truth: Truth, situation: dict[str, Any], readings: dict[str, Reading]
) -> str:
    """One fact as a lawyer checks it: ``location.ownership = city_owned``."""
    if atom.kind == "question":
        reading = readings.get(atom.path)
        return reading.cite() if reading else f"open question {atom.path}"
    if atom.kind == "some":
        found = "some" if truth else "none"
        return f"{atom.path}: {found} with {atom.text}" if atom.text else f"{atom.path}: {found}"
    value = read(situation, atom.path)
    if atom.kind == "any":
        if truth:
            return f"{atom.path} include {', '.join(v for v in value if v in atom.values)}"
        return f"{atom.path} = {_list(value)}"
    return f"{atom.path} = {_scalar(value)}"


def _list(values: Sequence[object]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _scalar(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def because(
    compiled: Compiled,
    cited: Sequence[Verdict],
    values: Sequence[Truth],
    situation: dict[str, Any],
    readings: dict[str, Reading],
) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for verdict in cited:
        rule = verdict.rule
        for atom in support(rule.rule.when, lambda a: values[compiled.atom_index(a)]):
            truth = values[compiled.atom_index(atom)]
            found[describe(atom, truth, situation, readings)] = None
        for text in _exceptions(compiled, rule, verdict, values, situation, readings):
            found[text] = None
    return tuple(found)


def support(node: Node, value_of: Callable[[Atom], Truth]) -> list[Atom]:
    """The atoms that make a condition hold (or, for an undecided one, what is known so far).

    An 'and' that holds rests on all its parts; an 'or' that holds on the first part that does.
    """
    if node.atom is not None:
        return [node.atom] if value_of(node.atom) is not None else []
    if node.op == "or":
        for child in node.children:
            if kleene(child, value_of):
                return support(child, value_of)
        return [a for child in node.children for a in support(child, value_of)]
    return [a for child in node.children for a in support(child, value_of)]


def _exceptions(
    compiled: Compiled,
    rule: CompiledRule,
    verdict: Verdict,
    values: Sequence[Truth],
    situation: dict[str, Any],
    readings: dict[str, Reading],
) -> list[str]:
    texts = []
    for exception in rule.unless:
        holds = exception.test(values)
        if holds is None or (
            verdict.exception is not None and exception.exception.id != verdict.exception
        ):
            continue
        facts = "; ".join(
            describe(compiled.atoms[i], values[i], situation, readings)
            for i in exception.atoms
            if values[i] is not None
        )
        words = exception.exception.label.en
        texts.append(f"{facts}: {words}" if holds else f"{facts} is not {words}")
    return texts


def decided_by(relevant: Sequence[Variable], questions: dict[str, Any], lang: str) -> str:
    """'whether the force could cause death ... and the open question "..."' in one language."""
    facts = [label(v.name, lang) for v in relevant if v.kind != "question"]
    asked = [
        questions[v.name].question.en if lang == "en" else questions[v.name].question.es
        for v in relevant
        if v.kind == "question"
    ]
    parts = list(dict.fromkeys(facts))
    if asked:
        lead = "the open legal question" if lang == "en" else "la cuestión jurídica abierta"
        parts += [f"{lead} “{q}”" for q in asked]
    return _AND[lang].join(parts)


def indeterminate_text(
    pair: Pair, resolution: Resolution, questions: dict[str, Any]
) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in ("en", "es"):
        head = f"{label(pair.actor, lang)}: {label(pair.name, lang)}"
        basis = decided_by(resolution.relevant, questions, lang)
        if lang == "en":
            texts[lang] = f"{head}: cannot be decided yet. It depends on {basis}."
        else:
            texts[lang] = f"{head}: aún no se puede decidir. Depende de {basis}."
    return texts


def changes_text(
    pair: Pair, resolution: Resolution, questions: dict[str, Any]
) -> dict[str, str] | None:
    if resolution.outcome == "indeterminate":
        return {
            "en": f"Decided by {decided_by(resolution.relevant, questions, 'en')}.",
            "es": f"Lo decide {decided_by(resolution.relevant, questions, 'es')}.",
        }
    first = resolution.cited[0]
    rule = first.rule.rule
    if first.exception is None and rule.changes_if is not None:
        return rule.changes_if.as_dict()
    if first.exception is None and first.rule.unless:
        exception = first.rule.unless[0].exception
        outcome_en, outcome_es = _OUTCOME_WORDS[exception.outcome]
        return {
            "en": f"It would be {outcome_en} with {exception.label.en}.",
            "es": f"Estaría {outcome_es} con {exception.label.es}.",
        }
    return None


_OUTCOME_WORDS = {
    "permitted": ("permitted", "permitido"),
    "prohibited": ("prohibited", "prohibido"),
    "required": ("required", "exigido"),
}


def missing(
    resolution: Resolution, compiled: Compiled, situation: dict[str, Any]
) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for variable in resolution.relevant:
        if variable.kind == "fact":
            found[variable.name] = None
        elif variable.kind == "atom":
            for path in missing_paths(compiled.atoms[variable.atoms[0]], situation):
                found[path] = None
    return tuple(found)


def violation(resolution: Resolution, values: Sequence[Truth]) -> bool | None:
    if resolution.outcome in ("indeterminate", None, "permitted"):
        return False if resolution.outcome == "permitted" else None
    for verdict in resolution.cited:
        if verdict.exception is None and verdict.rule.violation is not None:
            return verdict.rule.violation(values)
    return None


def duty(
    compiled: Compiled,
    pair: Pair,
    resolution: Resolution,
    values: Sequence[Truth],
    situation: dict[str, Any],
    readings: dict[str, Reading],
) -> Duty:
    questions = compiled.policy.questions
    assert resolution.outcome is not None
    cited = resolution.cited
    policy = compiled.policy
    instruments = {i.id: i for i in policy.instruments}
    cites = tuple(
        dict.fromkeys(
            owner.cite(section)
            for v in cited
            for s in v.rule.rule.cites
            for owner, section in [instruments[v.rule.rule.instrument].section_of(s, policy)]
        )
    )
    if resolution.outcome == "indeterminate":
        plain = indeterminate_text(pair, resolution, questions)
    else:
        first = cited[0]
        exception = next(
            (e.exception for e in first.rule.unless if e.exception.id == first.exception), None
        )
        plain = (exception.plain if exception else first.rule.rule.plain).as_dict()
    return Duty(
        actor=pair.actor,
        action=pair.action,
        outcome=resolution.outcome,
        rules=tuple(v.rule.rule.id for v in cited),
        cites=cites,
        because=because(compiled, cited, values, situation, readings),
        open_questions=tuple(
            questions[v.name].as_dict() for v in resolution.relevant if v.kind == "question"
        ),
        violation=violation(resolution, values),
        plain=plain,
        changes_if=changes_text(pair, resolution, questions),
        missing_facts=missing(resolution, compiled, situation),
    )
