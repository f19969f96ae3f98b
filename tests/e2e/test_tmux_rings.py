"""End to end in tmux: one ring marked and a late answer score the implied ring count."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from callcheck.store import Store

from .test_tmux_call import Tmux, tmux  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.slow]


def test_a_late_answer_after_one_marked_ring_scores_the_implied_rings(
        tmux: tuple[Tmux, Path]) -> None:  # noqa: F811
    t, db = tmux
    t.wait_for("新電話測試")
    t.send("n")
    t.wait_for("測試前設定")
    t.send("基隆市選舉委員會", "Tab", "第一組", "Tab", "02-2424-0000", "Tab", "王小明")
    t.send("C-s")
    t.wait_for("撥號")
    t.send("Space", "a")
    t.wait_for("✓ 電話語音系統")
    t.send("1", "t", "Space", "a")
    t.send(*"12345678")
    t.send("t")
    t.send("Space", pause=13.0)  # one ring marked, then 13 s of ringing nobody marks
    t.send("a")
    shown = t.wait_for("計分依推算聲數")
    assert re.search(r"已接聽：標記 1 聲，依 1[234]\.\d 秒推算 5 聲", shown), shown
    t.send("1", "2", "3", "4", "1")  # 2.3: 甲 first, then its band
    t.send("e")
    t.wait_for("按 Enter 進入評分")
    t.send("Enter")
    shown = t.wait_for("合計 99 / 100 分")  # 10 without the rule: 1 ring is within 4
    for _ in range(11):  # down to 2.1.1
        t.send("Down", pause=0.1)
    shown = t.wait_for("鈴響與秒數不符")
    assert "計分依推算聲數" in shown
    t.send("C-s")
    t.wait_for("未完成的測試")
    t.send("C-q")
    end = time.monotonic() + 10
    while t.running() and time.monotonic() < end:
        time.sleep(0.2)

    with Store(db) as store:
        [session] = store.all()
        item = session.result["items"]["2.1.1"]  # type: ignore[index]
        assert item["points"] == 9
        assert re.search(r"標記 1 聲，依 1[234]\.\d 秒推算 5 聲", item["note"])
        assert re.search(r"1 ring marked, 5 implied by 1[234]\.\d s", item["note_en"])
