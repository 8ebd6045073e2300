"""The answer page: a decision in the words of one language, written for the person asking.

Only presentation: the outcomes, reasons and citations are the engine's, unchanged. This
module picks what the reader (a ``role`` of ``contract.people``) needs first and puts the
vocabulary's words on the contract's codes:

- the **verdict**, a sentence or two from the most urgent engaged duty: one broken first,
  then a firm duty the situation's own facts decided (not only who the agents are and what
  they do), then one of the order's that is not settled, naming the fact it turns on, or
  one of the order's rules that fell away (see ``_verdict``);
- what has been broken (``violation``), what the reader must do, must not do and may do,
  what depends on what ("If ..." lines), and the three facts that would settle the most;
- what fell away (``not_applicable`` whose subject the situation raised), other actors'
  duties, and the duties the situation did not raise, folded.

Every duty's title is a full sentence with its actor and polarity, from the vocabulary's
``title_*`` phrases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from ..contract.actions import URGENCY
from ..contract.people import PERSON
from ..contract.vocabulary import action_verb, duty_sentence, label, mid_sentence, phrase
from ..rules import Decision, Duty, Policy
from ..rules.decision import NotApplicable
from ..rules.policy import Rule
from ..services.decisions import if_lines
from .answers import answers_from_situation
from .law import cite_links
from .question_links import question_url
from .questions import NONE_OF_THESE
from .reasons import Lexicon, Reason, fact_words, plain_reasons, reading_words, reason
from .texts import TEXTS

DENVER = ZoneInfo("America/Denver")
#: Facts every operation has: a duty resting on these alone is not what this scene decided.
_WHO_AND_WHAT = ("agents", "activities")
_FACT_NAMED = re.compile(r"^([a-z_]+(?:\[\])?(?:\.[a-z_]+)*)(?: =| include|:| not given)")
_AUTHORITY = re.compile(r"^(?P<path>authority\.\w+) = (?P<value>\w+)(?P<holds> is not|:) ")


@dataclass(frozen=True)
class DutyView:
    actor: str
    action: str
    outcome: str
    outcome_label: str
    title: str  # a full sentence: who, and whether they must, must not or may
    plain: str
    violation: bool | None
    engaged: bool
    because: tuple[Reason, ...]
    cites: tuple[str, ...]
    cite_links: tuple[Link, ...]  # each cite and its section on /law ("" where none)
    changes_if: str
    if_lines: tuple[str, ...]
    open_questions: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Answer:
    verdict: tuple[str, ...]  # the heading's sentences
    undecided: bool
    role: str  # the reader in words; empty for everyone's duties
    verdict_duty: DutyView | None  # the duty the verdict states
    verdict_broken: bool  # the verdict's rule is one the facts say has been broken
    broken: tuple[DutyView, ...]  # the other rules broken
    must: tuple[DutyView, ...]
    must_not: tuple[DutyView, ...]
    may: tuple[DutyView, ...]
    depends: tuple[DutyView, ...]
    find_out: tuple[Link, ...]
    not_applicable: tuple[str, ...]
    others: tuple[DutyView, ...]
    folded: tuple[DutyView, ...]
    told: tuple[Link, ...]
    engine: str
    as_of: str
    as_of_shown: str
    as_of_is_now: bool
    place: str
    conflicts: tuple[str, ...]
    readings: tuple[str, ...]

    @property
    def explained(self) -> tuple[DutyView, ...]:
        """The duties "Why and the law" explains: every one shown above it."""
        verdict = (self.verdict_duty,) if self.verdict_duty is not None else ()
        shown = (*verdict, *self.broken, *self.must, *self.must_not, *self.may, *self.depends)
        return tuple(dict.fromkeys(shown))


class UnknownRole(ValueError):
    """A ``role`` that is none of the people of ``contract.people``."""


def actors_of(role: str) -> tuple[str, ...]:
    """The actors whose duties ``role`` is shown; none (everyone's) for no role or a resident."""
    if not role:
        return ()
    person = PERSON.get(role)
    if person is None:
        raise UnknownRole(f"role: {role!r} is not one of {', '.join(PERSON)}")
    return person.actors


def present(
    decision: Decision,
    lang: str,
    policy: Policy,
    ruled_out: Sequence[tuple[NotApplicable, Rule]] = (),
    role: str = "",
    packed: str = "",
) -> Answer:
    """The answer page for ``role`` (everyone's duties without one); ``packed`` is the
    situation as its link carries it, for the links back to each question."""
    actors = actors_of(role)
    page = _Page(lang, policy, actors)
    views = {id(duty): page.duty(duty) for duty in decision.duties}
    engaged = [duty for duty in decision.duties if duty.engaged]
    mine = [duty for duty in engaged if page.mine(duty)]
    settling = _settling(engaged)
    # The reader's own open answers first: a sergeant at a shooting learns what settles
    # the police's duties before what settles the records clerk's.
    settling_mine = _settling(mine)
    find_out = sorted(settling, key=lambda f: (-settling_mine[f], -settling[f]))[:3]
    fallen = [
        (ruled, rule)
        for ruled, rule in sorted(ruled_out, key=lambda pair: page.order(pair[1]))
        if _fell_away(decision.duty(rule.actor, rule.action))
    ]
    chosen, fell = _verdict(engaged, fallen, page)
    depends = [d for d in mine if d.outcome == "indeterminate"]
    if chosen is not None and chosen.outcome == "indeterminate" and chosen not in depends:
        depends.insert(0, chosen)
    shown = {id(d) for d in (*mine, *depends, *([chosen] if chosen else []))}

    def of(duties: Sequence[Duty]) -> tuple[DutyView, ...]:
        return tuple(views[id(duty)] for duty in duties)

    as_of = decision.as_of
    return Answer(
        verdict=page.ruled_out(*fell) if fell else page.verdict(chosen, settling),
        undecided=chosen is not None and chosen.outcome == "indeterminate",
        # A resident is shown everyone's duties: the page is then for no one in particular.
        role=label(role, lang) if actors else "",
        verdict_duty=views[id(chosen)] if chosen is not None else None,
        verdict_broken=chosen is not None and chosen.violation is True,
        broken=of([d for d in decision.duties if d.violation is True and d is not chosen]),
        must=of([d for d in mine if d.outcome == "required"]),
        must_not=of([d for d in mine if d.outcome == "prohibited"]),
        may=of([d for d in mine if d.outcome == "permitted"]),
        depends=of(depends),
        find_out=tuple(
            Link(
                _sentence(label(fact, lang)),
                question_url(fact, lang, packed),
                TEXTS[lang]["decision_settles"].format(count=settling[fact]),
            )
            for fact in find_out
        ),
        not_applicable=tuple(dict.fromkeys(" ".join(page.ruled_out(*pair)) for pair in fallen)),
        others=of([d for d in engaged if id(d) not in shown]) if actors else (),
        folded=of([d for d in decision.duties if not d.engaged and page.mine(d)]),
        told=_told(decision, lang, packed),
        engine=decision.engine,
        as_of=as_of,
        as_of_shown=moment(as_of, lang),
        as_of_is_now=decision.as_of_source == "now",
        place=_place(decision.place, lang),
        conflicts=tuple(
            page.conflict(c.actor, c.action, c.prevailing, c.overridden) for c in decision.conflicts
        ),
        readings=tuple(page.reading(r) for r in decision.readings),
    )


class _Page:
    """The words of one page: its language, the policy's own words and the reader's actors."""

    def __init__(self, lang: str, policy: Policy, actors: tuple[str, ...]) -> None:
        self.lang = lang
        self.policy = policy
        self.actors = actors
        self.lexicon = Lexicon(policy)
        self.outcomes = {rule.id: rule.outcome for rule in policy.rules}
        self.cite_urls = cite_links(policy, lang)

    def mine(self, duty: Duty) -> bool:
        return self.mine_actor(duty.actor)

    def mine_actor(self, actor: str) -> bool:
        return not self.actors or actor in self.actors

    def order(self, rule: Rule) -> tuple[bool, int]:
        """The reader's actors first, then the most urgent (``contract.actions.URGENCY``)."""
        urgency = URGENCY.index(rule.pair) if rule.pair in URGENCY else len(URGENCY)
        return bool(self.actors) and rule.actor not in self.actors, urgency

    def duty(self, duty: Duty) -> DutyView:
        lang = self.lang
        changes_if = duty.changes_if or {}
        return DutyView(
            actor=duty.actor,
            action=duty.action,
            outcome=duty.outcome,
            outcome_label=TEXTS[lang][f"outcome_{duty.outcome}"],
            title=self.title(duty.actor, duty.action, duty.outcome, duty.rules),
            plain=duty.plain[lang],
            violation=duty.violation,
            engaged=duty.engaged,
            because=plain_reasons(duty.because, lang, self.lexicon),
            cites=duty.cites,
            cite_links=tuple(Link(c, self.cite_urls.get(c, "")) for c in duty.cites),
            changes_if=changes_if.get(lang, ""),
            if_lines=tuple(if_lines(duty, lang, self.lexicon.questions)),
            open_questions=tuple(str(q["question"][lang]) for q in duty.open_questions),
        )

    def title(self, actor: str, action: str, outcome: str, rules: Sequence[str] = ()) -> str:
        """ "Federal agents must not use City property ...": who, whether, and what."""
        lang = self.lang
        if outcome != "indeterminate":
            return duty_sentence(actor, action, outcome, lang)
        verb = action_verb(actor, action, lang)
        # Undecided: "must" when a rule on the pair would require it, else "may".
        must = any(self.outcomes.get(rule) == "required" for rule in rules)
        key = "title_undecided_must" if must else "title_undecided_may"
        return phrase(key, lang, actor=mid_sentence(label(actor, lang)), action=verb)

    def verdict(self, duty: Duty | None, settling: Counter[str]) -> tuple[str, ...]:
        lang = self.lang
        if duty is None:
            return (TEXTS[lang]["decision_no_duties"],)
        title = self.title(duty.actor, duty.action, duty.outcome, duty.rules)
        if duty.outcome == "indeterminate":
            # A fact of the duty's "If" lines settles it alone; then the one settling most.
            alone = {key for line in duty.if_then for key, _ in line.given}
            facts = sorted(duty.missing_facts, key=lambda f: (f not in alone, -settling[f]))
            if facts:
                return title, phrase("turns_on", lang, fact=label(facts[0], lang))
            if duty.open_questions:
                question = str(duty.open_questions[0]["question"][lang])
                return title, phrase("turns_on_question", lang, question=question)
            return (title,)
        return (title, *self._papers(duty))

    def _papers(self, duty: Duty) -> tuple[str, ...]:
        """What the agents' papers do to a firm duty: "An administrative warrant is not
        enough", "A warrant signed by a judge allows it" (an exception on ``authority``)."""
        for part in (p for sentence in duty.because for p in sentence.split("; ")):
            match = _AUTHORITY.match(part)
            if match is None or match["value"] in ("none", "unknown"):
                continue
            what = _sentence(label(f"{match['path']}={match['value']}", self.lang))
            key = "not_enough" if match["holds"] == " is not" else "allows_it"
            if (key == "not_enough") == (duty.outcome == "prohibited"):
                return (phrase(key, self.lang, what=what),)
        return ()

    def ruled_out(self, ruled: NotApplicable, rule: Rule) -> tuple[str, ...]:
        """ "The rule that federal agents must not use City property ... does not apply here.",
        then the facts that rule it out ("Who owns or controls the place: private.")."""
        reasons = (
            _full_stop(reason(part, self.lang, self.lexicon).text)
            for sentence in ruled.because
            for part in sentence.split("; ")
        )
        title = self.title(rule.actor, rule.action, rule.outcome, (rule.id,))
        said = mid_sentence(title.removesuffix("."))
        return (phrase("does_not_apply_here", self.lang, rule=said), *dict.fromkeys(reasons))

    def conflict(
        self,
        actor: str,
        action: str,
        prevailing: tuple[str, str, str],
        overridden: tuple[str, str, str],
    ) -> str:
        high, low = (self._short(prevailing[0]), self._short(overridden[0]))
        title = self.title(actor, action, prevailing[2])
        return f"{title} {high} {TEXTS[self.lang]['decision_prevails_over']} {low}."

    def _short(self, instrument: str) -> str:
        found = self.policy.instrument(instrument)
        return found.short if found is not None else instrument

    def reading(self, reading: Mapping[str, str]) -> str:
        """A reading in force, in words (its codes as given if the policy lacks it)."""
        question, answer, by, date = (reading[k] for k in ("question", "answer", "by", "date"))
        return reading_words(question, answer, by, date, self.lang, self.lexicon) or (
            f"{question} = {answer} ({by}, {date})"
        )


#: The instrument this guide is about: its own rules are the main ones (``_verdict``).
MAIN_INSTRUMENT = "denver-eo-152"


def _verdict(
    engaged: Sequence[Duty], fallen: Sequence[tuple[NotApplicable, Rule]], page: _Page
) -> tuple[Duty | None, tuple[NotApplicable, Rule] | None]:
    """What the heading states: a duty, or a main rule that fell away.

    In this order, the reader's actors first within each, then the most urgent: a duty the
    facts say has been broken; a firm duty this scene's facts decided; an undecided duty of
    the order's own rules; one of the order's rules that a given fact ruled out, no other
    rule speaking to its pair ("the staging ban does not apply here"); any other undecided
    duty; any other firm duty. ``min`` keeps the engine's order among equals.
    """
    ranked: list[tuple[int, bool, int, Duty | None, tuple[NotApplicable, Rule] | None]] = []
    for position, duty in enumerate(engaged):
        main = any(rule.startswith(f"{MAIN_INSTRUMENT}/") for rule in duty.rules)
        if duty.violation is True:
            tier = 0
        elif duty.outcome != "indeterminate":
            tier = 1 if _decided_here(duty) else 5
        else:
            tier = 2 if main else 4
        ranked.append((tier, not page.mine(duty), position, duty, None))
    for position, (ruled, rule) in enumerate(fallen):
        if rule.instrument == MAIN_INSTRUMENT:
            ranked.append((3, not page.mine_actor(rule.actor), position, None, (ruled, rule)))
    if not ranked:
        return None, None
    best = min(ranked, key=lambda item: item[:3])
    return best[3], best[4]


def _decided_here(duty: Duty) -> bool:
    """Whether the duty rests on a fact of this scene beyond who the agents are and what
    they do (the place, the force, the injuries, the papers...)."""
    for part in (p for sentence in duty.because for p in sentence.split("; ")):
        match = _FACT_NAMED.match(part)
        if match and not match[1].startswith(_WHO_AND_WHAT):
            return True
    return False


def _fell_away(duty: Duty | None) -> bool:
    """Whether a rule ruled out here leaves its pair to no rule at all: then saying it does
    not apply tells the reader something. Where another rule still speaks to the pair (P1's
    staging ban beside P3's), the pair's own answer is what counts."""
    return duty is None


def _settling(engaged: Sequence[Duty]) -> Counter[str]:
    """How many of the engaged undecided duties each missing fact would help settle."""
    return Counter(
        fact for duty in engaged if duty.outcome == "indeterminate" for fact in duty.missing_facts
    )


def _told(decision: Decision, lang: str, packed: str) -> tuple[Link, ...]:
    """What the situation says, question by question, each with a link to change it."""
    told = []
    for path, values in answers_from_situation(decision.situation).items():
        if path == "at":
            words = moment(str(decision.situation.get("at", "")), lang)
        elif values == [NONE_OF_THESE] and not path.endswith("]"):
            words = TEXTS[lang]["none_of_these"]
        else:
            words = fact_words(path, values, lang).partition(": ")[2]
        told.append(Link(_sentence(label(path, lang)), question_url(path, lang, packed), words))
    return tuple(told)


def _place(place: Mapping[str, str] | None, lang: str) -> str:
    """The place the registry matched: its name, what kind of place and whose it is."""
    if not place:
        return ""
    about = [
        label(f"location.{fact}={place[fact]}", lang)
        for fact in ("kind", "ownership")
        if place.get(fact)
    ]
    return f"{place['name']} ({', '.join(about)})" if about else str(place["name"])


def moment(text: str, lang: str) -> str:
    """ "2 Dec 2026, 2:11 a.m. (Denver time)", in the page's language."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if at.tzinfo is not None:
        # The first or last day a datetime holds cannot move: shown as given.
        with suppress(OverflowError):
            at = at.astimezone(DENVER)
    texts = TEXTS[lang]
    hour = at.hour % 12 or 12
    return texts["decision_moment"].format(
        day=at.day,
        month=texts["decision_months"].split()[at.month - 1],
        year=at.year,
        time=f"{hour}:{at.minute:02d}",
        half=texts["decision_am" if at.hour < 12 else "decision_pm"],
    )


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def _full_stop(words: str) -> str:
    return words if words.endswith((".", "?", "!")) else f"{words}."
