"""The policy files' schema: every problem a file has, each named with its file and line.

The first tests run the checker alone on small files; the later ones load a copy of the
shipped policy with one mistake put in, as ``eo152 policy check`` would see it.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from eo152.rules import _schema, _yaml

from .policy_copy import edit, line_of, problems

DOCS = Path(__file__).resolve().parents[2] / "docs"

A_RULE = """\
- id: stay-calm
  actor: police
  action: de_escalate
  outcome: required
  cites: [P3]
  subject: [force]
  when: force.ongoing is true
  plain: {en: Stay calm., es: Mantenga la calma.}
"""


def check(tmp_path: Path, text: str, schema: _schema.Kind = _schema.RULES) -> _schema.Checked:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text))
    return _schema.check(_yaml.load(path, "p/rules.yaml"), schema, "p/rules.yaml")


def found(checked: _schema.Checked) -> list[str]:
    return [f"{where}: {what}" for where, what in checked.problems]


def test_a_rule_that_follows_the_schema_passes(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE)
    assert found(checked) == []
    assert checked.items() == checked.data


def test_a_wrong_type_is_named_with_file_and_line(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE.replace("cites: [P3]", "cites: P3"))
    assert found(checked) == ["p/rules.yaml:5: 'cites' has the wrong type (text); expected a list"]


def test_a_missing_required_key_is_named_at_its_mapping(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE.replace("  outcome: required\n", ""))
    assert found(checked) == ["p/rules.yaml:1: missing 'outcome'"]


def test_an_unknown_key_is_refused_with_the_keys_allowed(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE.replace("outcome: required", "outcome: required\n  outcom: x"))
    assert found(checked) == [
        "p/rules.yaml:5: unknown key 'outcom'; allowed: action, actor, changes_if, cites, id,"
        " in_force, note, outcome, permission, plain, presumes, readings, subject, unless,"
        " violation, when"
    ]


def test_a_value_outside_its_enumeration_lists_the_allowed_values(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE.replace("outcome: required", "outcome: encouraged"))
    assert found(checked) == [
        "p/rules.yaml:4: outcome must be one of required, prohibited, permitted"
    ]


def test_an_action_must_be_one_of_its_actors(tmp_path: Path) -> None:
    checked = check(tmp_path, A_RULE.replace("action: de_escalate", "action: share_data"))
    (problem,) = found(checked)
    assert problem.startswith("p/rules.yaml:3: police has the actions intervene, render_aid,")


@pytest.mark.parametrize(
    "plain",
    ["{en: Stay calm.}", "{en: Stay calm., es: '  '}", "{en: Stay calm., es: [Calma]}"],
)
def test_a_bilingual_text_without_its_spanish_is_refused(tmp_path: Path, plain: str) -> None:
    text = A_RULE.replace("plain: {en: Stay calm., es: Mantenga la calma.}", f"plain: {plain}")
    assert found(check(tmp_path, text)) == [
        "p/rules.yaml:8: 'plain' needs a sentence in 'en' and in 'es'"
    ]


def test_a_spanish_text_cut_at_an_unquoted_comma_is_refused(tmp_path: Path) -> None:
    # In a YAML flow mapping an unquoted comma ends the value: the rest becomes a stray key,
    # and the Spanish sentence would be shown cut short.
    text = A_RULE.replace(
        "plain: {en: Stay calm., es: Mantenga la calma.}",
        "plain: {en: Stay calm., es: Mantenga la calma, por favor.}",
    )
    (problem,) = found(check(tmp_path, text))
    assert problem.startswith("p/rules.yaml:8: unknown key 'por favor.'")


def test_an_exception_in_unless_is_checked_at_its_own_lines(tmp_path: Path) -> None:
    text = A_RULE + textwrap.indent(
        textwrap.dedent(
            """\
            unless:
              - id: officer-alone
                outcome: permitted
                permission: floor
                label: {en: the officer is alone, es: el agente está solo}
                plain: {en: Wait for help., es: Espere ayuda.}
              - id: no-when
                outcome: required
                permission: grant
                lable: {en: typo, es: errata}
                plain: {en: Wait., es: Espere.}
            """
        ),
        "  ",
    )
    assert found(check(tmp_path, text)) == [
        "p/rules.yaml:10: missing 'when'",
        "p/rules.yaml:15: missing 'when'",
        "p/rules.yaml:15: missing 'label'",
        "p/rules.yaml:17: only a permitted outcome has a 'permission'",
        "p/rules.yaml:18: unknown key 'lable'; allowed: id, label, outcome, permission, plain, when",
    ]


@pytest.mark.parametrize(
    ("presumes", "problems"),
    [
        (
            "{fact: force.kind, value: true, label: {en: unless lawful, es: salvo que sea legal}}",
            ["p/rules.yaml:9: a presumption is on a true/false fact, not 'force.kind'"],
        ),
        (
            "{fact: force.excessive, value: yes please, label: {en: unless lawful, es: salvo}}",
            ["p/rules.yaml:9: 'value' has the wrong type (text); expected true or false"],
        ),
        (
            "{fact: force.excessive, label: {en: unless lawful}}",
            [
                "p/rules.yaml:9: missing 'value': true or false",
                "p/rules.yaml:9: 'label' needs a sentence in 'en' and in 'es'",
            ],
        ),
    ],
)
def test_a_presumption_is_on_a_true_false_fact_with_a_value_and_a_label(
    tmp_path: Path, presumes: str, problems: list[str]
) -> None:
    assert found(check(tmp_path, A_RULE + f"  presumes: {presumes}\n")) == problems


def test_every_problem_of_a_file_is_reported_and_only_sound_rules_pass(tmp_path: Path) -> None:
    broken = (
        A_RULE.replace("stay-calm", "broken")
        .replace("actor: police", "actor: mayor")
        .replace("subject: [force]", "subject: [force, agents.uniform]")
        .replace("cites: [P3]", "cites: []")
        .replace("  when: force.ongoing is true\n", "")
    )
    checked = check(tmp_path, A_RULE + broken + "- just words\n" + A_RULE)
    assert found(checked) == [
        "p/rules.yaml:9: missing 'when'",
        "p/rules.yaml:10: actor must be one of federal_agents, city_agencies, police,"
        " first_responders, city_employees",
        "p/rules.yaml:13: a rule cites at least one section",
        "p/rules.yaml:14: subject 'agents.uniform' is not a contract fact",
        "p/rules.yaml:16: 'rules.yaml[2]' has the wrong type (text); expected a mapping",
        "p/rules.yaml:17: rule id 'stay-calm' appears twice",
    ]
    assert [rule["id"] for rule in checked.items()] == ["stay-calm", "stay-calm"]


def test_a_permitted_outcome_says_grant_or_floor(tmp_path: Path) -> None:
    permitted = A_RULE.replace("outcome: required", "outcome: permitted")
    (problem,) = found(check(tmp_path, permitted))
    assert problem.startswith("p/rules.yaml:1: a permitted outcome says 'permission: grant'")
    assert found(check(tmp_path, permitted + "  permission: waiver\n")) == [
        "p/rules.yaml:9: permission must be one of grant, floor"
    ]


def test_a_window_in_force_ends_after_it_starts(tmp_path: Path) -> None:
    text = A_RULE + "  in_force: {from: 2026-02-26, until: 2025-01-01}\n"
    assert found(check(tmp_path, text)) == ["p/rules.yaml:9: in_force needs 'until' after 'from'"]


def test_a_file_of_the_wrong_shape_says_what_it_should_be(tmp_path: Path) -> None:
    assert found(check(tmp_path, "rules:\n" + textwrap.indent(A_RULE, "  "))) == [
        "p/rules.yaml:1: 'rules.yaml' has the wrong type (a mapping); expected a list"
    ]
    assert found(check(tmp_path, "# nothing yet\n")) == [
        "p/rules.yaml:1: 'rules.yaml' has the wrong type (nothing); expected a list"
    ]


def test_an_open_question_has_two_answers_each_in_both_languages(tmp_path: Path) -> None:
    text = """\
    - id: p1-streets
      question: {en: "Are streets City property?", es: "¿Son las calles propiedad de la Ciudad?"}
      answers:
        city_property: {en: "yes, they are", es: "sí, lo son"}
    """
    assert found(check(tmp_path, text, _schema.QUESTIONS)) == [
        "p/rules.yaml:3: an open question needs at least two answers"
    ]
    text += '    not_city_property: {en: "no, they are not"}\n'
    assert found(check(tmp_path, text, _schema.QUESTIONS)) == [
        "p/rules.yaml:5: 'not_city_property' needs a sentence in 'en' and in 'es'"
    ]


# -- The shipped policy, with one mistake put in ----------------------------------------------


def test_an_instrument_with_a_bad_date_and_level_is_named_with_its_lines(policy_dir: Path) -> None:
    instrument = policy_dir / "us-8-usc-1373" / "instrument.yaml"
    edit(instrument, "level: federal", "level: county")
    edit(instrument, "enacted: 1996-09-30", "enacted: Sept. 30, 1996")
    assert problems(policy_dir) == [
        "policies/us-8-usc-1373/instrument.yaml:4: level must be one of federal, state,"
        " city_ordinance, executive_order",
        "policies/us-8-usc-1373/instrument.yaml:5: 'enacted' has the wrong type (text);"
        " expected a date (2026-02-26)",
    ]


def test_an_instrument_in_the_wrong_folder_is_refused(policy_dir: Path) -> None:
    instrument = policy_dir / "us-8-usc-1373" / "instrument.yaml"
    edit(instrument, "id: us-8-usc-1373", "id: us-8-usc-1374")
    assert problems(policy_dir) == [
        "policies/us-8-usc-1373/instrument.yaml:1: id 'us-8-usc-1374' must match its folder"
        " 'us-8-usc-1373'"
    ]


def test_a_section_missing_its_source_is_named_at_the_section(policy_dir: Path) -> None:
    instrument = policy_dir / "us-8-usc-1373" / "instrument.yaml"
    edit(instrument, "    source: 8 U.S.C. §1373 (instalawyer.io)\n", "")
    section = line_of(instrument, 'id: "§1373(a)"')
    assert problems(policy_dir) == [
        f"policies/us-8-usc-1373/instrument.yaml:{section}: missing 'source'"
    ]


def test_a_presumption_on_a_fact_that_is_not_true_or_false_is_refused(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "    fact: force.excessive\n", "    fact: force.kind\n")
    assert problems(policy_dir) == [
        f"policies/denver-eo-152/rules.yaml:{line_of(rules, 'fact: force.kind')}:"
        " a presumption is on a true/false fact, not 'force.kind'"
    ]


def test_an_exception_without_a_condition_is_refused_not_dropped(policy_dir: Path) -> None:
    # The loader before the schema silently dropped such an exception, and the rule then
    # held without it.
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "      when: property_exception\n", "")
    assert problems(policy_dir) == [
        f"policies/denver-eo-152/rules.yaml:"
        f"{line_of(rules, 'id: judicial-process-or-legal-mandate')}: missing 'when'"
    ]


def test_a_rule_with_several_mistakes_reports_each_condition_and_key(policy_dir: Path) -> None:
    rules = policy_dir / "denver-eo-152" / "rules.yaml"
    edit(rules, "    - force.ongoing is true\n", "    - agents.uniform is blue\n")
    edit(rules, "cites: [P7]", "cites: [P7, 'us-8-usc-1373:§1373(z)']\n  colour: red")
    line = line_of(rules, "us-8-usc-1373:§1373(z)")
    cites, colour, when = problems(policy_dir)
    assert cites == (
        f"policies/denver-eo-152/rules.yaml:{line}: cites 'us-8-usc-1373:§1373(z)': no section"
        " '§1373(z)' in instrument 'us-8-usc-1373'"
    )
    assert colour == (
        f"policies/denver-eo-152/rules.yaml:{line + 1}: unknown key 'colour'; allowed: action,"
        " actor, changes_if, cites, id, in_force, note, outcome, permission, plain, presumes,"
        " readings, subject, unless, violation, when"
    )
    assert when.startswith(f"policies/denver-eo-152/rules.yaml:{line + 3}: when:")  # the key
    assert "when: 'agents.uniform' is not a fact of the contract" in when


def test_the_docs_name_every_key_of_a_rule_and_of_an_instrument() -> None:
    text = (DOCS / "policy.md").read_text()
    keys = re.search(r"## The keys of each file\n(.*?)\n## ", text, re.S)
    assert keys is not None, "docs/policy.md has a section '## The keys of each file'"
    for schema in (_schema.RULE, _schema.EXCEPTION, _schema.INSTRUMENT, _schema.SECTION):
        for key in schema.keys:
            assert f"`{key}`" in keys.group(1), f"docs/policy.md does not describe `{key}`"
