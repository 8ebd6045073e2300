"""Reference numbers and follow-up codes a person can read aloud and type on a phone.

Crockford's base-32 alphabet: no I, L, O or U, and what a person types for them (O for 0,
I or L for 1) is read as meant. A reference names the report; the follow-up code (60
random bits) proves the person holding it filed it. Only the code's SHA-256, bound to its
reference, is stored.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _groups(count: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(count))


def new_reference() -> str:
    """``EO-7KQ4-M2XP``: 40 random bits, so references cannot be walked in order."""
    return f"EO-{_groups(2)}"


def new_followup_code() -> str:
    """``K7Q2-9MZD-4TXA``: 60 random bits."""
    return _groups(3)


def normalized(text: str) -> str:
    """What a person typed, as the code or reference it stands for (case, spaces, dashes)."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_READ_AS)
    if compact.startswith("E0"):  # the "EO-" prefix, its O read as a zero above
        compact = "EO" + compact[2:]
    return compact


def reference_form(text: str) -> str:
    """A typed reference in its stored form (``eo 7kq4 m2xp`` → ``EO-7KQ4-M2XP``)."""
    compact = normalized(text)
    if compact.startswith("EO") and len(compact) == 10:
        return f"EO-{compact[2:6]}-{compact[6:]}"
    return compact


def followup_digest(reference: str, code: str) -> str:
    return hashlib.sha256(f"{reference}:{normalized(code)}".encode()).hexdigest()
