"""The desk's reports: a request's letter (PDF), the account for the City Attorney, the
Monitor and supervisors (with its CSV), and the public tally anyone may read and recount.

Each page is a thin front end: the letter is letter.py's, the account's numbers are
account.py's, the tally's are tally.py's counted over the site's ledger.
"""

from __future__ import annotations

import csv
import hashlib
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from ..accounts.permissions import require
from ..contract.vocabulary import label
from ..incidents.services import IntakeRefused
from ..incidents.staff_views import _user, signed_in
from ..services.records import log_read
from ..web.errors import error_page
from ..web.language import language_of
from ..web.texts import TEXTS
from . import account as accounts
from . import services
from .findings import engine_answer
from .letter import letter_pdf
from .models import DataRequest
from .tally import ANSWERS, JQ_BY_AGENCY

#: How long the counts of one state of the ledger are kept (a new entry makes a new key).

#: The recount, command by command (docs/data-requests.md says the same).
CHECK_COMMANDS = {
    "export": "eo152 ledger export DIR",
    "verify": "eo152 ledger verify --bundle DIR --key '<the published key>'",
    "count": "eo152 data-requests tally --entries DIR/entries.jsonl",
    "jq": JQ_BY_AGENCY,
}


# -- the letter -------------------------------------------------------------------------


@never_cache
@require_GET  # a HEAD would log a read that sent nothing
@signed_in
def letter(request: HttpRequest, reference: str) -> HttpResponse:
    user = _user(request)
    try:
        found = services.open_request(user, reference)
    except DataRequest.DoesNotExist:
        raise Http404(reference) from None
    require(user, "data_requests.letter", found)
    try:
        pdf = letter_pdf(found)
    except IntakeRefused:
        texts = TEXTS[language_of(request)]
        return error_page(
            request, 409, texts["letter_no_determination_title"], texts["letter_no_determination"]
        )
    shown = {"letter_sha256": hashlib.sha256(pdf).hexdigest()}
    log_read(services.RECORD_TYPE, found.reference, shown, "letter", user.actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.reference}-letter.pdf"'
    return response


# -- the account ------------------------------------------------------------------------


def _period(request: HttpRequest) -> accounts.Period:
    return accounts.period_of(request.GET.get("from", ""), request.GET.get("to", ""))


@never_cache
@require_safe
@signed_in
def account_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "data_requests.account")
    lang = language_of(request)
    texts = TEXTS[lang]
    values = {name: request.GET.get(name, "") for name in ("from", "to")}
    try:
        period = _period(request)
    except IntakeRefused as refused:
        key = "account_error_order" if refused.field == "range" else "account_error_date"
        anchor = "from" if refused.field == "range" else refused.field
        error = {"field": anchor, "anchor": anchor, "message": texts[key]}
        refusal = {"nav": "data_requests", "values": values, "errors": [error], "error": error}
        return render(request, "datarequests/account.html", refusal, status=422)
    found = accounts.account(user, period)
    context: dict[str, Any] = {
        "nav": "data_requests",
        "values": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "errors": [],
        "range": texts["account_range"].format(
            start=period.start.isoformat(), end=period.end.isoformat(), count=len(found.requests)
        ),
        "tables": [
            (texts["account_by_agency"], _labelled(found.by_agency, "agents.agencies", lang)),
            (
                texts["account_by_category"],
                _labelled(found.by_category, "requests[].data_categories", lang),
            ),
            (texts["account_by_process"], _labelled(found.by_process, "authority.kind", lang)),
            (
                texts["account_by_answer"],
                [(texts[f"account_answer_{key}"], n) for key, n in found.by_answer.items()],
            ),
        ],
        "deadlines": [
            (texts["account_overdue"], [_deadline_row(item, texts) for item in found.overdue]),
            (texts["account_due"], [_deadline_row(item, texts) for item in found.due]),
        ],
        "disagreements": [
            {
                "reference": item.request.reference,
                "engine": texts[f"account_engine_{engine_answer(item.request.split)}"],
                "determination": texts[f"account_kind_{item.kind}"],
                "status": texts[f"account_status_{item.status}"],
                "reason": item.reason,
                "made_by": item.made_by.get_username(),
                "checked_by": item.checked_by.get_username() if item.checked_by else "",
            }
            for item in found.disagreements
        ],
    }
    return render(request, "datarequests/account.html", context)


def _labelled(counts: dict[str, int], path: str, lang: str) -> list[tuple[str, int]]:
    return [(label(f"{path}={code}", lang), n) for code, n in counts.items()]


def _deadline_row(request: DataRequest, texts: dict[str, str]) -> dict[str, str]:
    return {
        "reference": request.reference,
        "deadline": request.deadline.isoformat(),
        "state": texts[f"account_state_{request.state}"],
    }


@never_cache
@require_GET  # a HEAD would log an export that sent nothing
@signed_in
def account_csv(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require(user, "data_requests.account")
    try:
        period = _period(request)
    except IntakeRefused as refused:
        return HttpResponse(
            f"{refused.field}: {refused}\n", status=422, content_type="text/plain; charset=utf-8"
        )
    rows = accounts.csv_rows(accounts.received_in(user, period))
    log_read(services.RECORD_TYPE, f"account:{period.start}:{period.end}", rows, "csv", user.actor)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="data-requests-{period.start}-{period.end}.csv"'
    )
    writer = csv.DictWriter(response, fieldnames=accounts.CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return response


# -- the public tally -------------------------------------------------------------------


@require_safe
def tally_page(request: HttpRequest) -> HttpResponse:
    lang = language_of(request)
    texts = TEXTS[lang]
    counted, size = services.site_tally()
    months = texts["decision_months"].split()
    context: dict[str, Any] = {
        "nav": "",
        "counted": counted,
        "entries": size,
        "size": texts["resident_tally_size"].format(size=size),
        "answers": [
            (texts[f"resident_tally_{kind}"], counted["answered"][kind]) for kind in ANSWERS
        ],
        "tables": [
            (
                texts["resident_tally_by_agency"],
                _labelled(counted["by_agency"], "agents.agencies", lang),
            ),
            (
                texts["resident_tally_by_category"],
                _labelled(counted["by_category"], "requests[].data_categories", lang),
            ),
            (
                texts["resident_tally_by_process"],
                _labelled(counted["by_process"], "authority.kind", lang),
            ),
            (
                texts["resident_tally_by_month"],
                [
                    (f"{months[int(month[5:7]) - 1]} {month[:4]}", n)
                    for month, n in counted["by_month"].items()
                ],
            ),
        ],
        "commands": CHECK_COMMANDS,
    }
    return render(request, "datarequests/tally.html", context)
