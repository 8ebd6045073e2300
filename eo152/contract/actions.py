"""The contract's actors and their actions, the outcomes, and the order duties are listed in."""

from __future__ import annotations

ACTIONS: dict[str, tuple[str, ...]] = {
    "federal_agents": (
        "use_city_property",
        "use_city_vehicles_or_equipment",
        "civil_arrest_at_courthouse",
        "enter_non_public_area",
        "racial_profiling",
        "conceal_identity",
    ),
    "city_agencies": (
        "permit_property_use",
        "lend_vehicles_or_equipment",
        "share_data",
        "grant_non_public_access",
    ),
    "police": (
        "intervene",
        "render_aid",
        "record_body_camera",
        "de_escalate",
        "protect_peaceful_protest",
        "investigate",
        "refer_felony",
        "obstruct_lawful_enforcement",
        "detain_federal_agent",
        "cite_or_arrest_federal_agent",
        "report_intervention_to_supervisor",
        "racial_profiling",
        "arrest_or_hold_on_detainer",
        "advise_before_ice_interview",
    ),
    "first_responders": ("render_aid",),
    "city_employees": ("consent_to_non_public_entry", "report_to_supervisor"),
}

OUTCOMES = ("required", "prohibited", "permitted")

#: The order in which duties are listed: what must be done at once comes first.
URGENCY = (
    "police/intervene",
    "police/render_aid",
    "first_responders/render_aid",
    "police/record_body_camera",
    "police/de_escalate",
    "police/protect_peaceful_protest",
    "police/obstruct_lawful_enforcement",
    "police/report_intervention_to_supervisor",
    "police/arrest_or_hold_on_detainer",
    "police/advise_before_ice_interview",
    "police/investigate",
    "police/refer_felony",
    "police/detain_federal_agent",
    "police/cite_or_arrest_federal_agent",
    "police/racial_profiling",
    "federal_agents/use_city_property",
    "federal_agents/enter_non_public_area",
    "federal_agents/civil_arrest_at_courthouse",
    "federal_agents/use_city_vehicles_or_equipment",
    "federal_agents/conceal_identity",
    "federal_agents/racial_profiling",
    "city_agencies/permit_property_use",
    "city_agencies/grant_non_public_access",
    "city_agencies/lend_vehicles_or_equipment",
    "city_agencies/share_data",
    "city_employees/consent_to_non_public_entry",
    "city_employees/report_to_supervisor",
)
