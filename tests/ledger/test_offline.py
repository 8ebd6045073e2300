"""The offline checks need no database driver: a bundle and a receipt verify without them.

A defense attorney's laptop need not have sqlite3 or psycopg; the checks of docs/ledger.md
("How to check without eo152", "The export bundle") import neither.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from eo152.ledger import Ledger, LedgerSettings, MemoryStore, initialize

CHECK = """
import sys

DRIVERS = {"sqlite3", "_sqlite3", "psycopg", "psycopg_binary", "psycopg_c"}


class NoDrivers:
    # Ahead of every other finder: importing a database driver fails, as it would where
    # none is installed.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in DRIVERS:
            raise ImportError(f"{name} is not installed here")
        return None


sys.meta_path.insert(0, NoDrivers())

import json
from pathlib import Path

from eo152.ledger import Receipt, Verifier, open_store, verify_bundle, verify_receipt

bundle, key = Path(sys.argv[1]), Verifier.decode(sys.argv[2])
report = verify_bundle(bundle, key)
receipt = Receipt.from_json(json.loads(Path(sys.argv[3]).read_text()))
verify_receipt(receipt, key, file=Path(sys.argv[4]))
try:
    open_store("sqlite:///" + str(bundle / "would-be.sqlite3"))
except ImportError as error:
    blocked = str(error)
print(json.dumps([report.tree_size, report.files, blocked, sorted(DRIVERS & set(sys.modules))]))
"""


def test_a_bundle_and_a_receipt_verify_where_no_database_driver_can_be_imported(
    tmp_path: Path,
) -> None:
    settings = LedgerSettings(tmp_path / "data", "unused: the store is given")
    store = MemoryStore()
    initialize(settings, origin="eo152.test/ledger", log_store=store)
    ledger = Ledger.open(settings, store)
    statement = tmp_path / "statement.txt"
    statement.write_bytes(b"a written statement")
    _, receipt = ledger.add_evidence(statement, "officer-1", "I-1")
    ledger.export(tmp_path / "bundle", with_files=True, actor="records-1", recipient="Denver DA")
    key = ledger.signer.verifier.encode()
    ledger.close()
    (tmp_path / "receipt.json").write_text(json.dumps(receipt.to_dict()))

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            CHECK,
            str(tmp_path / "bundle"),
            key,
            str(tmp_path / "receipt.json"),
            str(statement),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    size, files, blocked, imported = json.loads(result.stdout)
    assert (size, files) == (2, 1)  # the file's registration and the export's own entry
    assert blocked == "sqlite3 is not installed here"  # the blocker did block
    assert imported == []
