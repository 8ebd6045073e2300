"""Every permission in the project, in one table of ``rules`` predicates.

Pages, API endpoints and CLI commands all ask ``user.has_perm(name, record)`` (through
:func:`require`); none decides on a role by itself. ``tests/accounts/test_permissions.py``
walks every (role, page or endpoint, action) against this table.

Records are passed duck-typed (``filed_by_id``, ``assigned_investigator_id``) so this module
needs no app's models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from .roles import Role

# rules ships without type hints: its two entry points, typed once here.
_predicate: Callable[..., Any] = rules.predicate  # type: ignore[attr-defined]
_add_perm: Callable[[str, Any], None] = rules.add_perm  # type: ignore[attr-defined]


def _role_in(*roles: Role) -> Any:
    names = frozenset(role.value for role in roles)

    def has_role(user: Any) -> bool:
        return bool(getattr(user, "is_active", False) and getattr(user, "role", None) in names)

    return _predicate(has_role, name=f"role in {sorted(names)}")


@_predicate
def filed_it(user: Any, record: Any) -> bool:
    return record is not None and record.filed_by_id == user.pk


@_predicate
def assigned_to_it(user: Any, record: Any) -> bool:
    return record is not None and record.assigned_investigator_id == user.pk


@_predicate
def sent_to_their_office(user: Any, referral: Any) -> bool:
    return (
        referral is not None
        and referral.sent_at is not None
        and bool(user.office)
        and referral.office == user.office
    )


officer = _role_in(Role.OFFICER)
prosecutor = _role_in(Role.PROSECUTOR)
intake = _role_in(Role.INTAKE)
supervisor = _role_in(Role.SUPERVISOR)
investigator = _role_in(Role.INVESTIGATOR)
# The Monitor reads everything, changes nothing; the City Attorney reviews.
reads_every_incident = _role_in(
    Role.SUPERVISOR, Role.INVESTIGATOR, Role.MONITOR, Role.CITY_ATTORNEY
)
desk = _role_in(Role.RECORDS_CLERK, Role.SUPERVISOR, Role.CITY_ATTORNEY)
files_incidents = _role_in(Role.OFFICER, Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE)

PERMISSIONS: dict[str, Any] = {
    # Filing through the officer's form or the API (the public form needs no account).
    "incidents.file": files_incidents,
    # The list of incidents: each role sees what incidents.view lets it open.
    "incidents.list": files_incidents | reads_every_incident,
    "incidents.view": reads_every_incident | ((officer | intake) & filed_it),
    # A confidential reporter's name and how to reach them: the assigned investigator only.
    # The same goes for a public photo as taken (its metadata can say where the reporter was).
    "incidents.view_contact": investigator & assigned_to_it,
    "incidents.view_original": investigator & assigned_to_it,
    # Facts established later, and who works the incident.
    "incidents.change": investigator | supervisor,
    "incidents.assign": supervisor,
    "incidents.be_assigned": investigator,
    # Triage and the case (eo152/incidents/workflow.py).
    "incidents.triage": investigator | supervisor,
    "incidents.verify": investigator | supervisor,
    "incidents.open_investigation": investigator | supervisor,
    "incidents.investigate": (investigator & assigned_to_it) | supervisor,
    "incidents.close": investigator | supervisor,
    "incidents.add_evidence": investigator | supervisor | ((officer | intake) & filed_it),
    # Who read or changed an incident, from the ledger: the Monitor's question, and the
    # supervisor's.
    "incidents.audit": _role_in(Role.MONITOR, Role.SUPERVISOR),
    # Referrals (eo152/referrals): made by the case's investigator or a supervisor, signed
    # off by another person (the service refuses the maker), sent after the sign-off.
    "referrals.create": (investigator & assigned_to_it) | supervisor,
    "referrals.sign_off": investigator | supervisor,
    "referrals.send": (investigator & assigned_to_it) | supervisor,
    "referrals.list": reads_every_incident | prosecutor,
    # A prosecutor sees a referral once it is sent to their office, and nothing else.
    "referrals.view": reads_every_incident | (prosecutor & sent_to_their_office),
    "referrals.export": _role_in(Role.INVESTIGATOR, Role.SUPERVISOR, Role.MONITOR)
    | (prosecutor & sent_to_their_office),
    "referrals.acknowledge": prosecutor & sent_to_their_office,
    # The data-request desk (eo152/datarequests): records clerks log and answer, a
    # supervisor or the City Attorney checks a release (the service refuses its maker and
    # the request's logger), the City Attorney alone goes against the engine or answers an
    # open question; the Monitor reads all but whom a request concerns.
    "data_requests.log": desk,
    "data_requests.list": desk | _role_in(Role.MONITOR),
    "data_requests.view": desk | _role_in(Role.MONITOR),
    "data_requests.view_concerning": desk,
    "data_requests.determine": desk,
    "data_requests.make_release": _role_in(Role.RECORDS_CLERK, Role.CITY_ATTORNEY),
    "data_requests.check": _role_in(Role.SUPERVISOR, Role.CITY_ATTORNEY),
    "data_requests.go_against_engine": _role_in(Role.CITY_ATTORNEY),
    "data_requests.manage": desk,
    "data_requests.letter": desk,
    # The account for the City Attorney and Council (through the Monitor's office).
    "data_requests.account": _role_in(Role.CITY_ATTORNEY, Role.MONITOR, Role.SUPERVISOR),
    # Tabletop exercises (eo152/exercises): trainers open and run them and write their
    # reports; players join with a code and need no account.
    "exercises.facilitate": _role_in(Role.SUPERVISOR, Role.CITY_ATTORNEY, Role.ADMINISTRATOR),
    # Accounts and tokens: the administrator, who reads no incident.
    "accounts.manage": _role_in(Role.ADMINISTRATOR),
}

for _name, _predicate_of_permission in PERMISSIONS.items():
    _add_perm(_name, _predicate_of_permission)


def require(user: Any, permission: str, record: Any = None) -> None:
    """Raise PermissionDenied unless ``user`` holds ``permission`` (on ``record``)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"no permission named {permission!r}")
    if not user.has_perm(permission, record):
        raise PermissionDenied(permission)
