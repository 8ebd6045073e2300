"""A referral: a fixed snapshot of a case sent to one prosecutor's office.

The snapshot is taken when the referral is made and never changes: later work on the case
does not alter what the reviewer signed off on or what was sent. The maker and the checker
are different people (services.sign_off refuses the maker).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from ..accounts.roles import Office
from ..incidents.models import Evidence, Incident


class State(models.TextChoices):
    DRAFT = "draft"
    SIGNED_OFF = "signed_off"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"


class Language(models.TextChoices):
    EN = "en"
    ES = "es"


class Referral(models.Model):
    reference = models.CharField(max_length=16, unique=True)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="referrals")
    office = models.CharField(max_length=20, choices=Office.choices)
    offense = models.CharField(max_length=40)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    state = FSMField(max_length=20, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    receipt = models.JSONField()  # the ledger receipt of the referral's making
    history = HistoricalRecords(excluded_fields=["snapshot", "receipt"])

    class Meta:
        ordering = ("-id",)

    def __str__(self) -> str:
        return self.reference

    @transition(field=state, source=State.DRAFT, target=State.SIGNED_OFF)
    def sign_off(self) -> None:
        """A second person checked the snapshot."""

    @transition(field=state, source=State.SIGNED_OFF, target=State.SENT)
    def send(self) -> None:
        """It left for the office."""

    @transition(field=state, source=State.SENT, target=State.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        """The office said it arrived."""


class ReferralEvidence(models.Model):
    """A file of the incident chosen for the referral; ``do_not_disclose`` keeps it out of
    every packet (it stays on the City's side, counted but not named)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="items")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="+")
    do_not_disclose = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(fields=("referral", "evidence"), name="one_item_per_file"),
        )
