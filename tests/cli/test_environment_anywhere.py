"""Issue 11: an environmental error in any command (not only the ledger's) says what is wrong
and what to do, with exit status 3, instead of "internal error"."""

from __future__ import annotations

import errno

import pytest

from eo152 import cli


@pytest.mark.parametrize(
    ("code", "advice"),
    [(errno.ENOSPC, "Free some space"), (errno.EACCES, "Run eo152 as the user who owns")],
)
def test_an_environmental_error_anywhere_exits_3_with_what_to_do(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int, advice: str
) -> None:
    def broken() -> None:
        raise OSError(code, "the machine said no")

    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as exit_status:
        cli.main()
    assert exit_status.value.code == 3
    error = capsys.readouterr().err
    assert advice in error and "internal error" not in error


def test_any_other_error_is_still_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise RuntimeError("a defect")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("EO152_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_status:
        cli.main()
    assert exit_status.value.code == 1
    assert "internal error: a defect" in capsys.readouterr().err
