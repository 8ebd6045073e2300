"""A federal request for City data, the files that came with it or left in answer, and the
people's determinations beside the engine's findings.

The request keeps the least that answers it: who asked, for what kinds of data, on what
legal process, by when; ``concerning`` (the records or person asked about) is free text
kept to the minimum and emptied once the request is closed. No one's immigration status
or citizenship is ever stored: the categories say only that it was asked for.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    PORTAL = "portal", "Records portal"
    SHARED_SYSTEM = "shared_system", "Query from a shared system"
    CONTRACT = "contract_or_tool", "A contract or tool"


class State(models.TextChoices):
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In legal review"
    AWAITING_CHECK = "awaiting_check", "Waiting for a second person"
    CLOSED = "closed", "Answered"


class Kind(models.TextChoices):
    """What people decide: the three answers, and the two ways to take more time."""

    REFUSE = "refuse", "Refuse"
    PARTIAL = "partial", "Release in part"
    RELEASE = "release", "Release"
    REVIEW = "review", "Send to legal review"
    EXTEND = "extend", "Extend the deadline"


#: The determinations that answer the request (the others keep it open).
ANSWERS = frozenset({Kind.REFUSE, Kind.PARTIAL, Kind.RELEASE})
#: The determinations that let data leave: two people, and the released file's hash.
RELEASES = frozenset({Kind.PARTIAL, Kind.RELEASE})


class Status(models.TextChoices):
    PROPOSED = "proposed", "Waiting for a second person"
    CONFIRMED = "confirmed", "In force"
    RETURNED = "returned", "Sent back"


class FileRole(models.TextChoices):
    PROCESS = "process", "Legal process presented"
    RELEASED = "released", "File released"


class DataRequest(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    agencies = models.JSONField()  # the contract's agency codes
    component = models.CharField(max_length=120, blank=True)  # "ERO Denver Field Office"
    official = models.CharField(max_length=120, blank=True)  # who signed or asked
    purpose = models.CharField(max_length=30)  # the contract's agents.purpose
    received_at = models.DateTimeField()
    data_categories = models.JSONField()  # the contract's data categories
    authority = models.JSONField()  # the contract's authority object (kind, form)
    process_issuer = models.CharField(max_length=200, blank=True)
    process_date = models.DateField(null=True, blank=True)
    concerning = models.TextField(blank=True)
    concerning_removed_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField()
    external_id = models.CharField(max_length=100, blank=True)
    state = FSMField(max_length=20, choices=State.choices, default=State.OPEN)
    answer = models.CharField(max_length=10, choices=Kind.choices, blank=True)
    situation = models.JSONField()
    findings = models.JSONField()  # the engine's decision JSON on the whole request
    split = models.JSONField()  # each data category alone: {category: {outcome, rules...}}
    # Other legal process that would change the answer: [{kind, outcome}].
    changes_with = models.JSONField(default=list)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=200, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    receipt = models.JSONField()  # the ledger receipt of the request's logging
    # The history keeps who changed what, never whom a request concerns: emptying
    # ``concerning`` must leave no copy behind.
    history = HistoricalRecords(
        excluded_fields=["situation", "findings", "split", "changes_with", "receipt", "concerning"]
    )

    class Meta:
        ordering = ("-received_at", "-id")

    def __str__(self) -> str:
        return self.reference

    @cached_property
    def share_data(self) -> dict[str, Any] | None:
        """The engine's duty on sharing this request's data, as the findings hold it."""
        for duty in self.findings.get("duties", []):
            if duty["actor"] == "city_agencies" and duty["action"] == "share_data":
                return dict(duty)
        return None

    @transition(field=state, source=[State.OPEN, State.IN_REVIEW], target=State.IN_REVIEW)
    def send_to_review(self) -> None:
        """The City Attorney's office decides."""

    @transition(field=state, source=[State.OPEN, State.IN_REVIEW], target=State.AWAITING_CHECK)
    def propose_release(self) -> None:
        """Someone made a release; a second person must check it."""

    @transition(field=state, source=State.AWAITING_CHECK, target=State.OPEN)
    def send_back(self) -> None:
        """The second person did not agree; it is open again."""

    @transition(
        field=state, source=[State.OPEN, State.IN_REVIEW, State.AWAITING_CHECK], target=State.CLOSED
    )
    def close(self) -> None:
        """Answered: refused, released or released in part."""


class RequestFile(models.Model):
    """A file of the request, kept in the evidence store: the process presented, or the
    exact file released."""

    request = models.ForeignKey(DataRequest, on_delete=models.PROTECT, related_name="files")
    role = models.CharField(max_length=10, choices=FileRole.choices)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    label = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    receipt = models.JSONField()

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("request", "role", "sha256"), name="one_file_per_role"),
        )


class Determination(models.Model):
    """The people's choice, beside the engine's findings, from the catalogue of bases."""

    request = models.ForeignKey(
        DataRequest, on_delete=models.PROTECT, related_name="determinations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    bases = models.JSONField()  # codes from bases.yaml
    released_categories = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    released_file = models.ForeignKey(
        RequestFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_deadline = models.DateField(null=True, blank=True)
    against_engine = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=200, blank=True)
    receipt = models.JSONField()

    class Meta:
        ordering = ("id",)
