"""The human-readable output of the commands speaks the language of `--lang` / $CALLCHECK_LANG."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from callcheck.cli import main
from callcheck.session import Attempt, Session
from callcheck.store import Store
from callcheck.timing import Mark
from callcheck.words import WORDS, pad, width

from .conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "call.json"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CALLCHECK_LANG", raising=False)
    path = tmp_path / "callcheck.json"
    assert main(["--db", str(path), "score", str(EXAMPLE), "--save"]) == 0
    pending = Session(rubric="telephone", rubric_version="105.1", rubric_sha256="",
                      header={"agency": "基隆市政府\x1b[2J", "unit": "民政處"})
    pending.attempts = [Attempt("2026-11-26T10:00:00+08:00", [Mark(0, "dial", "ivr")])]
    pending.status = "pending_retest"
    pending.due_at = "2026-11-26T10:10:00+08:00"
    draft = Session(rubric="telephone", rubric_version="105.1", rubric_sha256="",
                    header={"agency": "基隆市政府", "unit": "社會處"})
    draft.attempts = [Attempt("2026-11-26T11:00:00+08:00", [Mark(0, "dial", "ivr")])]
    with Store(path) as store:
        store.save(pending)
        store.save_draft(draft)
    return path


def out_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


def test_list_names_the_statuses_in_chinese_by_default(db: Path, capsys) -> None:
    out = out_of(capsys, ["--db", str(db), "list"])
    lines = out.splitlines()
    assert len(lines) == 3
    assert sum(" 已完成 " in line for line in lines) == 1
    assert sum(" 待重測 " in line for line in lines) == 1
    assert sum(" 草稿 " in line for line in lines) == 1
    assert "finished" not in out and "pending_retest" not in out and "draft" not in out


def test_list_names_the_statuses_in_english_with_lang_en(db: Path, capsys) -> None:
    out = out_of(capsys, ["--lang", "en", "--db", str(db), "list"])
    for status in ("finished", "waiting for a retest", "draft"):
        assert sum(f" {status} " in line for line in out.splitlines()) == 1, status
    assert "已完成" not in out and "待重測" not in out and "草稿" not in out


def test_list_names_the_form_by_its_title_in_the_lists_language(db: Path, tmp_path: Path,
                                                                 capsys) -> None:
    """The form column reads 電話禮貌 / Telephone courtesy, from the rubric file, not the id."""
    for lang, title in (("zh", "電話禮貌"), ("en", "Telephone courtesy")):
        lines = out_of(capsys, ["--lang", lang, "--db", str(db), "list"]).splitlines()
        assert lines and all(f"  {title} " in line for line in lines), (lang, lines)
        assert not any(" telephone " in line for line in lines), lang
    renamed = tmp_path / "rubrics"
    renamed.mkdir()
    text = (ROOT / "rubrics" / "telephone.toml").read_text(encoding="utf-8")
    (renamed / "telephone.toml").write_text(text.replace('title = "電話禮貌"', 'title = "電話測試"'),
                                            encoding="utf-8")
    out = out_of(capsys, ["--rubrics", str(renamed), "--db", str(db), "list"])
    assert " 電話測試 " in out and "電話禮貌" not in out


def test_list_follows_callcheck_lang(db: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CALLCHECK_LANG", "en")
    assert " waiting for a retest " in out_of(capsys, ["--db", str(db), "list"])
    assert " 待重測 " in out_of(capsys, ["--lang", "zh", "--db", str(db), "list"])


def test_list_columns_line_up_in_terminal_columns_in_both_languages(db: Path, capsys) -> None:
    for lang in ("zh", "en"):
        lines = out_of(capsys, ["--lang", lang, "--db", str(db), "list"]).splitlines()
        ends = set()
        for line in lines:  # where the score (92.0, or — when none) ends, in columns
            token = "92.0" if "92.0" in line else "—"
            ends.add(width(line[:line.index(token) + len(token)]))
        assert len(ends) == 1, (lang, lines)


def test_pending_says_due_now_and_the_retest_time_in_both_languages(db: Path, capsys) -> None:
    with pendulum.travel_to(pendulum.parse("2026-11-26T10:04:30+08:00"), freeze=True):
        zh = out_of(capsys, ["--db", str(db), "pending"])
        en = out_of(capsys, ["--lang", "en", "--db", str(db), "pending"])
    assert "重測時間 2026-11-26 10:10:00 +08:00" in zh and "還要 5:30" in zh
    assert "retest at 2026-11-26 10:10:00 +08:00" in en and "due in 5:30" in en
    with pendulum.travel_to(pendulum.parse("2026-11-26T10:11:00+08:00"), freeze=True):
        zh = out_of(capsys, ["--db", str(db), "pending"])
        en = out_of(capsys, ["--lang", "en", "--db", str(db), "pending"])
    assert " 可重測 " in zh and "due" not in zh
    assert " due now " in en and "可重測" not in en


def test_pending_and_list_show_control_characters_visibly(db: Path, capsys) -> None:
    for command in ("pending", "list"):
        out = out_of(capsys, ["--db", str(db), command])
        assert "\x1b" not in out and "基隆市政府" in out, command


def test_the_app_and_the_command_line_read_one_words_table() -> None:
    """No second table: the screens' keys and the CLI's statuses are entries of callcheck.words."""
    import importlib.util

    import callcheck.ui.bindings

    assert callcheck.ui.bindings.WORDS is WORDS
    assert importlib.util.find_spec("callcheck.ui.strings") is None
    assert {"status.draft", "status.pending_retest", "status.finished", "home.due_now",
            "key.note", "cli.deleted"} <= set(WORDS)


def test_pad_counts_chinese_characters_as_two_columns() -> None:
    assert pad("草稿", 8) == "草稿    " and pad("draft", 8) == "draft   "


def test_import_summary_in_both_languages(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("CALLCHECK_LANG", raising=False)
    source, export, other = (tmp_path / n for n in ("a.json", "out.json", "b.json"))
    assert main(["--db", str(source), "score", str(EXAMPLE), "--save"]) == 0
    assert main(["--db", str(source), "export", "-o", str(export)]) == 0
    assert out_of(capsys, ["--db", str(other), "import", str(export)]).strip() == "新增 1 筆，0 筆已存在"
    again = ["--lang", "en", "--db", str(other), "import", str(export)]
    assert out_of(capsys, again).strip() == "0 added, 1 already there"
