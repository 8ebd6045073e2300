"""The field guide's questions and what each answer means in the contract's facts.

Every question asks what a person can see or hear at the scene, never a legal conclusion;
this one table turns each answer into facts, and the comment beside an entry says why that
is sound. "Don't know" (:data:`DONT_KNOW`) is every question's last choice and gives no
fact at all, so the engine keeps it unknown. An answer that settles nothing either way (the
person was not restrained: the force may still be unlawful) also gives no fact, rather than
a "no" the scene did not show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DONT_KNOW = "dont_know"

Facts = dict[str, Any]


@dataclass(frozen=True)
class FlowQuestion:
    id: str
    answers: dict[str, Facts]  # choice -> facts, in the order the page offers them
    follow_ups: dict[str, str] = field(default_factory=dict)  # choice -> follow-up question

    @property
    def choices(self) -> tuple[str, ...]:
        return (*self.answers, DONT_KNOW)


_CITY = "city_owned"


def _police_at_scene(body_camera: str) -> Facts:
    return {
        "city_personnel[].role": "dpd_officer",
        "city_personnel[].on_duty": True,
        "city_personnel[].present": True,
        "city_personnel[].responding": True,
        "city_personnel[].body_camera": body_camera,
    }


QUESTIONS: dict[str, FlowQuestion] = {
    question.id: question
    for question in (
        FlowQuestion(
            "place",
            {
                # Denver's parking lots, parks, libraries, recreation centers and offices are
                # City-owned (Denver Public Library and Parks and Recreation are City
                # agencies); a place that is not is "private" or "Don't know".
                "city_lot": {"location.ownership": _CITY, "location.kind": "parking_lot"},
                "city_park": {"location.ownership": _CITY, "location.kind": "park"},
                "library": {"location.ownership": _CITY, "location.kind": "library"},
                "rec_center": {"location.ownership": _CITY, "location.kind": "recreation_center"},
                "city_office": {"location.ownership": _CITY, "location.kind": "city_office"},
                # Public streets are City right of way (controlled, not owned); whether that
                # makes them City property under the order is the engine's open question
                # p1-streets, which then decides: this answer does not.
                "street": {"location.ownership": "city_controlled", "location.kind": "street"},
                "private": {"location.ownership": "private", "location.kind": "business"},
                # A home may be private or public housing: only its kind is known.
                "home": {"location.kind": "residence"},
            },
        ),
        FlowQuestion(
            "paper",
            {
                # Who signed the paper is printed on it: a judge's signature is a judicial
                # warrant; an ICE officer's on an I-200 or I-205 is an administrative warrant.
                "judge": {"authority.kind": "judicial_warrant"},
                "court_order": {"authority.kind": "court_order"},
                "ice_form": {"authority.kind": "administrative_warrant"},
                "none": {"authority.kind": "none"},
            },
        ),
        FlowQuestion(
            "records_paper",
            {
                "judge": {"authority.kind": "judicial_warrant"},
                "court_order": {"authority.kind": "court_order"},
                # A subpoena names who issued it: a court, or an agency such as ICE or DHS.
                "court_subpoena": {"authority.kind": "court_issued_subpoena"},
                "ice_subpoena": {"authority.kind": "administrative_subpoena"},
                "ice_form": {"authority.kind": "administrative_warrant"},
                "none": {"authority.kind": "none"},
            },
        ),
        FlowQuestion(
            "data",
            {
                "address": {"requests[].data_categories": ["address"]},
                "status": {"requests[].data_categories": ["immigration_status"]},
                "citizenship": {"requests[].data_categories": ["citizenship"]},
                "release": {"requests[].data_categories": ["release_date"]},
                "database": {"requests[].data_categories": ["database_access"]},
                "other": {"requests[].data_categories": ["other_pii"]},
            },
        ),
        FlowQuestion(
            "force",
            {
                # A shot at a person, or a car driven into one, is the order's own example of
                # force that could kill or seriously injure (EO 152 P7).
                "gun": {
                    "force.kind": "firearm",
                    "force.could_cause_death_or_serious_bodily_injury": True,
                },
                "vehicle": {
                    "force.kind": "vehicle",
                    "force.could_cause_death_or_serious_bodily_injury": True,
                },
                # Every other kind can be lawful or not: the follow-up asks what was seen.
                "neck": {"force.kind": "neck_restraint"},
                "strikes": {"force.kind": "impact"},
                "taser": {"force.kind": "taser"},
                "spray": {"force.kind": "chemical"},
                "takedown": {"force.kind": "takedown"},
                "hold": {"force.kind": "control_hold"},
            },
            follow_ups={
                kind: "restrained"
                for kind in ("neck", "strikes", "taser", "spray", "takedown", "hold")
            },
        ),
        FlowQuestion(
            "restrained",
            {
                # Colorado allows force only as far as it is needed (C.R.S. 18-1-707); force on
                # a person already held or no longer resisting exceeds that (18-8-802(1.5)).
                "yes": {"force.excessive": True},
                # Resisting does not make any force lawful: the question stays open.
                "no": {},
            },
        ),
        FlowQuestion("ongoing", {"yes": {"force.ongoing": True}, "no": {"force.ongoing": False}}),
        FlowQuestion(
            "hurt",
            {
                "badly": {"injuries[].severity": "serious"},
                "died": {"injuries[].severity": "fatal"},
                "slightly": {"injuries[].severity": "minor"},
                "no": {"injuries": []},
            },
        ),
        FlowQuestion(
            "police",
            {
                # Officers at the scene of an enforcement action are on duty and there for
                # it; deputies count the same (police_responding names both roles).
                "recording": _police_at_scene("recording"),
                "camera_off": _police_at_scene("off"),
                "none": {"city_personnel": []},
            },
        ),
        FlowQuestion(
            "peaceful",
            {
                # The order protects peaceful protesters and observers, not people who
                # physically interfere (EO 152 P5, research notes).
                "yes": {"protest.peaceful": False},
                "no": {"protest.peaceful": True},
            },
        ),
        FlowQuestion(
            # A "surge" (EO 152 P5) is more agents than one arrest team brings.
            "surge",
            {"yes": {"surge": True}, "no": {"surge": False}},
        ),
    )
}
