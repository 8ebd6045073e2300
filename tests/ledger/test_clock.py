"""An implausible clock (before EO 152 existed, or far past the latest entry) stops an
append with a loud warning, and nothing false is logged or stored."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from eo152.ledger import ClockImplausible, CustodyEvent, Ledger, LedgerSettings, _ledger
from eo152.ledger._clock import AHEAD_LIMIT, ORDER_ENACTED
from eo152.services import custody

from .conftest import Eo152

INSTRUMENT = Path(__file__).parents[2] / "eo152/policies/denver-eo-152/instrument.yaml"


def _clock_reads(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    text = when.isoformat().replace("+00:00", "Z")
    monkeypatch.setattr(_ledger, "now", lambda: text)
    monkeypatch.setattr(custody, "now", lambda: text)


def test_the_order_date_is_the_one_the_policy_gives() -> None:
    enacted = yaml.safe_load(INSTRUMENT.read_text("utf-8"))["enacted"]
    assert enacted == ORDER_ENACTED == date(2026, 2, 26)


def test_a_clock_before_the_order_logs_and_stores_nothing(
    ledger: Ledger,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _clock_reads(monkeypatch, datetime(2019, 6, 1, tzinfo=UTC))
    (tmp_path / "a.txt").write_text("a statement")
    with (
        caplog.at_level(logging.WARNING, "eo152.ledger"),
        pytest.raises(ClockImplausible, match="before Executive Order 152 existed"),
    ):
        ledger.add_evidence(tmp_path / "a.txt", "officer-1")
    assert "nothing logged: the system clock says 2019-06-01" in caplog.text  # the service's log
    assert ledger.log.tree_size == 0
    assert list(ledger.store.digests()) == []


def test_a_clock_far_past_the_latest_entry_is_refused_unless_confirmed(
    ledger: Ledger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("a statement")
    evidence, receipt = ledger.add_evidence(tmp_path / "a.txt", "officer-1")
    latest = datetime.fromisoformat(json.loads(receipt.entry)["at"])
    _clock_reads(monkeypatch, latest + AHEAD_LIMIT - timedelta(minutes=1))
    ledger.record(CustodyEvent("viewed", evidence.sha256, "officer-1", _ledger.now()))
    _clock_reads(monkeypatch, latest + 2 * AHEAD_LIMIT)
    with pytest.raises(ClockImplausible, match="more than 366 days after the latest entry"):
        ledger.record(CustodyEvent("viewed", evidence.sha256, "officer-1", _ledger.now()))
    assert ledger.log.tree_size == 2
    confirmed = Ledger(
        LedgerSettings(ledger.settings.data_dir, "", clock_confirmed=True),
        ledger.log.store,
        ledger.signer,
    )
    confirmed.record(CustodyEvent("viewed", evidence.sha256, "officer-1", _ledger.now()))
    assert ledger.log.tree_size == 3


@pytest.mark.parametrize("when", ["before the order", "far ahead"])
def test_the_cli_says_the_clock_is_wrong_and_exits_3(
    eo152: Eo152, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    (tmp_path / "a.txt").write_text("a statement")
    receipt = json.loads(eo152("evidence", "add", tmp_path / "a.txt", "--json")[1])
    latest = datetime.fromisoformat(json.loads(receipt["entry"])["at"])
    wrong = (
        datetime(2001, 1, 1, tzinfo=UTC)
        if when == "before the order"
        else latest.replace(year=2040)
    )
    _clock_reads(monkeypatch, wrong)
    code, _, err = eo152("evidence", "view", receipt["sha256"])
    assert code == 3, err
    assert f"the system clock says {wrong.year}" in err and "Set the clock" in err
    assert "internal error" not in err
    monkeypatch.undo()
    assert json.loads(eo152("ledger", "head", "--json")[1])["tree_size"] == 1
