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

from ..contract.vocabulary import LANGUAGES, label, phrase, value_words
from .compile import Compiled, CompiledRule, Indexed, Pair, Variable, tuple_getter
from .conditions import Atom, Truth, compile_read
from .decision import Duty, IfThen, NotApplicable
from .policy import Presumption
from .readings import Reading
from .resolve import Resolution, Verdict

#: One entry of ``because``, written from a situation.
Part = Callable[[dict[str, Any]], str]
#: The unknown fields of a list's items that would decide a ``some`` atom, by the atom's
#: number: computed once per situation and shared by every template that lists them.
Lists = Mapping[int, tuple[str, ...]]


class Texts:
    """What the policy alone fixes of every explanation, written once when the engine loads
    (not once per resolution): each rule's cites, each atom's part of ``because`` with each
    truth, and the "if" words of each value of each variable."""

    def __init__(self, compiled: Compiled, readings: dict[str, Reading]) -> None:
        questions = compiled.policy.questions
        self.readings = readings
        self.cites = {rule.rule.id: _rule_cites(compiled, rule) for rule in compiled.rules}
        self.parts = {
            (index, truth): describer(atom, truth, readings)
            for index, atom in enumerate(compiled.atoms)
            for truth in (True, False, None)
        }
        self.conditions = {
            variable: tuple(
                _conditions(variable, choice, questions) for choice in range(len(variable.domain))
            )
            for variable in compiled.variables
        }

    def part(
        self, compiled: Compiled, index: int, truth: Truth, presumed: Mapping[str, Presumption]
    ) -> _Named:
        """``describer`` of atom ``index``: a presumed fact is stated as presumed."""
        if presumed and compiled.atoms[index].path in presumed:
            return describer(compiled.atoms[index], truth, self.readings, presumed)
        return self.parts[index, truth]

    def cited(self, cited: Sequence[Verdict]) -> tuple[str, ...]:
        """The cites of the rules of ``cited``, without repeats."""
        if len(cited) == 1:
            return self.cites[cited[0].rule.rule.id]
        return tuple(dict.fromkeys(c for v in cited for c in self.cites[v.rule.rule.id]))


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
    if_then: tuple[IfThen, ...] = ()
    engaged_by: Callable[[dict[str, Any]], bool] = lambda _situation: True
    subject: frozenset[str] | None = None  # top-level fields engaging it; None: deeper ones too
    duty: Duty | None = None  # the duty, engaged, when it reads no fact

    def key(self, facts: Sequence[Any], lists: Lists) -> tuple[Any, ...]:
        """What the duty depends on beyond the template, from ``Compiled.reader`` facts."""
        if not self.items:
            return self.named(facts)
        return (self.named(facts), tuple([lists[i] for i in self.items]))

    def render(self, situation: dict[str, Any], lists: Lists, engaged: bool = True) -> Duty:
        if self.duty is not None:
            return self.duty if engaged else replace(self.duty, engaged=False)
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
            engaged=engaged,
            if_then=self.if_then,
        )


def template(
    compiled: Compiled,
    pair: Pair,
    resolution: Resolution,
    values: Sequence[Truth],
    texts: Texts,
) -> Template:
    """Everything the duty of ``pair`` says that ``resolution`` and ``values`` fix: the truths
    of the pair's atoms (presumptions applied) and of its rules' violation tests."""
    questions = compiled.policy.questions
    assert resolution.outcome is not None
    cited = resolution.cited
    presumed = {p.fact: p for p in pair.presumptions}
    because = _because(compiled, cited, values, texts, presumed)
    named = tuple(
        dict.fromkeys(compiled.fact_index[path] for _, paths in because for path in paths)
    )
    missing = _missing(resolution, compiled)
    found = Template(
        actor=pair.actor,
        action=pair.action,
        outcome=resolution.outcome,
        rules=tuple(v.rule.rule.id for v in cited),
        cites=texts.cited(cited),
        plain=_plain(pair, resolution, questions),
        changes_if=changes_text(pair, resolution, questions),
        open_questions=tuple(
            questions[v.name].to_dict() for v in resolution.relevant if v.kind == "question"
        ),
        violation=_violation(resolution, values),
        because=tuple(part for part, _ in because),
        indices=named,
        named=tuple_getter(named),
        missing=missing,
        items=tuple(m for m in missing if not isinstance(m, str)),
        if_then=tuple(
            if_then_entry(pair, texts.conditions[s.variable][s.choice], s.outcome)
            for s in resolution.settled
        ),
        engaged_by=subject_given(pair.subject),
        subject=_top_level(pair.subject),
    )
    if named or found.items:
        return found
    return replace(found, duty=found.render({}, {}))


def _rule_cites(compiled: Compiled, rule: CompiledRule) -> tuple[str, ...]:
    policy = compiled.policy
    instrument = policy.instrument(rule.rule.instrument)
    assert instrument is not None
    return tuple(
        dict.fromkeys(
            owner.cite(section)
            for s in rule.rule.cites
            for owner, section in [instrument.section_of(s, policy)]
        )
    )


def _plain(pair: Pair, resolution: Resolution, questions: dict[str, Any]) -> dict[str, str]:
    if resolution.outcome == "indeterminate":
        return indeterminate_text(pair, resolution, questions)
    first = resolution.cited[0]
    exception = next(
        (e.exception for e in first.rule.unless if e.exception.id == first.exception), None
    )
    return (exception.plain if exception else first.rule.rule.plain).to_dict()


# -- because -------------------------------------------------------------------------------

_Named = tuple[Part, tuple[str, ...]]  # a part of ``because`` and the facts it names


def describer(
    atom: Atom,
    truth: Truth,
    readings: dict[str, Reading],
    presumed: Mapping[str, Presumption] | None = None,
) -> _Named:
    """How to state one fact as a lawyer checks it (``location.ownership = city_owned``); a
    presumed fact that is not given says so, and what would rebut it."""
    if atom.kind in ("question", "some"):
        text = _fixed_text(atom, truth, readings)
        return (lambda _situation: text), ()
    read = compile_read(atom.path)
    path, values = atom.path, atom.values
    presumption = (presumed or {}).get(path)
    if presumption is not None:
        shown = _scalar(presumption.value)
        rebut = presumption.label.en
        return (
            lambda s: (
                f"{path} not given: presumed {shown} ({rebut})"
                if (value := read(s)) is None
                else f"{path} = {_scalar(value)}"
            ),
            (path,),
        )
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
    texts: Texts,
    presumed: Mapping[str, Presumption],
) -> list[_Named]:
    parts: list[_Named] = []
    for verdict in cited:
        rule = verdict.rule
        for index in support(rule.condition, values):
            parts.append(texts.part(compiled, index, values[index], presumed))
        parts.extend(_exceptions(rule, verdict, values, texts))
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
    rule: CompiledRule, verdict: Verdict, values: Sequence[Truth], texts: Texts
) -> list[_Named]:
    parts: list[_Named] = []
    for exception in rule.unless:
        holds = exception.test(values)
        if holds is None or (
            verdict.exception is not None and exception.exception.id != verdict.exception
        ):
            continue
        facts = [texts.parts[i, values[i]] for i in exception.atoms if values[i] is not None]
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
    parts = list(dict.fromkeys(label(v.name, lang) for v in relevant if v.kind != "question"))
    parts += [
        phrase("open_question", lang, question=questions[v.name].question[lang])
        for v in relevant
        if v.kind == "question"
    ]
    return phrase("and", lang).join(parts)


def indeterminate_text(
    pair: Pair, resolution: Resolution, questions: dict[str, Any]
) -> dict[str, str]:
    return {
        lang: phrase(
            "undecided",
            lang,
            head=f"{label(pair.actor, lang)}: {label(pair.name, lang)}",
            basis=decided_by(resolution.relevant, questions, lang),
        )
        for lang in LANGUAGES
    }


def changes_text(
    pair: Pair, resolution: Resolution, questions: dict[str, Any]
) -> dict[str, str] | None:
    if resolution.outcome == "indeterminate":
        return {
            lang: phrase("decided_by", lang, basis=decided_by(resolution.relevant, questions, lang))
            for lang in LANGUAGES
        }
    first = resolution.cited[0]
    rule = first.rule.rule
    if first.exception is None and rule.changes_if is not None:
        return rule.changes_if.to_dict()
    # An exception of one rule changes the outcome only when no other rule gives it too: the
    # state body-camera carve-out leaves EO 152 P8's duty standing.
    if first.exception is None and first.rule.unless and len(resolution.cited) == 1:
        exception = first.rule.unless[0].exception
        return {
            lang: phrase(
                "would_be",
                lang,
                outcome=phrase(f"outcome_{exception.outcome}", lang),
                condition=exception.label[lang],
            )
            for lang in LANGUAGES
        }
    return None


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
    """Whether the conduct the outcome forbids happened (or the required conduct did not):
    true when a rule giving the outcome in every world says so, false when every rule that
    could give it says not, otherwise unknown (it turns on a fact or question)."""
    if resolution.outcome in ("indeterminate", None, "permitted"):
        return False if resolution.outcome == "permitted" else None
    cited = {v.rule.rule.id for v in resolution.cited}
    found: bool | None = False
    for verdict in resolution.speaking:
        rule = verdict.rule
        if verdict.outcome != resolution.outcome or verdict.exception or rule.violation is None:
            continue
        truth = rule.violation(values)
        if truth and rule.rule.id in cited:
            return True
        if truth is not False:
            found = None
    if found is False and not any(
        v.rule.violation for v in resolution.speaking if v.outcome == resolution.outcome
    ):
        return None  # no rule says what breaking it looks like
    return found


# -- engaged, rules ruled out, and what would decide ------------------------------------------


def subject_given(paths: Sequence[str]) -> Callable[[dict[str, Any]], bool]:
    """Whether a situation gives any of ``paths`` (an object or a list: any of its fields),
    as given: ``unknown`` raises the subject as much as a value does, and no default applies."""
    splits = [path.replace("[]", "").split(".") for path in paths]
    if all(len(parts) == 1 for parts in splits):
        # Most duties' subjects are top-level fields; asked of every duty of every situation,
        # each is then one look-up.
        keys = [key for (key,) in splits]
        return lambda situation: any(_given_here(situation.get(key)) for key in keys)

    def given(situation: dict[str, Any]) -> bool:
        return any(_given(situation, parts) for parts in splits)

    return given


def _top_level(paths: Sequence[str]) -> frozenset[str] | None:
    """The fields of ``paths`` when all are top-level fields (``subject_given`` then asks
    ``given_fields`` only), else None."""
    if any("." in path or "[]" in path for path in paths):
        return None
    return frozenset(paths)


def given_fields(situation: dict[str, Any], bits: Mapping[str, int]) -> int:
    """The top-level fields of ``bits`` that a situation gives, as ``subject_given`` reads them
    (``_given_here``, written out: this runs for every decision), as the sum of their bits."""
    found = 0
    for key, value in situation.items():
        bit = bits.get(key)
        if (
            bit
            and value is not None
            and (not isinstance(value, dict) or list(value.values()).count(None) < len(value))
        ):
            found |= bit
    return found


def _given_here(value: Any) -> bool:
    """``_given`` of a top-level field's value."""
    if isinstance(value, dict):
        return list(value.values()).count(None) < len(value)
    return value is not None


def _given(value: Any, parts: Sequence[str]) -> bool:
    if isinstance(value, list):
        return any(_given(item, parts) for item in value) if parts else True
    if not parts:
        if isinstance(value, dict):
            return any(v is not None for v in value.values())
        return value is not None
    if not isinstance(value, dict):
        return False
    return _given(value.get(parts[0]), parts[1:])


@dataclass(frozen=True)
class RuledOut:
    """A rule in force whose condition the given facts make false: ``render`` names them."""

    rule: str
    cites: tuple[str, ...]
    because: tuple[Part, ...]
    indices: tuple[int, ...]  # the facts ``because`` names (``Compiled.facts`` numbers)

    def render(self, situation: dict[str, Any]) -> NotApplicable:
        parts = tuple(dict.fromkeys(part(situation) for part in self.because))
        return NotApplicable(self.rule, self.cites, parts)


def ruled_out(
    compiled: Compiled, rule: CompiledRule, values: Sequence[Truth], texts: Texts
) -> RuledOut:
    """``rule``, whose condition is false for ``values``, and the facts that make it so."""
    named = [texts.parts[i, values[i]] for i in falsifying(rule.condition, values)]
    return RuledOut(
        rule.rule.id,
        texts.cites[rule.rule.id],
        tuple(part for part, _ in named),
        tuple(dict.fromkeys(compiled.fact_index[p] for _, paths in named for p in paths)),
    )


def falsifying(node: Indexed, values: Sequence[Truth], want: bool = False) -> list[int]:
    """The atoms that give ``node`` the truth ``want`` (it has it): for a false 'and' its first
    false part, for a false 'or' every part; 'not' asks the opposite of its part."""
    if node.op == "atom":
        return [node.atom]
    if node.op == "not":
        return falsifying(node.children[0], values, not want)
    if (node.op == "and") == want:
        return [i for child in node.children for i in falsifying(child, values, want)]
    for child in node.children:
        if child.holds(values) is want:
            return falsifying(child, values, want)
    return []


def if_then_entry(
    pair: Pair, condition: tuple[tuple[tuple[str, Any], ...], dict[str, str]], outcome: str | None
) -> IfThen:
    """One "If ..., then ..." line: a value of a variable (``Texts.conditions``), its outcome."""
    given, conditions = condition
    return IfThen(given, outcome, _then_text(pair, outcome, conditions))


def _conditions(
    variable: Variable, choice: int, questions: dict[str, Any]
) -> tuple[tuple[tuple[str, Any], ...], dict[str, str]]:
    """The variable's ``choice``-th value as ``IfThen.given`` and in words."""
    if variable.kind == "question":
        answer = variable.labels[choice]
        asked = questions[variable.name]
        given: tuple[tuple[str, Any], ...] = ((f"question:{variable.name}", answer),)
        conditions = {
            lang: phrase(
                "answer_is",
                lang,
                question=asked.question[lang],
                answer=phrase("quoted", lang, text=asked.answer_labels[answer][lang]),
            )
            for lang in LANGUAGES
        }
    else:
        values: list[Any] = [_typed(v) for v in variable.labels[choice].split(" | ")]
        given = ((variable.name, values[0] if len(values) == 1 else values),)
        conditions = {
            lang: phrase(
                "answer_is",
                lang,
                question=label(variable.name, lang),
                answer=phrase("or", lang).join(value_words(variable.name, v, lang) for v in values),
            )
            for lang in LANGUAGES
        }
    return given, conditions


def _typed(text: str) -> Any:
    return {"true": True, "false": False}.get(text, text)


def _then_text(pair: Pair, outcome: str | None, conditions: dict[str, str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        if outcome is None:
            then = phrase("does_not_apply", lang)
        else:
            then = f"{label(pair.actor, lang)} {label(outcome, lang)} {label(pair.name, lang)}"
        texts[lang] = phrase("if_then", lang, condition=conditions[lang], then=then)
    return texts
