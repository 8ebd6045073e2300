"""An account is a person (or a partner system) with one role; a token lets it use the API
and the CLI. Only a token's SHA-256 is kept: the token itself is shown once."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import Office, Role


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    # A prosecutor's office: they see only the referrals sent to it.
    office = models.CharField(max_length=20, choices=Office.choices, blank=True)

    @property
    def actor(self) -> str:
        """How the ledger names this account: its number, never a person's name."""
        return f"account:{self.pk}"


class ApiToken(models.Model):
    token_id = models.CharField(max_length=16, unique=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="tokens")
    secret_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at",)
