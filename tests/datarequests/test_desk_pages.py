"""The desk's pages: the list (late first), the logging form (each bad input named, nothing
stored), a request answer-first with its split and its clock, and the steps by the right
people: a refusal by one person, a release by two (the maker cannot check it, the logger
cannot make it), a release without its file refused; the Monitor reads without whom a
request concerns; anyone else is refused or sent to sign in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eo152.accounts.models import User
from eo152.web.texts import TEXTS

from .conftest import PDF_BYTES, SUBPOENA

pytestmark = [pytest.mark.db]
EN = TEXTS["en"]
ES = TEXTS["es"]
DESK = ("records_clerk", "supervisor", "city_attorney")


@pytest.fixture(autouse=True)
def _static(collected_static: None) -> None:
    """Pages link the hashed names of the collected static files."""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _logged(user: User, **changes: Any) -> Any:
    from eo152.datarequests import services

    return services.log_request(user, services.read_body({**SUBPOENA, **changes}))


def _form(**changes: Any) -> dict[str, Any]:
    """The logging form filled in as a clerk would for the library's subpoena."""
    return {
        "lang": "en",
        "channel": "in_person",
        "agencies": ["ICE_ERO"],
        "component": "ERO Denver Field Office",
        "official": "",
        "purpose": "civil_immigration",
        "received_date": "2026-11-20",
        "received_time": "09:30",
        "data_categories": ["address"],
        "authority_kind": "administrative_subpoena",
        "form_number": "I-138",
        "process_issuer": "ICE ERO Denver Field Office",
        "process_date": "2026-11-18",
        "concerning": "Library card 2231: home address",
        "deadline": "",
        "external_id": "ERO-DEN-2026-0412",
        **changes,
    }


def _count() -> int:
    from eo152.datarequests.models import DataRequest, RequestFile

    return DataRequest.objects.count() + RequestFile.objects.count()


# -- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", DESK)
def test_each_desk_role_reads_the_list_the_form_and_the_request(
    make_user: Callable[..., User], role: str
) -> None:
    request = _logged(make_user("records_clerk"))
    client = _client(make_user(role))
    listed = client.get("/data-requests")
    assert listed.status_code == 200
    assert request.reference in listed.content.decode()
    assert client.get("/data-requests/new").status_code == 200
    page = client.get(f"/data-requests/{request.reference}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Library card 2231" in text
    assert EN["dr_headline_refuse_prohibited"].format(law="Colorado law") in text
    assert "C.R.S. 24-74-102" in text


def test_the_monitor_reads_without_whom_it_concerns(make_user: Callable[..., User]) -> None:
    request = _logged(make_user("records_clerk"))
    monitor = _client(make_user("monitor"))
    assert monitor.get("/data-requests").status_code == 200
    page = monitor.get(f"/data-requests/{request.reference}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Library card 2231" not in text
    assert EN["dr_actions"] not in text and "/files/" not in text
    assert monitor.get("/data-requests/new").status_code == 403
    refused = monitor.post(f"/data-requests/{request.reference}/determine", {"kind": "refuse"})
    assert refused.status_code == 403


@pytest.mark.parametrize("role", ["officer", "investigator", "administrator"])
def test_others_are_refused_and_a_request_is_not_found(
    make_user: Callable[..., User], role: str
) -> None:
    request = _logged(make_user("records_clerk"))
    client = _client(make_user(role))
    assert client.get("/data-requests").status_code == 403
    assert client.get("/data-requests/new").status_code == 403
    assert client.get(f"/data-requests/{request.reference}").status_code == 404


def test_a_stranger_is_sent_to_sign_in(make_user: Callable[..., User]) -> None:
    request = _logged(make_user("records_clerk"))
    for path in ("/data-requests", "/data-requests/new", f"/data-requests/{request.reference}"):
        answer = Client().get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/sign-in")


def test_an_unknown_reference_is_not_found(make_user: Callable[..., User]) -> None:
    client = _client(make_user("records_clerk"))
    assert client.get("/data-requests/DR-AAAA-AAAA").status_code == 404


# -- the list ---------------------------------------------------------------------------------


def test_the_list_says_how_many_are_late_and_shows_them_first(
    make_user: Callable[..., User],
) -> None:
    clerk = make_user("records_clerk")
    today = date.today()
    late = _logged(clerk, received_at="2026-11-02T09:00:00-07:00", deadline="2026-11-05")
    later = _logged(clerk, deadline=(today + timedelta(days=30)).isoformat())
    text = _client(clerk).get("/data-requests").content.decode()
    assert EN["dr_list_overdue_one"] in text
    assert text.index(late.reference) < text.index(later.reference)
    assert EN["dr_standing_overdue"] in text
    filtered = _client(clerk).get("/data-requests?standing=on_time").content.decode()
    assert later.reference in filtered and late.reference not in filtered
    spanish = _client(clerk).get("/data-requests?lang=es").content.decode()
    assert ES["dr_list_overdue_one"] in spanish


# -- logging ----------------------------------------------------------------------------------


def test_a_clerk_logs_a_subpoena_with_its_paper(make_user: Callable[..., User]) -> None:
    clerk = _client(make_user("records_clerk"))
    paper = SimpleUploadedFile("subpoena.pdf", PDF_BYTES, "application/pdf")
    answer = clerk.post("/data-requests/new", _form(process_document=paper))
    assert answer.status_code == 303, answer.content.decode()[:3000]
    page = clerk.get(answer["Location"])
    text = page.content.decode()
    assert EN["dr_headline_refuse_prohibited"].format(law="Colorado law") in text
    assert "C.R.S. 24-74-102" in text
    assert EN["dr_change_permitted"].format(process="A subpoena issued by a court") in text
    assert EN["dr_file_process"] in text
    from eo152.datarequests.models import DataRequest

    request = DataRequest.objects.get()
    item = request.files.get()
    download = clerk.get(f"/data-requests/{request.reference}/files/{item.sha256}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agencies": []}, "agencies", "dr_error_agencies"),
        (
            {"received_date": (date.today() + timedelta(days=3)).isoformat()},
            "received_date",
            "dr_error_received_future",
        ),
        ({"deadline": "2026-11-10"}, "deadline", "dr_error_deadline_early"),
        ({"data_categories": ["shoe_size"]}, "data_categories", "dr_error_data_categories"),
        ({"data_categories": []}, "data_categories", "dr_error_data_categories"),
    ],
)
def test_a_bad_log_form_names_the_field_keeps_the_values_and_stores_nothing(
    make_user: Callable[..., User], changes: dict[str, Any], field: str, message: str
) -> None:
    clerk = _client(make_user("records_clerk"))
    before = _count()
    answer = clerk.post("/data-requests/new", _form(**changes))
    text = answer.content.decode()
    assert answer.status_code == 422
    assert EN[message] in text
    assert 'value="ERO-DEN-2026-0412"' in text  # what was typed is kept
    assert "Library card 2231: home address" in text
    assert _count() == before


def test_a_process_paper_that_is_not_a_pdf_or_picture_is_refused(
    make_user: Callable[..., User],
) -> None:
    clerk = _client(make_user("records_clerk"))
    before = _count()
    paper = SimpleUploadedFile("notes.txt", b"not a PDF", "text/plain")
    answer = clerk.post("/data-requests/new", _form(process_document=paper))
    assert answer.status_code == 422
    assert EN["dr_error_process_document"] in answer.content.decode()
    assert _count() == before


def test_the_form_reads_in_spanish(make_user: Callable[..., User]) -> None:
    clerk = _client(make_user("records_clerk"))
    text = clerk.get("/data-requests/new?lang=es").content.decode()
    assert ES["dr_new_title"] in text and ES["dr_deadline_hint"].format(days=3) in text
    answer = clerk.post("/data-requests/new", _form(lang="es", agencies=[]))
    assert ES["dr_error_agencies"] in answer.content.decode()


# -- determinations ---------------------------------------------------------------------------


def test_a_refusal_is_made_by_one_person(make_user: Callable[..., User]) -> None:
    from eo152.datarequests.models import State

    clerk = make_user("records_clerk")
    request = _logged(clerk)
    page = _client(clerk).get(f"/data-requests/{request.reference}").content.decode()
    # The bases the engine's rules point to are ticked.
    assert 'value="no-court-process" checked' in page
    answer = _client(clerk).post(
        f"/data-requests/{request.reference}/determine",
        {"kind": "refuse", "bases": ["no-court-process"], "reason": ""},
    )
    assert answer.status_code == 303, answer.content.decode()[:3000]
    request.refresh_from_db()
    assert (request.state, request.answer) == (State.CLOSED, "refuse")
    text = _client(clerk).get(f"/data-requests/{request.reference}").content.decode()
    assert "/letter.pdf" in text
    assert EN["dr_concerning_remove"] in text


def _release_request(make_user: Callable[..., User]) -> tuple[Any, User]:
    """A request the law lets the City answer: a court's subpoena, for criminal history."""
    clerk = make_user("records_clerk")
    request = _logged(
        clerk,
        purpose="non_immigration",
        agencies=["FBI"],
        data_categories=["criminal_history"],
        authority={"kind": "court_issued_subpoena"},
    )
    return request, clerk


def test_a_release_needs_a_second_person(make_user: Callable[..., User], pdf_file: Path) -> None:
    from eo152.datarequests.findings import engine_answer
    from eo152.datarequests.models import State

    request, logger = _release_request(make_user)
    assert engine_answer(request.split) == "release"
    # The logger is not offered a release, and the service refuses one.
    logger_page = _client(logger).get(f"/data-requests/{request.reference}").content.decode()
    assert EN["dr_refused_logger"] in logger_page
    released = {"kind": "release", "bases": ["court-process"], "reason": ""}
    refused = _client(logger).post(
        f"/data-requests/{request.reference}/determine",
        {**released, "released_file": SimpleUploadedFile("out.pdf", PDF_BYTES, "application/pdf")},
    )
    assert refused.status_code == 422
    assert EN["dr_refused_logger"] in refused.content.decode()
    # Another clerk makes it with the file; they cannot check it themselves.
    maker = make_user("records_clerk")
    made = _client(maker).post(
        f"/data-requests/{request.reference}/determine",
        {**released, "released_file": SimpleUploadedFile("out.pdf", PDF_BYTES, "application/pdf")},
    )
    assert made.status_code == 303, made.content.decode()[:3000]
    request.refresh_from_db()
    assert request.state == State.AWAITING_CHECK
    supervisor = make_user("supervisor")
    page = _client(supervisor).get(f"/data-requests/{request.reference}").content.decode()
    assert EN["dr_check_submit"] in page and maker.username in page
    own = _client(maker).post(f"/data-requests/{request.reference}/check")
    assert own.status_code == 422 and EN["dr_refused_permission"] in own.content.decode()
    confirmed = _client(supervisor).post(f"/data-requests/{request.reference}/check")
    assert confirmed.status_code == 303
    request.refresh_from_db()
    assert (request.state, request.answer) == (State.CLOSED, "release")


def test_the_logger_cannot_check_a_release(make_user: Callable[..., User]) -> None:
    supervisor = make_user("supervisor")
    from eo152.datarequests import services

    request = services.log_request(
        supervisor,
        services.read_body(
            {
                **SUBPOENA,
                "purpose": "non_immigration",
                "agencies": ["FBI"],
                "data_categories": ["criminal_history"],
                "authority": {"kind": "court_issued_subpoena"},
            }
        ),
    )
    maker = make_user("records_clerk")
    _client(maker).post(
        f"/data-requests/{request.reference}/determine",
        {
            "kind": "release",
            "bases": ["court-process"],
            "released_file": SimpleUploadedFile("out.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    page = _client(supervisor).get(f"/data-requests/{request.reference}").content.decode()
    assert EN["dr_check_not_you"] in page
    refused = _client(supervisor).post(f"/data-requests/{request.reference}/check")
    assert refused.status_code == 422
    assert EN["dr_refused_checker"] in refused.content.decode()


def test_a_release_without_its_file_is_refused(make_user: Callable[..., User]) -> None:
    from eo152.datarequests.models import State

    request, _ = _release_request(make_user)
    maker = make_user("records_clerk")
    before = request.determinations.count()
    answer = _client(maker).post(
        f"/data-requests/{request.reference}/determine",
        {"kind": "release", "bases": ["court-process"]},
    )
    assert answer.status_code == 422
    assert EN["dr_refused_file"] in answer.content.decode()
    request.refresh_from_db()
    assert request.state == State.OPEN and request.determinations.count() == before


def test_going_against_the_engine_is_the_city_attorneys(make_user: Callable[..., User]) -> None:
    request = _logged(make_user("records_clerk"))
    clerk = make_user("records_clerk")  # not the logger, who may release nothing anyway
    path = f"/data-requests/{request.reference}"
    page = _client(clerk).get(path).content.decode()
    assert EN["dr_against"] not in page  # the refusal the law points to is shown first
    page = _client(clerk).get(f"{path}?decide=release").content.decode()
    assert EN["dr_against"] in page and EN["dr_against_not_yours"] in page
    attorney = make_user("city_attorney")
    page = _client(attorney).get(f"{path}?decide=release").content.decode()
    assert EN["dr_reason_needed"] in page and 'name="released_file"' in page


def test_pause_resume_and_people(make_user: Callable[..., User]) -> None:
    clerk = make_user("records_clerk")
    other = make_user("supervisor")
    request = _logged(clerk)
    client = _client(clerk)
    path = f"/data-requests/{request.reference}"
    refused = client.post(f"{path}/pause", {"reason": ""})
    assert refused.status_code == 422 and EN["dr_refused_reason"] in refused.content.decode()
    assert client.post(f"{path}/pause", {"reason": "Waiting on the agency"}).status_code == 303
    assert EN["dr_standing_paused"] in client.get(path).content.decode()
    assert client.post(f"{path}/resume").status_code == 303
    same = client.post(f"{path}/people", {"owner": other.pk, "backup": other.pk})
    assert same.status_code == 422 and EN["dr_refused_backup"] in same.content.decode()
    assert client.post(f"{path}/people", {"owner": other.pk, "backup": clerk.pk}).status_code == 303
    request.refresh_from_db()
    assert (request.owner, request.backup) == (other, clerk)


def test_the_clock_names_the_holiday_it_skipped(make_user: Callable[..., User]) -> None:
    """Three business days from the Tuesday before Thanksgiving skip the holiday."""
    clerk = make_user("records_clerk")
    request = _logged(clerk, received_at="2026-11-24T10:00:00-07:00", deadline=None)
    text = _client(clerk).get(f"/data-requests/{request.reference}").content.decode()
    assert "2026-11-26 (Thanksgiving" in text
    assert request.deadline.isoformat() in text


def test_a_mixed_request_splits_and_is_released_in_part(
    make_user: Callable[..., User],
) -> None:
    """8 U.S.C. §1373 lets status information go; the address stays barred by C.R.S.
    24-74-102. The page splits them, and a release in part takes two people."""
    from eo152.datarequests.models import State

    request = _logged(make_user("records_clerk"), data_categories=["address", "immigration_status"])
    maker = make_user("records_clerk")
    path = f"/data-requests/{request.reference}"
    text = _client(maker).get(path).content.decode()
    assert EN["dr_headline_partial"] in text
    assert f"Immigration status: {EN['dr_split_permitted']}" in text
    assert f"Address: {EN['dr_split_prohibited']}" in text
    assert "8 U.S.C. §1373(a)" in text
    made = _client(maker).post(
        f"{path}/determine",
        {
            "kind": "partial",
            "bases": ["no-court-process", "status-information"],
            "released_categories": ["immigration_status"],
            "released_file": SimpleUploadedFile("status.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert made.status_code == 303, made.content.decode()[:3000]
    confirmed = _client(make_user("supervisor")).post(f"{path}/check")
    assert confirmed.status_code == 303
    request.refresh_from_db()
    assert (request.state, request.answer) == (State.CLOSED, "partial")


def test_a_release_sent_back_opens_the_request_again(make_user: Callable[..., User]) -> None:
    from eo152.datarequests.models import State

    request, _ = _release_request(make_user)
    path = f"/data-requests/{request.reference}"
    _client(make_user("records_clerk")).post(
        f"{path}/determine",
        {
            "kind": "release",
            "bases": ["court-process"],
            "released_file": SimpleUploadedFile("out.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    supervisor = _client(make_user("supervisor"))
    empty = supervisor.post(f"{path}/send-back", {"reason": ""})
    assert empty.status_code == 422 and EN["dr_refused_reason"] in empty.content.decode()
    back = supervisor.post(f"{path}/send-back", {"reason": "Wrong file attached"})
    assert back.status_code == 303
    request.refresh_from_db()
    assert request.state == State.OPEN
    assert "Wrong file attached" in supervisor.get(path).content.decode()


def test_an_extension_before_the_deadline_is_refused_on_the_page(
    make_user: Callable[..., User],
) -> None:
    clerk = make_user("records_clerk")
    request = _logged(clerk)
    path = f"/data-requests/{request.reference}"
    early = _client(clerk).post(
        f"{path}/determine",
        {"kind": "extend", "bases": ["more-time"], "new_deadline": "2026-11-21"},
    )
    assert early.status_code == 422
    assert EN["dr_refused_new_deadline"] in early.content.decode()
    assert 'id="determine-extend-form"' in early.content.decode()
    later = _client(clerk).post(
        f"{path}/determine",
        {"kind": "extend", "bases": ["more-time"], "new_deadline": "2026-12-18"},
    )
    assert later.status_code == 303
    request.refresh_from_db()
    assert request.deadline.isoformat() == "2026-12-18"


def test_an_answered_request_leads_with_the_citys_answer(make_user: Any) -> None:
    from django.test import Client

    from eo152.datarequests import services

    clerk = make_user("records_clerk")
    request = services.log_request(clerk, services.read_body(SUBPOENA))
    services.determine(clerk, request, services.Choice("refuse", ("no-court-process",)))
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/data-requests/{request.reference}").content.decode()
    lead = page.index("The City&#x27;s answer: Refuse.")
    assert lead < page.index("<h1")


def test_the_clock_names_the_holidays_it_skipped_in_the_pages_language(make_user: Any) -> None:
    """Received the day before Thanksgiving (2026-11-26, a Colorado legal holiday)."""
    from django.test import Client

    from eo152.datarequests import services

    clerk = make_user("records_clerk")
    body = {**SUBPOENA, "received_at": "2026-11-25T09:00:00-07:00", "deadline": None}
    request = services.log_request(clerk, services.read_body(body))
    client = Client()
    client.force_login(clerk)
    english = client.get(f"/data-requests/{request.reference}").content.decode()
    spanish = client.get(f"/data-requests/{request.reference}?lang=es").content.decode()
    assert "2026-11-26 (Thanksgiving Day)" in english
    assert "2026-11-26 (Día de Acción de Gracias)" in spanish


def test_a_release_waiting_for_a_check_leads_the_checkers_page(
    make_user: Any, tmp_path: Path
) -> None:
    from django.test import Client

    from eo152.datarequests import services

    logger, clerk, supervisor = (
        make_user("records_clerk"),
        make_user("records_clerk"),
        make_user("supervisor"),
    )
    body = {**SUBPOENA, "authority": {"kind": "court_issued_subpoena"}}
    request = services.log_request(logger, services.read_body(body))
    path = tmp_path / "answer.pdf"
    path.write_bytes(PDF_BYTES)
    services.determine_with_file(
        clerk, request, services.Choice("release", ("court-process",)), services.Upload(path)
    )
    pages = {}
    for who in (supervisor, clerk):
        client = Client()
        client.force_login(who)
        pages[who.role] = client.get(f"/data-requests/{request.reference}").content.decode()
    lead = "A release waits for you to check it."
    assert pages["supervisor"].index(lead) < pages["supervisor"].index("<h1")
    assert lead not in pages["records_clerk"], "its maker is not asked to check it"
