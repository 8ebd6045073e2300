"""The account roles: CONTRACT.md's "People, actors and accounts", plus ``intake``.

``intake`` is a partner system's account (the Colorado Rapid Response Network hotline, a
City system): it files incidents through the API and reads back only what it filed. The
contract's table has no row for a machine; giving one an officer's role would let it read
what officers read.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor"
    INVESTIGATOR = "investigator", "Investigator"
    MONITOR = "monitor", "Office of the Independent Monitor"
    CITY_ATTORNEY = "city_attorney", "City Attorney's office"
    RECORDS_CLERK = "records_clerk", "Records clerk"
    ADMINISTRATOR = "administrator", "Administrator"
    INTAKE = "intake", "Partner system (files incidents)"
    PROSECUTOR = "prosecutor", "Prosecutor (Denver DA or Colorado AG)"


class Office(models.TextChoices):
    """The prosecutors a referral goes to; a prosecutor's account belongs to one."""

    DENVER_DA = "denver_da", "Denver District Attorney"
    COLORADO_AG = "colorado_ag", "Colorado Attorney General"


ROLES = tuple(role.value for role in Role)
