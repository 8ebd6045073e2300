"""The demo's federal data requests: one in every state the desk knows, each taken through
the service as the people of the demo would (so the ledger holds every step).

Loading again adds only what is missing: a request is found again by its external id.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from ..accounts.models import User
from . import services
from .clock import add_business_days
from .models import DataRequest

#: A one-page PDF: the paper a demo request came with, or the file a demo release sent.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n"
    b"%% {what}\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoRequest:
    key: str
    body: dict[str, Any]
    days_ago: int
    logged_by: str
    #: What happens next: refuse, release (made, checked), partial, review, propose, pause.
    then: str = ""
    bases: tuple[str, ...] = ()
    released: tuple[str, ...] = ()
    #: A written reason: the City Attorney's, where the people go against the engine.
    reason: str = ""


REQUESTS = (
    DemoRequest(
        "DR-1",
        {
            "agencies": ["ICE_ERO"],
            "component": "ERO Denver Field Office",
            "purpose": "civil_immigration",
            "channel": "in_person",
            "data_categories": ["address"],
            "authority": {"kind": "administrative_subpoena", "form": "I-138"},
            "process": {"issuer": "ICE ERO Denver Field Office"},
            "concerning": "One library patron's home address (card number on the subpoena)",
        },
        days_ago=12,
        logged_by="records_clerk",
        then="refuse",
        bases=("no-court-process",),
    ),
    DemoRequest(
        "DR-2",
        {
            "agencies": ["ICE_HSI"],
            "component": "HSI Denver",
            "purpose": "criminal_immigration",
            "channel": "email",
            "data_categories": ["criminal_history"],
            "authority": {"kind": "court_issued_subpoena"},
            "process": {"issuer": "U.S. District Court for the District of Colorado"},
            "concerning": "Municipal court record of one defendant named in the subpoena",
        },
        days_ago=9,
        logged_by="supervisor",
        then="release",
        bases=("court-process",),
    ),
    DemoRequest(
        "DR-3",
        {
            "agencies": ["ICE_ERO"],
            "purpose": "civil_immigration",
            "channel": "email",
            "data_categories": ["immigration_status", "address"],
            "authority": {"kind": "none"},
            "concerning": "A recreation-center member: status and address",
        },
        days_ago=8,
        logged_by="supervisor",
        then="partial",
        bases=("status-information", "no-court-process"),
        released=("immigration_status",),
    ),
    DemoRequest(
        "DR-4",
        {
            "agencies": ["ICE_HSI"],
            "purpose": "unknown",
            "channel": "contract_or_tool",
            "data_categories": ["technology_agreement"],
            "authority": {"kind": "administrative_subpoena"},
            "concerning": "License-plate reader data-sharing agreement offered to Public Works",
        },
        days_ago=5,
        logged_by="records_clerk",
        then="review",
        bases=("open-question",),
    ),
    DemoRequest(
        "DR-5",
        {
            "agencies": ["FBI"],
            "purpose": "non_immigration",
            "channel": "portal",
            "data_categories": ["contact"],
            "authority": {"kind": "court_order"},
            "process": {"issuer": "Denver District Court"},
            "concerning": "Contact details of one permit holder named in the order",
        },
        days_ago=3,
        logged_by="supervisor",
        then="propose",
        bases=("court-process",),
    ),
    DemoRequest(
        "DR-8",
        {
            "agencies": ["ICE_ERO"],
            "component": "ERO Denver Field Office",
            "purpose": "civil_immigration",
            "channel": "email",
            "data_categories": ["release_date"],
            "authority": {"kind": "administrative_subpoena", "form": "I-138"},
            "process": {"issuer": "ICE ERO Denver Field Office"},
            "concerning": "Release date of one person named in the subpoena",
        },
        days_ago=15,
        logged_by="records_clerk",
        then="release",
        bases=("court-process",),
        reason=(
            "A federal court ordered the City to comply with this subpoena. The order is"
            " attached to the request; the City Attorney releases only what it covers."
        ),
    ),
    DemoRequest(
        "DR-6",
        {
            "agencies": ["CBP"],
            "purpose": "civil_immigration",
            "channel": "phone",
            "data_categories": ["release_date"],
            "authority": {"kind": "unknown"},
            "concerning": "Release date of one person held at the Downtown Detention Center",
        },
        days_ago=10,
        logged_by="records_clerk",
    ),
    DemoRequest(
        "DR-7",
        {
            "agencies": ["ICE_ERO"],
            "purpose": "unknown",
            "channel": "shared_system",
            "data_categories": ["contact"],
            "authority": {"kind": "unknown"},
            "concerning": "Phone number of one shelter guest",
        },
        days_ago=2,
        logged_by="records_clerk",
        then="pause",
    ),
)


def _pdf(folder: Path, name: str, what: str) -> Path:
    path = folder / name
    path.write_bytes(_PDF.replace(b"{what}", what.encode("ascii")))
    return path


def load(users: dict[str, User]) -> tuple[list[str], bool]:
    """Every demo request, taken as far as its spec says; (references, whether any was new)."""
    references, added = [], False
    for spec in REQUESTS:
        external_id = f"DEMO-{spec.key}"
        found = DataRequest.objects.filter(external_id=external_id).first()
        if found is None:
            found = _log(spec, external_id, users)
            added = True
        references.append(found.reference)
    return references, added


def _log(spec: DemoRequest, external_id: str, users: dict[str, User]) -> DataRequest:
    received = timezone.localtime() - timedelta(days=spec.days_ago)
    received = received.replace(hour=10, minute=5, second=0, microsecond=0)
    received = min(received, timezone.localtime() - timedelta(hours=1))
    body = {
        **spec.body,
        "received_at": received.isoformat(),
        "external_id": external_id,
        "deadline": add_business_days(received.date(), 3).isoformat(),
    }
    clerk, supervisor, attorney = (
        users["records_clerk"],
        users["supervisor"],
        users["city_attorney"],
    )
    with tempfile.TemporaryDirectory(prefix="eo152-demo-dr-") as name:
        folder = Path(name)
        document = None
        if spec.body["authority"]["kind"] not in ("none", "unknown"):
            document = services.Upload(
                _pdf(folder, "process.pdf", "legal process"), "application/pdf", "as served"
            )
        request = services.log_request(users[spec.logged_by], services.read_body(body), document)
        if spec.then == "refuse":
            services.determine(supervisor, request, services.Choice("refuse", spec.bases))
        elif spec.then == "review":
            services.determine(clerk, request, services.Choice("review", spec.bases))
        elif spec.then == "pause":
            services.pause(clerk, request, "waiting for the agency to send its legal process")
        elif spec.then in ("release", "partial", "propose"):
            answer = services.add_file(
                clerk,
                request,
                "released",
                services.Upload(_pdf(folder, "answer.pdf", "records released"), "application/pdf"),
            )
            kind = "partial" if spec.then == "partial" else "release"
            services.determine(
                attorney if spec.reason else clerk,
                request,
                services.Choice(
                    kind,
                    spec.bases,
                    released_categories=spec.released,
                    released_sha256=answer.sha256,
                    reason=spec.reason,
                ),
            )
            if spec.then != "propose":
                services.check(supervisor if spec.reason else attorney, request)
    request.refresh_from_db()
    return request
