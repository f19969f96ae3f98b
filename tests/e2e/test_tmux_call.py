"""End to end: the real `callcheck --db` in tmux, one whole call typed as a tester would."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from callcheck.store import Store

# Slow; needs tmux, which `.ci/run` installs when missing (a missing tmux fails, never skips).
pytestmark = [pytest.mark.slow]


def callcheck_command() -> list[str]:
    script = Path(sys.executable).with_name("callcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "callcheck"]


class Tmux:
    """One tmux session running the app, 120×36, driven by send-keys and read by capture-pane."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, *keys: str, pause: float = 0.25) -> None:
        for key in keys:  # one key (or one word) per call: a burst can read as a paste
            subprocess.run(["tmux", "send-keys", "-t", self.name, key], check=True)
            time.sleep(pause)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def wait_gone(self, timeout: float = 10.0) -> None:
        """Wait for the app to quit (its tmux session ends with it)."""
        end = time.monotonic() + timeout
        while self.running() and time.monotonic() < end:
            time.sleep(0.2)
        assert not self.running(), self.screen()

    def running(self) -> bool:
        return subprocess.run(["tmux", "has-session", "-t", self.name],
                              capture_output=True).returncode == 0


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[tuple[Tmux, Path]]:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed (.ci/run installs it: apt-get install tmux)")
    db = tmp_path / "callcheck.json"
    name = f"callcheck-e2e-{uuid.uuid4().hex[:8]}"
    command = " ".join([*callcheck_command(), "--db", str(db)])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "36",
                    "-e", "CALLCHECK_LANG=zh", command], check=True)
    session = Tmux(name)
    try:
        yield session, db
    finally:
        if session.running():
            subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def test_one_call_through_the_real_app_in_tmux(tmux: tuple[Tmux, Path]) -> None:
    t, db = tmux
    t.wait_for("新電話測試")
    t.send("n")
    t.wait_for("測試前設定")
    t.send("基隆市選舉委員會", "Tab", "第一組", "Tab", "02-2424-0000", "Tab", "王小明 [/]")
    t.send("C-s")  # through the switchboard, with a voice system and an operator
    shown = t.wait_for("撥號")
    assert "王小明 [/]" in shown
    t.send("Space", pause=1.0)
    t.send("a")
    t.wait_for("✓ 電話語音系統")
    t.send("1", "t")
    t.send("Space", pause=3.0)
    t.send("Space", pause=1.5)
    t.send("a")
    t.send(*"12345678")
    t.send("t", "Space")
    t.send("a")
    t.send("1", "2", "3", "4", "1")  # 2.3: 甲 first, then its band
    t.send("e")
    t.wait_for("按 Enter 進入評分")
    t.send("Enter")
    shown = t.wait_for("合計 100 / 100 分，得分 100.0")
    assert "總機人員接聽速度" in shown
    t.send("C-s")
    t.wait_for("未完成的測試")
    t.send("C-q")
    end = time.monotonic() + 10
    while t.running() and time.monotonic() < end:
        time.sleep(0.2)
    assert not t.running()

    with Store(db) as store:
        [session] = store.all()
        assert session.status == "finished" and store.drafts() == []
        assert session.header["tester"] == "王小明 [/]"
        assert session.result is not None and session.result["total"]["score"] == 100.0
        marks = session.attempts[0].marks
        assert [m.kind for m in marks] == ["dial", "ring", "answer", "transfer", "ring", "ring",
                                           "answer", "transfer", "ring", "answer", "hang_up"]
        ring, answer = marks[1], marks[2]
        # The keys were sent 1 s and 3 s apart: each mark carries its own key's time, so the
        # gaps show (lower bounds only: a loaded machine may deliver a key late, never early).
        assert answer.t - ring.t >= 0.5
        second_ring, third = marks[4], marks[5]
        assert third.t - second_ring.t >= 2.0
