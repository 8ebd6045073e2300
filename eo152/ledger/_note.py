"""Signed tree heads in the C2SP signed-note checkpoint format, with Ed25519 keys.

A checkpoint is three lines (origin, tree size, base64 root hash), eo152's one extension
line ``previous <size>`` (the size of the head the log signed before this one), a blank
line, and one signature line ``— <key name> <base64(key id || signature)>``. The key id is the first
four bytes of SHA-256(key name || 0x0A || 0x01 || public key), and keys travel as the
C2SP strings ``<name>+<hex id>+<base64(0x01 || key)>`` (verifier) and
``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`` (signer). Using the published
format means a checkpoint can be checked by tools that never heard of eo152.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ._errors import BadDocument, InvalidSignature

_ED25519 = b"\x01"
_SIGNATURE_PREFIX = "\u2014 "


def _check_name(name: str) -> None:
    if not name or "+" in name or any(c.isspace() for c in name):
        raise BadDocument(f"key name {name!r} must be non-empty, without spaces or '+'")


def key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + public_key).digest()[:4]


def _b64decode(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadDocument(f"{what} is not valid base64") from error
    # Base64 has spare bits in its last character; accept one spelling only, so that no
    # byte of a stored checkpoint can change without the change being noticed.
    if base64.b64encode(raw).decode() != text:
        raise BadDocument(f"{what} is not in canonical base64")
    return raw


@dataclass(frozen=True)
class Verifier:
    """A log's public key and name: what anyone needs to check its tree heads."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def encode(self) -> str:
        encoded = base64.b64encode(_ED25519 + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def decode(cls, text: str) -> Verifier:
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise BadDocument("a verifier key reads <name>+<hex key id>+<base64 key>")
        name, hex_id, encoded = parts
        _check_name(name)
        raw = _b64decode(encoded, "the verifier key")
        if len(raw) != 33 or raw[:1] != _ED25519:
            raise BadDocument("the verifier key is not an Ed25519 key")
        verifier = cls(name, raw[1:])
        if verifier.key_id.hex() != hex_id.lower():
            raise BadDocument("the verifier key's id does not match its name and key")
        return verifier

    def verify(self, text: str, signature: bytes) -> None:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text.encode())
        except _CryptoInvalidSignature as error:
            raise InvalidSignature(f"the signature by {self.name} does not match") from error


@dataclass(frozen=True)
class Signer:
    """A log's private key; kept in the data folder, readable only by its owner."""

    name: str
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> Signer:
        _check_name(name)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(name, seed)

    @property
    def verifier(self) -> Verifier:
        public = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return Verifier(self.name, public.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def encode(self) -> str:
        encoded = base64.b64encode(_ED25519 + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id.hex()}+{encoded}"

    @classmethod
    def decode(cls, text: str) -> Signer:
        parts = text.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise BadDocument("a signer key reads PRIVATE+KEY+<name>+<hex id>+<base64 key>")
        raw = _b64decode(parts[4], "the signer key")
        if len(raw) != 33 or raw[:1] != _ED25519:
            raise BadDocument("the signer key is not an Ed25519 key")
        _check_name(parts[2])
        return cls(parts[2], raw[1:])

    def sign(self, text: str) -> str:
        """A signed note: ``text`` (ending in a newline), a blank line, one signature line."""
        if not text.endswith("\n") or "\n\n" in text:
            raise ValueError("a note's text ends with one newline and has no blank line")
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(text.encode())
        line = base64.b64encode(self.verifier.key_id + signature).decode()
        return f"{text}\n{_SIGNATURE_PREFIX}{self.name} {line}\n"


def open_note(note: str, verifier: Verifier) -> str:
    """The text of a signed note once ``verifier``'s signature on it checks out."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise BadDocument("a signed note has its text, a blank line, then signature lines")
    text += "\n"
    for line in signatures[:-1].split("\n"):
        if not line.startswith(_SIGNATURE_PREFIX):
            raise BadDocument("a signature line starts with an em dash and a space")
        name, _, encoded = line[len(_SIGNATURE_PREFIX) :].partition(" ")
        raw = _b64decode(encoded, "a signature")
        if name == verifier.name and raw[:4] == verifier.key_id:
            verifier.verify(text, raw[4:])
            return text
    raise InvalidSignature(f"the note carries no signature by the key {verifier.name}")


@dataclass(frozen=True)
class Checkpoint:
    """The body of a signed tree head: origin, tree size and root hash.

    ``previous`` is the size of the head signed before it (None in heads signed before
    eo152 wrote it, and for an empty log's head): signed, so a head deleted from the
    sequence shows. It is a C2SP extension line, which tools that do not know it skip.
    """

    origin: str
    tree_size: int
    root_hash: bytes
    previous: int | None = None

    def text(self) -> str:
        root = base64.b64encode(self.root_hash).decode()
        extension = "" if self.previous is None else f"previous {self.previous}\n"
        return f"{self.origin}\n{self.tree_size}\n{root}\n{extension}"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or not re.fullmatch("0|[1-9][0-9]*", lines[1]):
            raise BadDocument("a checkpoint reads origin, tree size and root hash, one a line")
        root = _b64decode(lines[2], "the checkpoint's root hash")
        if len(root) != 32:
            raise BadDocument("the checkpoint's root hash is not 32 bytes")
        previous = _PREVIOUS.fullmatch(lines[3])
        return cls(lines[0], int(lines[1]), root, int(previous[1]) if previous else None)


_PREVIOUS = re.compile("previous (0|[1-9][0-9]*)")


def sign_checkpoint(
    signer: Signer, tree_size: int, root_hash: bytes, previous: int | None = None
) -> str:
    return signer.sign(Checkpoint(signer.name, tree_size, root_hash, previous).text())


def open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    """Check the signature, then read the tree head; the origin must be the key's name."""
    checkpoint = Checkpoint.parse(open_note(note, verifier))
    if checkpoint.origin != verifier.name:
        raise InvalidSignature(
            f"the checkpoint is for the log {checkpoint.origin!r}, not {verifier.name!r}"
        )
    return checkpoint
