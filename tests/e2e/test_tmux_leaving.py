"""End to end in tmux: a call started by mistake is discarded; a form left mid-way resumes."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from callcheck.store import Store

from . import test_tmux_call
from .test_tmux_call import Tmux, callcheck_command

pytestmark = test_tmux_call.pytestmark  # slow; needs tmux


@contextmanager
def app_in_tmux(db: Path) -> Iterator[Tmux]:
    name = f"callcheck-e2e-{uuid.uuid4().hex[:8]}"
    command = " ".join([*callcheck_command(), "--db", str(db)])
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "36",
                    "-e", "CALLCHECK_LANG=zh", command], check=True)
    t = Tmux(name)
    try:
        yield t
    finally:
        if t.running():
            subprocess.run(["tmux", "kill-session", "-t", name], check=False)


def test_discard_a_call_then_leave_a_form_and_resume_it(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    with app_in_tmux(db) as t:
        t.wait_for("新電話測試")
        t.send("Enter")  # nothing picked yet: no new test by surprise
        t.wait_for("請先用 ↑↓ 選擇")
        t.send("n")
        t.wait_for("測試前設定")
        t.send("撥錯的機關", "Tab", "第一組", "Tab", "02-0000-0000", "Tab", "王小明")
        t.send("C-s")
        t.wait_for("鈴響")
        t.send("Space")
        t.send("C-d")
        t.wait_for("放棄這通測試？")
        t.send("Tab", "Enter")  # from 取消 to 放棄
        t.wait_for("已放棄這通測試")
        shown = t.wait_for("未完成的測試")
        assert "撥錯的機關" not in shown
        t.send("Down", "Down", "Down", "Enter")
        t.wait_for("提供候選人登記服務")
        t.send("基隆市中正區公所", "Tab", "民政課")
        t.wait_for("民政課")
        t.send("Escape")
        t.wait_for("已存為草稿")
        t.send("C-q")
        t.wait_gone()
    with Store(db) as store:
        [draft] = store.drafts()
        assert draft.rubric == "registration" and store.count() == 0
        assert draft.header["unit"] == "民政課"
    with app_in_tmux(db) as t:
        shown = t.wait_for("基隆市中")  # (cut short at 80 columns)
        assert "c 繼續未完成" in shown.replace("  ", " ")
        t.send("c")
        shown = t.wait_for("評核日期")
        assert "民政課" in shown
        t.send("C-q")
        t.wait_gone()
