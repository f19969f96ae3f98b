"""CLI commands over the database: --db, score --save, list, pending, show, delete, export, import."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from callcheck.session import Attempt, Session
from callcheck.store import Store
from callcheck.timing import Mark

from .conftest import ROOT
from .test_cli import run

EXAMPLE = ROOT / "docs" / "examples" / "call.json"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "callcheck.json"


def test_score_save_stores_a_finished_session(db: Path) -> None:
    code, out, err = run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    assert code == 0 and "saved as session" in err
    assert json.loads(out)["total"]["points"] == 92
    with Store(db) as store:
        (s,) = store.all()
        assert s.status == "finished" and s.result["total"]["points"] == 92
        assert s.header["tester"] == "王小明"
        assert s.attempts[0].marks  # a reconstructed timeline


def test_bad_input_with_save_stores_nothing(db: Path) -> None:
    code, out, _ = run(["--db", str(db), "score", "-", "--save"], '{"rubric": "telephone"}')
    assert code == 1 and out == ""
    assert not db.exists()


def test_db_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCHECK_DB", str(db))
    run(["score", str(EXAMPLE), "--save"])
    code, out, _ = run(["list"])
    assert code == 0 and len(out.splitlines()) == 1 and "92.0" in out


def test_list_prints_one_line_per_session(db: Path) -> None:
    for _ in range(3):
        run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    code, out, _ = run(["--db", str(db), "list"])
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert all("電話禮貌" in line and "基隆市選舉委員會 / 第一組" in line for line in lines)


def test_list_of_no_database_is_empty(db: Path) -> None:
    assert run(["--db", str(db), "list"]) == (0, "", "")


def pending_session(db: Path, start: str) -> Session:
    s = Session(rubric="telephone", rubric_version="105.1", rubric_sha256="",
                header={"agency": "基隆市政府", "unit": "民政處", "number": "02-2420-1122"})
    s.attempts = [Attempt(start, [Mark(0, "dial", "ivr")])]
    s.status = "pending_retest"
    s.due_at = pendulum.parse(start).add(minutes=10).isoformat()
    with Store(db) as store:
        store.save(s)
    return s


def test_pending_shows_due_time_in_taipei_and_whether_due(db: Path) -> None:
    pending_session(db, "2026-11-26T10:00:00+08:00")
    with pendulum.travel_to(pendulum.parse("2026-11-26T10:04:30+08:00"), freeze=True):
        _, out, _ = run(["--lang", "en", "--db", str(db), "pending"])
    assert "retest at 2026-11-26 10:10:00 +08:00" in out and "due in 5:30" in out
    with pendulum.travel_to(pendulum.parse("2026-11-26T02:11:00+00:00"), freeze=True):
        _, out, _ = run(["--lang", "en", "--db", str(db), "pending"])
    assert "due now" in out and "民政處" in out


def test_delete_needs_yes(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    sid = run(["--db", str(db), "list"])[1].split()[0]
    code, _, err = run(["--lang", "en", "--db", str(db), "delete", sid])
    assert code == 1 and "--yes" in err
    assert len(run(["--db", str(db), "list"])[1].splitlines()) == 1
    code, out, _ = run(["--lang", "en", "--db", str(db), "delete", sid, "--yes"])
    assert code == 0 and "deleted" in out
    assert run(["--db", str(db), "list"])[1] == ""


def test_show_prints_the_session(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    sid = run(["--db", str(db), "list"])[1].split()[0]
    code, out, _ = run(["--db", str(db), "show", sid])
    assert code == 0 and json.loads(out)["id"].startswith(sid)


def test_export_and_import_through_the_cli(db: Path, tmp_path: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    out_file = tmp_path / "e.json"
    code, _, err = run(["--db", str(db), "export", "-o", str(out_file), "--unit", "第一組"])
    assert code == 0 and "exported 1 sessions" in err
    other = tmp_path / "other.json"
    assert run(["--lang", "en", "--db", str(other), "import", str(out_file)])[1].startswith("1 added")
    assert run(["--lang", "en", "--db", str(other), "import", str(out_file)])[1].startswith("0 added, 1 already")
    code, out, _ = run(["--db", str(db), "export", "--format", "csv"])
    assert code == 0 and out.splitlines()[0].startswith("id,form,")


def test_export_rejects_a_bad_date(db: Path) -> None:
    code, out, err = run(["--db", str(db), "export", "--since", "yesterday"])
    assert code == 1 and out == "" and "--since" in err


def test_second_writer_is_refused_by_the_cli(db: Path) -> None:
    with Store(db):
        code, out, err = run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    assert code == 1 and "open for writing by" in err


def test_corrupt_database_stops_the_cli_naming_the_file(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_text("{broken", encoding="utf-8")
    code, out, err = run(["--db", str(db), "list"])
    assert code == 1 and str(db) in err and "has not been changed" in err
    assert db.read_text(encoding="utf-8") == "{broken"


def test_edit_records_a_revision_with_the_reason(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    sid = run(["--db", str(db), "list"])[1].split()[0]
    code, out, err = run(["--lang", "en", "--db", str(db), "edit", sid, "--set", "answers.1.3.4=true",
                          "--set", "notes.1.3.4=有說再見", "--reason", "重聽錄音", "--by", "李"])
    assert code == 0, err
    assert "score 94.0" in out
    with Store(db) as store:
        s = store.find(sid)
    rev = s.revisions[-1]
    assert (rev.by, rev.reason) == ("李", "重聽錄音")
    assert {"field": "answers.1.3.4", "old": False, "new": True} in rev.changes


def test_edit_without_reason_is_refused_and_changes_nothing(db: Path) -> None:
    run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    sid = run(["--db", str(db), "list"])[1].split()[0]
    code, _, err = run(["--lang", "en", "--db", str(db), "edit", sid, "--set", "answers.1.3.4=true",
                        "--reason", " "])
    assert code == 1 and "reason" in err
    code, _, err = run(["--lang", "en", "--db", str(db), "edit", sid, "--set", "answers.1.1.2=4",
                        "--reason", "x"])
    assert code == 1 and "answers.1.1.2" in err
    with Store(db) as store:
        assert store.find(sid).revisions == []


@pytest.mark.parametrize("target", ["callcheck.json", "callcheck.json.journal",
                                    "callcheck.json.bak1", "callcheck.json.lock",
                                    "callcheck.json.drafts/x.json", "link.json"])
def test_export_refuses_to_write_over_the_database(db: Path, target: str) -> None:
    for _ in range(2):
        run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    (db.parent / "link.json").symlink_to(db)
    files = {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()}
    code, out, err = run(["--db", str(db), "export", "-o", str(db.parent / target)])
    assert code == 1 and "is part of the database" in err
    assert {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()} == files


def test_a_compaction_that_fails_at_close_is_a_warning_after_a_save(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from callcheck import store as store_mod

    def full(path: Path, data: bytes) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_mod, "write_temp", full)
    code, out, err = run(["--db", str(db), "score", str(EXAMPLE), "--save"])
    assert code == 0 and "saved as session" in err
    assert "warning:" in err and "nothing is lost" in err and "the disk is full" in err
    monkeypatch.undo()
    assert len(run(["--db", str(db), "list"])[1].splitlines()) == 1
