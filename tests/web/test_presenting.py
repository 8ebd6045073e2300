"""A decision in the words of the page's language."""

from __future__ import annotations

from eo152.services.decisions import decide_payload
from eo152.web.presenting import present


def _decision(**extra: object) -> dict[str, object]:
    decision = decide_payload({"activities": ["staging"], "location": {"ownership": "city_owned"}})
    assert isinstance(decision, dict)
    return {**decision, **extra}


def test_the_place_the_registry_matched_is_named_with_its_kind_and_owner():
    place = {"id": "x", "name": "Civic Center Park", "kind": "park", "ownership": "city_owned"}
    shown = present(_decision(place=place), "es").place
    assert shown.startswith("Civic Center Park (")
    assert "parque" in shown.lower()


def test_no_place_matched_shows_none():
    assert present(_decision(place=None), "en").place == ""


def test_duties_keep_the_engines_order_and_take_the_page_language():
    decision = _decision()
    answer = present(decision, "es")
    assert [d.outcome for d in answer.duties] == [d["outcome"] for d in decision["duties"]]
    assert answer.duties[0].plain == decision["duties"][0]["plain"]["es"]


def test_simple_reasons_are_put_in_plain_words():
    answer = present(_decision(), "en")
    reasons = [r for duty in answer.duties for r in duty.because]
    assert any(r.plain and "Who owns or controls the place" in r.text for r in reasons)
    assert not any("location.ownership" in r.text for r in reasons if r.plain)
