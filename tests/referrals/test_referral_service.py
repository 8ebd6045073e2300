"""Referrals: a fixed snapshot, a second person's sign-off before it leaves, an office's
prosecutor sees only what was sent to it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from eo152.incidents import services as incidents
from eo152.incidents.services import IntakeRefused
from eo152.referrals import services
from eo152.referrals.models import Referral

pytestmark = [pytest.mark.db]


def test_a_referral_is_a_snapshot_signed_off_by_another_and_then_sent(case: Any) -> None:
    referral = services.create(
        case.investigator, case.incident, "denver_da", "assault_first_degree",
        evidence=[case.files[0]], do_not_disclose=[case.files[1]],
    )  # fmt: skip
    snapshot = referral.snapshot
    assert snapshot["offense"]["crs"] == "C.R.S. 18-3-202" and snapshot["offense"]["nibrs"] == "13A"
    assert [e["sha256"] for e in snapshot["evidence"]] == [case.files[0].sha256]
    assert snapshot["withheld"] == 1 and case.files[1].sha256 not in str(snapshot)
    with pytest.raises(IntakeRefused, match="after a second person"):
        services.send(case.investigator, referral)
    with pytest.raises(IntakeRefused, match="made a referral cannot sign"):
        services.sign_off(case.investigator, referral)
    services.sign_off(case.supervisor, referral)
    incidents.change_facts(case.investigator, case.incident, {"activities": ["staging"]})
    services.send(case.investigator, referral)
    referral.refresh_from_db()
    case.incident.refresh_from_db()
    assert referral.state == "sent" and case.incident.state == "referred"
    assert referral.snapshot == snapshot, "later edits to the case do not change what was sent"
    shown = json.dumps(services.packet_document(referral))
    assert case.files[1].sha256 not in shown, "a held-back file is not named, even in the log"
    assert case.files[0].sha256 in shown


def test_a_prosecutor_sees_only_what_was_sent_to_their_office(
    case: Any, make_user: Callable[..., Any]
) -> None:
    da, ag = make_user("prosecutor", "denver_da"), make_user("prosecutor", "colorado_ag")
    referral = services.create(case.investigator, case.incident, "denver_da", "robbery")
    assert not services.visible_to(da).exists(), "a draft is the City's"
    services.sign_off(case.supervisor, referral)
    services.send(case.supervisor, referral)
    assert list(services.visible_to(da)) == [referral]
    assert not services.visible_to(ag).exists()
    with pytest.raises(Referral.DoesNotExist):
        services.open_referral(ag, referral.reference)
    services.acknowledge(da, referral)
    assert Referral.objects.get().state == "acknowledged"
    document = services.packet_document(Referral.objects.get())
    kinds = [entry["kind"] for entry in document["activity"]]
    assert kinds.count("record.created") == 2 and "evidence.registered" in kinds
