"""Reference numbers and follow-up codes a person can read aloud and type on a phone.

Crockford's base-32 alphabet: no I, L, O or U, and what a person types for them (O for 0,
I or L for 1) is read as meant. A reference names the report; the follow-up code (60
bits) proves the person holding it filed it. Only the code's SHA-256, bound to its
reference, is stored.

A public report's code is not drawn at random but made from its draft's token (192 random
bits that only the resident's browser holds once the draft is filed) with the server's
key: a second submit of the same draft (a double tap, a reload after a lost answer) shows
the same code again, and the code is never kept, in the database, the session or a cache.
"""

from __future__ import annotations

import hashlib
import hmac
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


def followup_code_for(draft_token: str, key: str) -> str:
    """The follow-up code of the draft ``draft_token`` (60 bits of an HMAC-SHA256)."""
    digest = hmac.new(key.encode(), f"followup:{draft_token}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big") >> 4  # 60 bits: 12 characters of 5 bits
    characters = [ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(12))]
    return "-".join("".join(characters[i : i + 4]) for i in range(0, 12, 4))


def draft_digest(draft_token: str) -> str:
    """What the incident keeps of its draft's token: enough to know a second submit."""
    return hashlib.sha256(f"draft:{draft_token}".encode()).hexdigest()


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
