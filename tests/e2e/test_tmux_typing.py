"""End to end in a real terminal: Chinese typed a word at a time, Tab/Backspace/Enter at once.

Each burst is one `tmux send-keys -l` (one write to the terminal, as an IME commits a word),
so the app reads words and the keys after them together.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from callcheck.store import Store

from . import test_tmux_call
from .test_tmux_call import Tmux

pytestmark = test_tmux_call.pytestmark  # slow; needs tmux
tmux = test_tmux_call.tmux  # the fixture: the real app in a 120×36 tmux session

TAB, BACKSPACE, ENTER = "\t", "\x7f", "\r"


def burst(t: Tmux, text: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", t.name, "-l", text], check=True)


def test_setup_typed_in_bursts_stores_each_field_whole(tmux: tuple[Tmux, Path]) -> None:
    t, db = tmux
    t.wait_for("新電話測試")
    t.send("n")
    t.wait_for("測試前設定")
    burst(t, "基隆市政府" + TAB + "民政處" + ENTER + "02-2424-0000" + TAB
          + "王小明" + BACKSPACE * 3 + "督導林主任" + ENTER)
    t.wait_for("督導林主任")
    t.send("C-s")
    t.wait_for("鈴響")  # the live call's keys
    t.send("C-q")
    t.wait_gone()

    with Store(db) as store:
        [draft] = store.drafts()
        assert {k: draft.header.get(k) for k in ("agency", "unit", "number", "tester")} == {
            "agency": "基隆市政府", "unit": "民政處", "number": "02-2424-0000",
            "tester": "督導林主任"}
