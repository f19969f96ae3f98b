"""The `callcheck` entry point starts with the garbage collector off and always turns it on."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from callcheck import launch


def test_a_command_runs_with_the_collector_turned_back_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    seen = []
    real = launch.collect_again

    def spy() -> None:
        seen.append(gc.isenabled())  # off until the command's arguments are read
        real()

    monkeypatch.setattr("callcheck.cli.collect_again", spy)
    monkeypatch.setattr(sys, "argv", ["callcheck", "--db", str(tmp_path / "c.json"), "list"])
    try:
        assert launch.main() == 0
        assert seen == [False] and gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
