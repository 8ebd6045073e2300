"""Signed tree heads in the C2SP signed-note and checkpoint formats."""

from __future__ import annotations

import pytest

from eo152.ledger import BadDocument, Checkpoint, InvalidSignature, Signer, Verifier
from eo152.ledger._note import open_checkpoint, open_note, sign_checkpoint

# The example note and key of the Go reference implementation of signed notes
# (golang.org/x/mod/sumdb/note, note_test.go), which the C2SP signed-note spec follows.
GO_VERIFIER_KEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
GO_NOTE = (
    "This is an example message.\n\n"
    "\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3"
    "mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_a_note_signed_by_the_go_reference_implementation_opens() -> None:
    verifier = Verifier.decode(GO_VERIFIER_KEY)
    assert verifier.encode() == GO_VERIFIER_KEY
    assert open_note(GO_NOTE, verifier) == "This is an example message.\n"


def test_a_changed_note_text_fails_its_signature() -> None:
    verifier = Verifier.decode(GO_VERIFIER_KEY)
    with pytest.raises(InvalidSignature):
        open_note(GO_NOTE.replace("example message", "example massage"), verifier)


def test_keys_round_trip_through_their_c2sp_strings() -> None:
    signer = Signer.generate("eo152.test/ledger")
    assert Signer.decode(signer.encode()) == signer
    assert Verifier.decode(signer.verifier.encode()) == signer.verifier
    assert signer.encode().startswith("PRIVATE+KEY+eo152.test/ledger+")


def test_a_checkpoint_reads_origin_size_and_base64_root() -> None:
    signer = Signer.generate("eo152.test/ledger")
    note = sign_checkpoint(signer, 7, bytes(range(32)))
    body, _, signature = note.partition("\n\n")
    assert body.split("\n") == [
        "eo152.test/ledger",
        "7",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    ]
    assert signature.startswith("\u2014 eo152.test/ledger ")
    assert open_checkpoint(note, signer.verifier) == Checkpoint(
        "eo152.test/ledger", 7, bytes(range(32))
    )


def test_a_checkpoint_signed_by_another_key_is_refused() -> None:
    ours, theirs = Signer.generate("eo152.test/ledger"), Signer.generate("eo152.test/ledger")
    with pytest.raises(InvalidSignature):
        open_checkpoint(sign_checkpoint(theirs, 1, bytes(32)), ours.verifier)


def test_a_checkpoint_with_a_changed_size_is_refused() -> None:
    signer = Signer.generate("eo152.test/ledger")
    note = sign_checkpoint(signer, 5, bytes(32)).replace("\n5\n", "\n6\n", 1)
    with pytest.raises(InvalidSignature):
        open_checkpoint(note, signer.verifier)


@pytest.mark.parametrize(
    "key",
    [
        "",
        "no-plus-signs",
        "name+00000000+AAAA",
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
    ],
)
def test_a_malformed_verifier_key_is_bad_input(key: str) -> None:
    with pytest.raises(BadDocument):
        Verifier.decode(key)
