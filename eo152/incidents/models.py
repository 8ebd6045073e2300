"""One incident record for the three doors (public form, officer form, API).

Privacy by design: no column can hold immigration status or citizenship; a public report
keeps no address, browser or precise time (``filed_at`` is empty, ``filed_on`` is the day);
a confidential reporter's contact sits in its own table that only the assigned
investigator's pages read.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords


class Source(models.TextChoices):
    PUBLIC = "public"
    OFFICER = "officer"
    HOTLINE = "hotline"
    SYSTEM = "system"


class State(models.TextChoices):
    """Where an incident is: received → triaged → verified (by two people) → investigation
    opened → referred; closed with a reason from any of them (transitions in workflow.py)."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    VERIFIED = "verified"
    INVESTIGATION_OPENED = "investigation_opened"
    REFERRED = "referred"
    CLOSED = "closed"


class ClosedReason(models.TextChoices):
    RESOLVED = "resolved"
    DUPLICATE = "duplicate"
    NO_VIOLATION = "no_violation"
    NOT_ENOUGH_INFORMATION = "not_enough_information"
    OUTSIDE_JURISDICTION = "outside_jurisdiction"
    WITHDRAWN = "withdrawn"


class Reporting(models.TextChoices):
    ANONYMOUS = "anonymous"  # no contact kept; the reporter learns the status only
    CONFIDENTIAL = "confidential"  # contact kept, shown to the assigned investigator only
    ON_DUTY = "on_duty"  # an officer or partner system filing under its account


class BodyCamera(models.TextChoices):
    RECORDING = "recording"
    OFF = "off"
    NONE = "none"
    UNKNOWN = "unknown"


class Incident(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    # Changed only by the transitions below, which workflow.py calls with the permission
    # checked and the change logged. (Not ``protected``: that breaks refresh_from_db.)
    state = FSMField(max_length=24, choices=State.choices, default=State.RECEIVED)
    closed_reason = models.CharField(max_length=24, choices=ClosedReason.choices, blank=True)
    reporting = models.CharField(max_length=12, choices=Reporting.choices)
    situation = models.JSONField()
    narrative = models.TextField(blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    filed_on = models.DateField()
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    external_id = models.CharField(max_length=100, null=True, blank=True)
    assigned_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    followup_sha256 = models.CharField(max_length=64, blank=True)
    # A public report's draft, as a hash of its token: one incident per draft, however many
    # times it is sent (see codes.py).
    draft_sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True)
    body_camera = models.CharField(max_length=10, choices=BodyCamera.choices, blank=True)
    body_camera_clips = models.JSONField(default=list)
    language = models.CharField(max_length=2, default="en")
    record_sha256 = models.CharField(max_length=64)
    receipt = models.JSONField()
    # Triage: the same event reported again (closed as a duplicate of the first), or related.
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    linked = models.ManyToManyField("self", blank=True, symmetrical=True)
    # Who changed what, when and why (each transition's reason). A public report's own row
    # is dated to the day (services.file_incident sets its history date).
    history = HistoricalRecords(excluded_fields=["receipt", "followup_sha256", "draft_sha256"])

    class Meta:
        ordering = ("-id",)
        constraints = (
            # The API's idempotency: one incident per (account, external_id).
            models.UniqueConstraint(
                fields=("filed_by", "external_id"),
                condition=models.Q(external_id__isnull=False),
                name="one_incident_per_external_id",
            ),
        )

    def __str__(self) -> str:
        return self.reference

    # -- transitions (django-fsm): what may follow what ------------------------------------

    @transition(field=state, source=State.RECEIVED, target=State.TRIAGED)
    def triage(self) -> None:
        """Read, linked to related reports; not yet verified."""

    @transition(field=state, source=State.TRIAGED, target=State.VERIFIED)
    def verify(self) -> None:
        """Two different people have confirmed it (workflow.verify counts them)."""

    @transition(field=state, source=State.VERIFIED, target=State.INVESTIGATION_OPENED)
    def open_investigation(self) -> None:
        """A case with its tasks is opened."""

    @transition(field=state, source=State.INVESTIGATION_OPENED, target=State.REFERRED)
    def refer(self) -> None:
        """A referral was sent to a prosecutor."""

    @transition(
        field=state,
        source=[
            State.RECEIVED,
            State.TRIAGED,
            State.VERIFIED,
            State.INVESTIGATION_OPENED,
            State.REFERRED,
        ],
        target=State.CLOSED,
    )
    def close(self) -> None:
        """Closed with a reason (closed_reason)."""


class Contact(models.Model):
    """A confidential reporter's way back: shown to the assigned investigator only."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.CharField(max_length=254, blank=True)


class Personnel(models.Model):
    """Agents or officers present, as observed: agency, unit, badge, vehicle plate."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="personnel")
    agency = models.CharField(max_length=20)
    unit = models.CharField(max_length=100, blank=True)
    badge = models.CharField(max_length=40, blank=True)
    plate = models.CharField(max_length=20, blank=True)
    plate_state = models.CharField(max_length=2, blank=True)
    description = models.CharField(max_length=300, blank=True)


class Finding(models.Model):
    """The engine's decision on the incident's facts, kept with the policy that made it.

    A new finding is added whenever the facts or the policy change; the latest is current.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="findings")
    situation = models.JSONField()
    decision_json = models.TextField()  # the contract's decision JSON, as the engine wrote it
    policy = models.JSONField()
    decided_on = models.DateField()
    decided_at = models.DateTimeField(null=True, blank=True)  # empty for a public filing

    class Meta:
        ordering = ("-id",)
        get_latest_by = "id"

    @cached_property
    def decision(self) -> dict[str, Any]:
        """The decision JSON, read."""
        parsed: dict[str, Any] = json.loads(self.decision_json)
        return parsed


class Evidence(models.Model):
    """A file in the ledger's evidence store, linked to the incident with its receipt.

    ``shown_sha256`` is what viewers get: the file itself, or for a public photo a copy
    with its EXIF and location metadata removed (logged as a derivation).
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")
    sha256 = models.CharField(max_length=64)
    shown_sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=255)
    label = models.CharField(max_length=200, blank=True)
    added_on = models.DateField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    receipt = models.JSONField()

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("incident", "sha256"), name="one_link_per_file"),
        )


class Verification(models.Model):
    """One person's word that the incident happened as reported (two make it verified)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="verifications")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    how = models.CharField(max_length=300)

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("incident", "by"), name="one_verification_each"),
        )


class Investigation(models.Model):
    """The case opened on a verified incident: tasks, notes, a timeline, a due date."""

    incident = models.OneToOneField(
        Incident, on_delete=models.CASCADE, related_name="investigation"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    history = HistoricalRecords()


class Task(models.Model):
    """One step of the case (from the template, or added): done by whom, when, with a note."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=40)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("id",)


class Note(models.Model):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ("id",)


class TimelineEvent(models.Model):
    """Something that happened, when it happened (as established), in the case's own words."""

    investigation = models.ForeignKey(
        Investigation, on_delete=models.CASCADE, related_name="timeline"
    )
    happened_at = models.DateTimeField()
    what = models.CharField(max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("happened_at", "id")
