"""Explanations: the facts that made a duty, a sentence an officer can act on, in two languages.

``because`` names facts by their contract paths and values, so that a lawyer can check them
against the situation; ``plain`` and ``changes_if`` use the words of ``vocabulary.yaml``.

A duty is written in two steps. ``template`` writes everything its resolution fixes (rules,
cites, sentences, open questions, which facts to name), once per memoized resolution;
``Template.render`` then fills in the facts of one situation. The facts a template names are
its ``key``: two situations with the same resolution and the same key get the same duty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .compile import Compiled, CompiledRule, Indexed, Pair, Variable, tuple_getter
from .conditions import Atom, Truth, compile_read
from .decision import Duty
from .readings import Reading
from .resolve import Resolution, Verdict
from .vocabulary import label

_AND = {"en": " and ", "es": " y "}

#: One entry of ``because``, written from a situation.
Part = Callable[[dict[str, Any]], str]
#: The unknown fields of a list's items that would decide a ``some`` atom, by the atom's
#: number: computed once per situation and shared by every template that lists them.
Lists = Mapping[int, tuple[str, ...]]


@dataclass(frozen=True, eq=False)
class Template:
    """A duty as its resolution (and the truths it was memoized on) fix it.

    ``render`` adds one situation's facts: the values ``because`` names and the unknown fields
    of list items (``Lists``). What it reads is ``key``: two situations with the same template
    and the same key get the same duty. ``duty`` is that duty when it reads nothing.
    """

    actor: str
    action: str
    outcome: str
    rules: tuple[str, ...]
    cites: tuple[str, ...]
    plain: dict[str, str]
    changes_if: dict[str, str] | None
    open_questions: tuple[dict[str, Any], ...]
    violation: bool | None
    because: tuple[Part, ...]
    indices: tuple[int, ...]  # the facts ``because`` names (``Compiled.facts`` numbers)
    named: Callable[[Sequence[Any]], tuple[Any, ...]]  # their values
    missing: tuple[str | int, ...]  # in order: paths, or ``some`` atoms whose items to look into
    items: tuple[int, ...] = ()  # the atoms of ``missing``
    duty: Duty | None = None

    def key(self, facts: Sequence[Any], lists: Lists) -> tuple[Any, ...]:
        """What the duty depends on beyond the template, from ``Compiled.reader`` facts."""
        if not self.items:
            return self.named(facts)
        return (self.named(facts), tuple([lists[i] for i in self.items]))

    def render(self, situation: dict[str, Any], lists: Lists) -> Duty:
        if self.duty is not None:
            return self.duty
        found: dict[str, None] = {}
        for entry in self.missing:
            if isinstance(entry, str):
                found[entry] = None
            else:
                found.update(dict.fromkeys(lists[entry]))
        return Duty(
            actor=self.actor,
            action=self.action,
            outcome=self.outcome,
            rules=self.rules,
            cites=self.cites,
            because=tuple(dict.fromkeys(part(situation) for part in self.because)),
            open_questions=self.open_questions,
            violation=self.violation,
            plain=self.plain,
            changes_if=self.changes_if,
            missing_facts=tuple(found),
        )


def template(
    compiled: Compiled,
    pair: Pair,
    resolution: Resolution,
    values: Sequence[Truth],
    readings: dict[str, Reading],
) -> Template:
    """Everything the duty of ``pair`` says that ``resolution`` and ``values`` fix: the truths
    of the pair's atoms and of its rules' violation tests."""
    questions = compiled.policy.questions
    assert resolution.outcome is not None
    cited = resolution.cited
    because = _because(compiled, cited, values, readings)
    named = tuple(
        dict.fromkeys(compiled.fact_index[path] for _, paths in because for path in paths)
    )
    missing = _missing(resolution, compiled)
    found = Template(
        actor=pair.actor,
        action=pair.action,
        outcome=resolution.outcome,
        rules=tuple(v.rule.rule.id for v in cited),
        cites=_cites(compiled, cited),
        plain=_plain(pair, resolution, questions),
        changes_if=changes_text(pair, resolution, questions),
        open_questions=tuple(
            questions[v.name].as_dict() for v in resolution.relevant if v.kind == "question"
        ),
        violation=_violation(resolution, values),
        because=tuple(part for part, _ in because),
        indices=named,
        named=tuple_getter(named),
        missing=missing,
        items=tuple(m for m in missing if not isinstance(m, str)),
    )
    if named or found.items:
        return found
    return replace(found, duty=found.render({}, {}))


def _cites(compiled: Compiled, cited: Sequence[Verdict]) -> tuple[str, ...]:
    policy = compiled.policy
    instruments = {i.id: i for i in policy.instruments}
    return tuple(
        dict.fromkeys(
            owner.cite(section)
            for v in cited
            for s in v.rule.rule.cites
            for owner, section in [instruments[v.rule.rule.instrument].section_of(s, policy)]
        )
    )


def _plain(pair: Pair, resolution: Resolution, questions: dict[str, Any]) -> dict[str, str]:
    if resolution.outcome == "indeterminate":
        return indeterminate_text(pair, resolution, questions)
    first = resolution.cited[0]
    exception = next(
        (e.exception for e in first.rule.unless if e.exception.id == first.exception), None
    )
    return (exception.plain if exception else first.rule.rule.plain).as_dict()


# -- because -------------------------------------------------------------------------------

_Named = tuple[Part, tuple[str, ...]]  # a part of ``because`` and the facts it names


def describer(atom: Atom, truth: Truth, readings: dict[str, Reading]) -> _Named:
    """How to state one fact as a lawyer checks it (``location.ownership = city_owned``)."""
    if atom.kind in ("question", "some"):
        text = _fixed_text(atom, truth, readings)
        return (lambda _situation: text), ()
    read = compile_read(atom.path)
    path, values = atom.path, atom.values
    if atom.kind == "any" and truth:
        return (
            lambda s: f"{path} include {', '.join(v for v in read(s) if v in values)}",
            (path,),
        )
    if atom.kind == "any":
        return (lambda s: f"{path} = {_list(read(s))}"), (path,)
    return (lambda s: f"{path} = {_scalar(read(s))}"), (path,)


def _fixed_text(atom: Atom, truth: Truth, readings: dict[str, Reading]) -> str:
    if atom.kind == "question":
        reading = readings.get(atom.path)
        return reading.cite() if reading else f"open question {atom.path}"
    found = "some" if truth else "none"
    return f"{atom.path}: {found} with {atom.text}" if atom.text else f"{atom.path}: {found}"


def _list(values: Sequence[object]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _scalar(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _because(
    compiled: Compiled,
    cited: Sequence[Verdict],
    values: Sequence[Truth],
    readings: dict[str, Reading],
) -> list[_Named]:
    parts: list[_Named] = []
    for verdict in cited:
        rule = verdict.rule
        for index in support(rule.condition, values):
            parts.append(describer(compiled.atoms[index], values[index], readings))
        parts.extend(_exceptions(compiled, rule, verdict, values, readings))
    return parts


def support(node: Indexed, values: Sequence[Truth]) -> list[int]:
    """The atoms that make a condition hold (or, for an undecided one, what is known so far).

    An 'and' that holds rests on all its parts; an 'or' that holds on the first part that does.
    """
    if node.op == "atom":
        return [node.atom] if values[node.atom] is not None else []
    if node.op == "or":
        for child in node.children:
            if child.holds(values):
                return support(child, values)
    return [i for child in node.children for i in support(child, values)]


def _exceptions(
    compiled: Compiled,
    rule: CompiledRule,
    verdict: Verdict,
    values: Sequence[Truth],
    readings: dict[str, Reading],
) -> list[_Named]:
    parts: list[_Named] = []
    for exception in rule.unless:
        holds = exception.test(values)
        if holds is None or (
            verdict.exception is not None and exception.exception.id != verdict.exception
        ):
            continue
        facts = [
            describer(compiled.atoms[i], values[i], readings)
            for i in exception.atoms
            if values[i] is not None
        ]
        words = exception.exception.label.en
        parts.append(
            (
                _joined(
                    tuple(part for part, _ in facts), f": {words}" if holds else f" is not {words}"
                ),
                tuple(path for _, paths in facts for path in paths),
            )
        )
    return parts


def _joined(facts: tuple[Part, ...], tail: str) -> Part:
    return lambda s: "; ".join(fact(s) for fact in facts) + tail


# -- sentences -----------------------------------------------------------------------------


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


# -- missing facts and violation -----------------------------------------------------------


def _missing(resolution: Resolution, compiled: Compiled) -> tuple[str | int, ...]:
    """The facts that would decide: paths, and ``some`` atoms whose list items say which
    fields they are."""
    found: list[str | int] = []
    for variable in resolution.relevant:
        if variable.kind == "fact":
            found.append(variable.name)
        elif variable.kind == "atom":
            index = variable.atoms[0]
            atom = compiled.atoms[index]
            found.append(index if atom.kind == "some" else atom.path)
    return tuple(found)


def _violation(resolution: Resolution, values: Sequence[Truth]) -> bool | None:
    if resolution.outcome in ("indeterminate", None, "permitted"):
        return False if resolution.outcome == "permitted" else None
    for verdict in resolution.cited:
        if verdict.exception is None and verdict.rule.violation is not None:
            return verdict.rule.violation(values)
    return None
