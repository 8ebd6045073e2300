"""The desk's service: logging, the engine's findings, determinations by the right people,
the release gate and the clock. Each legal expectation names the law it rests on."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from .conftest import SUBPOENA

pytestmark = pytest.mark.db


def _log(user: Any, **changes: Any) -> Any:
    from eo152.datarequests import services

    return services.log_request(user, services.read_body({**SUBPOENA, **changes}))


def _entries(start: int = 0) -> list[dict[str, Any]]:
    from eo152.services.records import site_ledger

    store = site_ledger().log.store
    return [json.loads(text) for _, text in store.entry_page(start, 100000)]


def _size() -> int:
    from eo152.services.records import site_ledger

    return site_ledger().log.tree_size


def test_an_administrative_subpoena_for_an_address_is_refused_by_state_law(
    make_user: Callable[..., Any],
) -> None:
    """C.R.S. 24-74-102 (SB25-276): personal information for immigration enforcement only on
    court-issued process; an ICE administrative subpoena is not issued by a court."""
    from eo152.datarequests.findings import engine_answer

    clerk = make_user("records_clerk")
    request = _log(clerk)
    assert request.reference.startswith("DR-")
    assert request.share_data is not None
    assert request.share_data["outcome"] == "prohibited"
    assert any("24-74-102" in cite for cite in request.share_data["cites"])
    assert engine_answer(request.split) == "refuse"
    # What would change the answer: a court's paper.
    kinds = {item["kind"]: item["outcome"] for item in request.changes_with}
    assert kinds.get("court_issued_subpoena") == "permitted"
    assert "administrative_subpoena" not in kinds


def test_a_mixed_request_splits_status_from_the_address(make_user: Callable[..., Any]) -> None:
    """8 U.S.C. §1373 lets status information go (a grant over state law); the address stays
    barred by C.R.S. 24-74-102. The engine decides each category alone."""
    from eo152.datarequests.findings import engine_answer, refusable, releasable

    request = _log(make_user("records_clerk"), data_categories=["address", "immigration_status"])
    assert releasable(request.split) == ["immigration_status"]
    assert refusable(request.split) == ["address"]
    assert engine_answer(request.split) == "partial"


def test_a_technology_agreement_for_an_unknown_purpose_names_the_open_question(
    make_user: Callable[..., Any],
) -> None:
    """EO 152 P4: whether an administrative subpoena counts as a "subpoena" is unknown
    (research §2.6): the desk says undecided and sends it to review."""
    from eo152.datarequests.findings import engine_answer

    request = _log(
        make_user("records_clerk"), purpose="unknown", data_categories=["technology_agreement"]
    )
    found = request.split["technology_agreement"]
    assert found["outcome"] == "indeterminate"
    assert "p4-administrative-subpoena" in found["open_questions"]
    assert engine_answer(request.split) == "review"


def test_logging_writes_the_public_facts_to_the_ledger_and_keeps_the_process_document(
    make_user: Callable[..., Any], pdf_file: Path
) -> None:
    from eo152.datarequests import services

    start = _size()
    request = services.log_request(
        make_user("records_clerk"),
        services.read_body(SUBPOENA),
        services.Upload(pdf_file, "application/pdf", "the subpoena"),
    )
    entries = _entries(start)
    kinds = [entry["kind"] for entry in entries]
    assert kinds == ["evidence.registered", "data_request.logged"]
    logged = entries[-1]
    assert logged["agencies"] == ["ICE_ERO"]
    assert logged["data_categories"] == ["address"]
    assert logged["process"] == "administrative_subpoena"
    assert logged["engine"] == "refuse"
    assert "Library card" not in json.dumps(entries)  # never whom it concerns
    (document,) = request.files.all()
    assert document.role == "process" and document.media_type == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"agencies": []}, "agencies"),
        ({"received_at": "2099-01-01T00:00:00-07:00"}, "received_at"),
        ({"deadline": "2026-11-19"}, "deadline"),
        ({"data_categories": ["shoe_size"]}, "data_categories"),
        ({"agencies": ["NSA"]}, "agencies"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"process": {"issuer": "x", "date": "2099-01-01"}}, "process.date"),
    ],
)
def test_bad_input_is_refused_by_name_and_stores_nothing(
    make_user: Callable[..., Any], changes: dict[str, Any], field: str
) -> None:
    from eo152.datarequests import services
    from eo152.datarequests.models import DataRequest
    from eo152.incidents.services import IntakeRefused

    clerk = make_user("records_clerk")
    before = _size()
    with pytest.raises(IntakeRefused) as refused:
        services.log_request(clerk, services.read_body({**SUBPOENA, **changes}))
    assert refused.value.field.startswith(field)
    assert DataRequest.objects.count() == 0
    assert _size() == before


def test_a_process_document_that_is_not_a_pdf_or_image_is_refused(
    make_user: Callable[..., Any], text_file: Path
) -> None:
    from eo152.datarequests import services
    from eo152.datarequests.models import DataRequest
    from eo152.incidents.services import IntakeRefused

    before = _size()
    with pytest.raises(IntakeRefused) as refused:
        services.log_request(
            make_user("records_clerk"),
            services.read_body(SUBPOENA),
            services.Upload(text_file, "application/pdf"),
        )
    assert refused.value.field == "process.document"
    assert DataRequest.objects.count() == 0 and _size() == before


def test_a_refusal_takes_one_person_and_closes_the_request(make_user: Callable[..., Any]) -> None:
    from eo152.datarequests import services

    clerk, supervisor = make_user("records_clerk"), make_user("supervisor")
    request = _log(clerk)
    start = _size()
    services.determine(supervisor, request, services.Choice("refuse", ("no-court-process",)))
    request.refresh_from_db()
    assert request.state == "closed" and request.answer == "refuse"
    (entry,) = _entries(start)
    assert entry["kind"] == "data_request.determined"
    assert entry["determination"] == "refuse" and entry["against_engine"] is False


def _release_file(user: Any, request: Any, tmp_path: Path) -> Any:
    from eo152.datarequests import services

    path = tmp_path / "answer.pdf"
    path.write_bytes(b"%PDF-1.4\n% the records released\n%%EOF\n")
    return services.add_file(user, request, "released", services.Upload(path, "application/pdf"))


def test_a_release_needs_a_maker_a_different_checker_and_the_files_hash(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """A release on court-issued process (C.R.S. 24-74-102 permits it): a records clerk
    makes it, a supervisor checks it; the released entry holds both and the file's hash."""
    from eo152.datarequests import services
    from eo152.incidents.services import IntakeRefused

    logger, clerk, supervisor = (
        make_user("records_clerk"),
        make_user("records_clerk"),
        make_user("supervisor"),
    )
    request = _log(logger, authority={"kind": "court_issued_subpoena"})
    assert request.share_data["outcome"] == "permitted"
    released = _release_file(clerk, request, tmp_path)
    with pytest.raises(IntakeRefused) as no_hash:
        services.determine(clerk, request, services.Choice("release", ("court-process",)))
    assert no_hash.value.field == "released_file"
    with pytest.raises(IntakeRefused) as by_logger:
        services.determine(
            logger,
            request,
            services.Choice("release", ("court-process",), released_sha256=released.sha256),
        )
    assert by_logger.value.field == "made_by"
    made = services.determine(
        clerk,
        request,
        services.Choice("release", ("court-process",), released_sha256=released.sha256),
    )
    request.refresh_from_db()
    assert made.status == "proposed" and request.state == "awaiting_check"
    for who in (clerk, logger):
        with pytest.raises((IntakeRefused, PermissionError, Exception)):
            services.check(who, request)
    start = _size()
    services.check(supervisor, request)
    request.refresh_from_db()
    assert request.state == "closed" and request.answer == "release"
    (entry,) = _entries(start)
    assert entry["kind"] == "data_request.released"
    assert entry["sha256"] == released.sha256
    assert entry["approvers"] == [clerk.actor, supervisor.actor]


def test_going_against_the_engine_takes_the_city_attorney_and_a_reason(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """Releasing an address the engine bars (C.R.S. 24-74-102) is against its determinate
    outcome: only the City Attorney, in writing."""
    from django.core.exceptions import PermissionDenied

    from eo152.datarequests import services
    from eo152.incidents.services import IntakeRefused

    logger, clerk, attorney = (
        make_user("records_clerk"),
        make_user("records_clerk"),
        make_user("city_attorney"),
    )
    request = _log(logger)
    released = _release_file(clerk, request, tmp_path)
    choice = services.Choice("release", ("court-process",), released_sha256=released.sha256)
    with pytest.raises(PermissionDenied):
        services.determine(clerk, request, choice)
    with pytest.raises(IntakeRefused) as no_reason:
        services.determine(attorney, request, choice)
    assert no_reason.value.field == "reason"
    made = services.determine(
        attorney,
        request,
        services.Choice(
            "release",
            ("court-process",),
            reason="A federal court ordered compliance on 2026-11-25.",
            released_sha256=released.sha256,
        ),
    )
    assert made.against_engine is True


def test_the_clock_counts_business_days_past_colorados_holidays() -> None:
    """Thanksgiving (2026-11-26) and the weekend are not business days."""
    from eo152.datarequests import clock

    assert clock.add_business_days(date(2026, 11, 25), 3) == date(2026, 12, 1)
    assert clock.business_days_between(date(2026, 11, 25), date(2026, 12, 1)) == 3
    assert (
        clock.standing(date(2026, 12, 1), date(2026, 12, 2), paused=False, answered=False)
        == "overdue"
    )
    assert (
        clock.standing(date(2026, 12, 1), date(2026, 11, 30), paused=False, answered=False)
        == "due_soon"
    )
    assert (
        clock.standing(date(2026, 12, 10), date(2026, 11, 30), paused=False, answered=False)
        == "on_time"
    )
    assert (
        clock.standing(date(2026, 12, 1), date(2026, 12, 2), paused=True, answered=False)
        == "paused"
    )


def test_a_partial_release_sends_status_only_and_needs_a_basis_for_each_part(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """8 U.S.C. §1373 lets status go; C.R.S. 24-74-102 keeps the address back. A release in
    part names a basis to release and one to refuse."""
    from eo152.datarequests import services
    from eo152.incidents.services import IntakeRefused

    logger, clerk, attorney = (
        make_user("supervisor"),
        make_user("records_clerk"),
        make_user("city_attorney"),
    )
    request = _log(logger, data_categories=["address", "immigration_status"])
    released = _release_file(clerk, request, tmp_path)
    with pytest.raises(IntakeRefused) as one_basis:
        services.determine(
            clerk,
            request,
            services.Choice(
                "partial",
                ("status-information",),
                released_categories=("immigration_status",),
                released_sha256=released.sha256,
            ),
        )
    assert one_basis.value.field == "bases"
    with pytest.raises(IntakeRefused) as everything:
        services.determine(
            clerk,
            request,
            services.Choice(
                "partial",
                ("status-information", "no-court-process"),
                released_categories=("immigration_status", "address"),
                released_sha256=released.sha256,
            ),
        )
    assert everything.value.field == "released_categories"
    made = services.determine(
        clerk,
        request,
        services.Choice(
            "partial",
            ("status-information", "no-court-process"),
            released_categories=("immigration_status",),
            released_sha256=released.sha256,
        ),
    )
    assert made.against_engine is False
    services.check(attorney, request)
    request.refresh_from_db()
    assert request.answer == "partial"


def test_releasing_what_turns_on_an_open_question_is_the_city_attorneys_call(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """Whether an administrative subpoena is a P4 "subpoena" is open (research §2.6): a clerk
    may send the request to review, not release it."""
    from django.core.exceptions import PermissionDenied

    from eo152.datarequests import services

    logger, clerk = make_user("records_clerk"), make_user("records_clerk")
    request = _log(logger, purpose="unknown", data_categories=["technology_agreement"])
    released = _release_file(clerk, request, tmp_path)
    with pytest.raises(PermissionDenied):
        services.determine(
            clerk,
            request,
            services.Choice("release", ("court-process",), released_sha256=released.sha256),
        )
    services.determine(clerk, request, services.Choice("review", ("open-question",)))
    request.refresh_from_db()
    assert request.state == "in_review"


def test_a_second_person_can_send_a_release_back(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    from eo152.datarequests import services

    logger, clerk, supervisor = (
        make_user("supervisor"),
        make_user("records_clerk"),
        make_user("supervisor"),
    )
    request = _log(logger, authority={"kind": "court_order"})
    released = _release_file(clerk, request, tmp_path)
    services.determine(
        clerk,
        request,
        services.Choice("release", ("court-process",), released_sha256=released.sha256),
    )
    returned = services.send_back(supervisor, request, "the file holds a second person's record")
    request.refresh_from_db()
    assert request.state == "open" and returned.status == "returned"
    assert services.pending(request) is None


def test_extend_pause_and_resume_move_the_deadline(make_user: Callable[..., Any]) -> None:
    from django.utils import timezone

    from eo152.datarequests import clock, services
    from eo152.incidents.services import IntakeRefused

    clerk = make_user("records_clerk")
    request = _log(clerk, deadline=None)
    received = timezone.localtime(request.received_at).date()
    assert request.deadline == clock.add_business_days(received, 3)
    with pytest.raises(IntakeRefused):
        services.determine(
            clerk, request, services.Choice("extend", ("more-time",), new_deadline=request.deadline)
        )
    later = clock.add_business_days(request.deadline, 5)
    services.determine(
        clerk, request, services.Choice("extend", ("more-time",), new_deadline=later)
    )
    request.refresh_from_db()
    assert request.deadline == later and request.state == "open"
    services.pause(clerk, request, "waiting for the agency's court order")
    assert services.standing_of(request) == "paused"
    services.resume(clerk, request)
    request.refresh_from_db()
    assert request.paused_at is None and request.deadline >= later


def test_what_a_request_concerns_is_removed_once_it_is_answered(
    make_user: Callable[..., Any],
) -> None:
    from eo152.datarequests import services
    from eo152.incidents.services import IntakeRefused

    clerk = make_user("records_clerk")
    request = _log(clerk)
    with pytest.raises(IntakeRefused):
        services.remove_concerning(clerk, request)
    services.determine(clerk, request, services.Choice("refuse", ("no-court-process",)))
    services.remove_concerning(clerk, request)
    request.refresh_from_db()
    assert request.concerning == "" and request.concerning_removed_at is not None
    # The history of changes never held it: nothing to purge there.
    assert request.history.count() >= 2
    assert not any(hasattr(old, "concerning") for old in request.history.all())


def test_the_monitor_reads_but_never_whom_a_request_concerns(
    make_user: Callable[..., Any],
) -> None:
    from django.core.exceptions import PermissionDenied

    from eo152.datarequests import services

    request = _log(make_user("records_clerk"))
    monitor = make_user("monitor")
    shown = services.shown(monitor, services.open_request(monitor, request.reference))
    assert "concerning" not in shown and shown["findings"] == request.findings
    with pytest.raises(PermissionDenied):
        services.determine(monitor, request, services.Choice("refuse", ("no-court-process",)))
    for role in ("officer", "investigator", "prosecutor", "intake", "administrator"):
        with pytest.raises(type(request).DoesNotExist):
            services.open_request(make_user(role), request.reference)


def test_a_refused_release_given_with_its_file_stores_no_file(
    make_user: Callable[..., Any], tmp_path: Path
) -> None:
    """The page's form and the CLI give the file with the release: the logger's release is
    refused before the file is kept, so nothing stored changes."""
    from eo152.datarequests import services
    from eo152.incidents.services import IntakeRefused

    logger, clerk, supervisor = (
        make_user("records_clerk"),
        make_user("records_clerk"),
        make_user("supervisor"),
    )
    request = _log(logger, authority={"kind": "court_issued_subpoena"})
    path = tmp_path / "answer.pdf"
    path.write_bytes(b"%PDF-1.4\n% the records released\n%%EOF\n")
    choice = services.Choice("release", ("court-process",))
    before = _size()
    with pytest.raises(IntakeRefused) as refused:
        services.determine_with_file(logger, request, choice, services.Upload(path))
    assert refused.value.field == "made_by"
    assert not request.files.exists() and _size() == before
    made = services.determine_with_file(clerk, request, choice, services.Upload(path))
    assert made.released_file is not None and made.status == "proposed"
    item, stream = services.open_file(supervisor, request, made.released_file.sha256)
    assert stream.read() == path.read_bytes() and item.role == "released"
    assert _entries(_size() - 1)[0]["kind"] == "custody.downloaded"


def test_the_page_warns_where_the_service_asks_for_the_city_attorney() -> None:
    """The warning before the choice follows the service's rule: releasing what C.R.S.
    24-74-102 bars, or what turns on an open question, is the City Attorney's call."""
    from eo152.datarequests.findings import needs_city_attorney

    barred = {"address": {"outcome": "prohibited"}}
    mixed = {"address": {"outcome": "prohibited"}, "immigration_status": {"outcome": "permitted"}}
    open_ = {"technology_agreement": {"outcome": "indeterminate"}}
    allowed = {"contact": {"outcome": "permitted"}}
    assert needs_city_attorney(barred, "release") and needs_city_attorney(open_, "release")
    assert not needs_city_attorney(allowed, "release")
    assert not needs_city_attorney(barred, "refuse")
    assert needs_city_attorney({"x": {"outcome": "required"}}, "refuse")
    assert not needs_city_attorney(mixed, "partial") and needs_city_attorney(barred, "partial")
    assert not needs_city_attorney(barred, "review")
