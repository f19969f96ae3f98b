"""The store: round trips, durability, refusals, drafts, backups."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest

from callcheck import session as session_mod
from callcheck import store as store_mod
from callcheck.session import Session
from callcheck.store import (
    SessionNotFound,
    Store,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreWriteError,
)

from .crash_child import make


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "callcheck.json"


@pytest.fixture
def store(db: Path) -> Any:
    s = Store(db)
    yield s
    s.close()


def plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("rev", "updated_at")}


def test_saved_session_comes_back_equal(store: Store) -> None:
    s = make(1, 1)
    store.save(s)
    assert store.get(s.id) == s
    assert store.find(s.id[:8]).id == s.id
    assert store.count() == 1


def test_saving_again_replaces_and_keeps_one_copy(store: Store) -> None:
    s = make(1, 1)
    store.save(s)
    s.notes = {"1.3.1": "改過"}
    store.save(s)
    assert store.count() == 1
    assert store.get(s.id).notes == {"1.3.1": "改過"}


def test_data_survives_close_and_reopen_as_readable_utf8(db: Path) -> None:
    with Store(db) as store:
        for n in range(3):
            store.save(make(n, 1))
    year = db.with_name(db.name + ".parts") / "2026.json"
    text = year.read_text(encoding="utf-8")
    assert "基隆市選舉委員會" in text and "\\u" not in text
    assert len(json.loads(text)["sessions"]) == 3
    with Store(db) as store:
        assert store.count() == 3


def test_a_saves_journal_line_is_the_json_older_callcheck_wrote(store: Store,
                                                                 db: Path) -> None:
    """`put` assembles the journal line from each document's bytes: the same bytes
    json.dumps gives for the whole entry, so any callcheck replays it."""
    first, second = make(1, 1), make(2, 1)
    store.insert_many([first, second])
    store.delete(first.id)
    journal = db.with_name(db.name + ".parts") / "journal"
    lines = journal.read_bytes().split(b"\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        entry = json.loads(line)
        assert line == json.dumps(entry, ensure_ascii=False).encode("utf-8")
    added = json.loads(lines[0])["ops"]
    assert [(op["id"], op["part"], op["doc"]) for op in added] == \
        [(s.id, "2026", s.to_doc()) for s in (first, second)]
    assert json.loads(lines[1])["ops"] == [{"id": first.id, "part": None, "doc": None}]


def test_data_survives_reopen_without_close(db: Path) -> None:
    """The journal alone carries saves made before a crash (no compaction ran)."""
    store = Store(db)
    store.save(make(1, 1))
    store._release_lock()  # as if the process had died: no close, no compaction
    with Store(db) as again:
        assert plain(again.get(make(1, 1).id).to_doc()) == plain(make(1, 1).to_doc())


def test_unknown_session_is_named(store: Store) -> None:
    with pytest.raises(SessionNotFound, match="nope"):
        store.get("nope")
    with pytest.raises(SessionNotFound):
        store.find("zzz")


def test_ambiguous_prefix_is_refused(store: Store) -> None:
    a, b = make(1, 1), make(2, 1)
    store.save(a), store.save(b)
    with pytest.raises(SessionNotFound, match="matches 2"):
        store.find("0000")


def test_delete_removes_the_session(store: Store) -> None:
    s = make(1, 1)
    store.save(s)
    store.delete(s.id)
    assert s.id not in store and store.count() == 0


def test_pending_lists_retests_soonest_first(store: Store) -> None:
    late, soon = make(1, 1), make(2, 1)
    for s, due in ((late, "2026-11-26T10:20:00+08:00"), (soon, "2026-11-26T10:10:00+08:00")):
        s.status, s.due_at = "pending_retest", due
        store.save(s)
    store.save(make(3, 1))
    assert [s.id for s in store.pending()] == [soon.id, late.id]


def test_settings_are_remembered(db: Path) -> None:
    with Store(db) as store:
        store.set_setting("tester", "王小明")
        store.set_setting("tester", "李大華")
    with Store(db) as store:
        assert store.get_setting("tester") == "李大華"
        assert store.get_setting("missing", "x") == "x"


def test_second_writer_is_refused_naming_the_holder(store: Store, db: Path) -> None:
    with pytest.raises(StoreLocked) as info:
        Store(db)
    assert str(__import__("os").getpid()) in str(info.value)
    assert str(db) in str(info.value)


def test_reader_may_open_while_a_writer_holds_it(store: Store, db: Path) -> None:
    store.save(make(1, 1))
    reader = Store(db, readonly=True)
    assert reader.count() == 1
    with pytest.raises(StoreError, match="read-only"):
        reader.save(make(2, 1))


def test_corrupt_year_file_is_refused_and_left_untouched(db: Path) -> None:
    with Store(db) as store:
        store.save(make(1, 1))
    with Store(db) as store:
        store.save(make(2, 1))  # the second close makes a backup of the year
    year = db.with_name(db.name + ".parts") / "2026.json"
    year.write_bytes(b'{"sessions": {"1": {"id": ')
    store = Store(db)
    with pytest.raises(StoreCorrupt) as info:
        store.get(make(1, 1).id)
    assert "2026.json.bak1" in str(info.value) and str(year) in str(info.value)
    store.save(make(3, 1))
    with pytest.raises(StoreCorrupt):
        store.close()  # the compaction would need the damaged year: it stops
    assert year.read_bytes() == b'{"sessions": {"1": {"id": '


def test_corrupt_main_file_is_refused_and_left_untouched(db: Path) -> None:
    with Store(db) as store:
        store.set_setting("tester", "王小明")
    with Store(db) as store:
        store.set_setting("tester", "李大華")  # the second close makes a backup
    db.write_bytes(b'{"settings": {"1": {"key": ')
    before = db.read_bytes()
    with pytest.raises(StoreCorrupt) as info:
        Store(db)
    assert db.read_bytes() == before
    assert "callcheck.json.bak1" in str(info.value)
    assert str(db) in str(info.value)


def test_corrupt_journal_line_in_the_middle_is_refused(db: Path) -> None:
    store = Store(db)
    store.save(make(1, 1))
    store.save(make(2, 1))
    store._release_lock()
    journal = db.with_name(db.name + ".parts") / "journal"
    lines = journal.read_bytes().split(b"\n")
    journal.write_bytes(b"\n".join([b"garbage", *lines[1:]]))
    again = Store(db)  # opening reads nothing of the sessions; their first use does
    with pytest.raises(StoreCorrupt, match="line 1"):
        again.count()
    with pytest.raises(StoreCorrupt, match="line 1"):
        again.save(make(3, 1))
    again.close()
    assert journal.read_bytes().startswith(b"garbage")


@pytest.mark.parametrize("line", [b'{"ops": []}', b'{"seq": 1, "ops": [{"id": 7}]}', b"[]"])
def test_a_sessions_journal_line_that_parses_but_is_no_entry_is_refused(db: Path,
                                                                       line: bytes) -> None:
    """Whatever its place, a whole line that is JSON but not an entry is no torn write:
    it is refused naming the line (the sessions' journal is read as the main file's)."""
    store = Store(db)
    store.save(make(1, 1))
    store._release_lock()
    journal = db.with_name(db.name + ".parts") / "journal"
    before = journal.read_bytes() + line + b"\n"
    journal.write_bytes(before)
    again = Store(db)
    with pytest.raises(StoreCorrupt, match="line 2 is not a journal entry"):
        again.count()
    with pytest.raises(StoreCorrupt, match="line 2"):
        again.pending()
    again.close()
    assert journal.read_bytes() == before


def test_torn_last_journal_line_is_ignored_and_overwritten(db: Path) -> None:
    store = Store(db)
    store.save(make(1, 1))
    store._release_lock()
    journal = db.with_name(db.name + ".parts") / "journal"
    journal.write_bytes(journal.read_bytes() + b'{"seq": 9, "ops": [{"id": "9", "do')
    with Store(db) as again:
        assert again.count() == 1
        again.save(make(2, 1))
        assert again.count() == 2
    with Store(db) as third:
        assert third.count() == 2


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO])
def test_failed_write_leaves_the_database_as_it_was(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                    err: int) -> None:
    store = Store(db)
    kept = make(1, 1)
    store.save(kept)
    changed = make(1, 2)
    changed.rev = kept.rev

    def full(fd: int, data: bytes) -> None:
        raise OSError(err, __import__("os").strerror(err))

    monkeypatch.setattr(store_mod, "_write_all", full)
    with pytest.raises(StoreWriteError, match="as it was"):
        store.save(changed)
    with pytest.raises(StoreWriteError):
        store.save(make(5, 1))
    assert plain(store.get(kept.id).to_doc()) == plain(kept.to_doc())
    assert store.count() == 1
    monkeypatch.undo()
    store.save(make(6, 1))  # the store still works once the disk has room
    store.close()
    with Store(db) as again:
        assert again.count() == 2
        assert plain(again.get(kept.id).to_doc()) == plain(kept.to_doc())


def test_failed_fsync_is_reported_and_undone(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(db)
    store.save(make(1, 1))

    def broken(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(store_mod.os, "fsync", broken)
    with pytest.raises(StoreWriteError, match="Input/output error"):
        store.save(make(2, 1))
    monkeypatch.undo()
    assert store.count() == 1
    store.close()


def test_compaction_keeps_rolling_backups_per_year(db: Path) -> None:
    for n in range(5):
        with Store(db) as store:
            store.save(make(n, 1))
    parts = db.with_name(db.name + ".parts")
    backups = sorted(p.name for p in parts.glob("2026.json.bak*"))
    assert backups == ["2026.json.bak1", "2026.json.bak2", "2026.json.bak3"]
    newest = json.loads((parts / "2026.json.bak1").read_text(encoding="utf-8"))
    assert len(newest["sessions"]) == 4
    assert (parts / "journal").stat().st_size == 0


def test_many_inserts_in_one_write(store: Store) -> None:
    assert store.insert_many([make(n, 1) for n in range(10)]) == 10
    assert store.count() == 10
    with pytest.raises(StoreError, match="already stored"):
        store.insert_many([make(3, 1)])
    assert store.count() == 10


def test_draft_saved_on_every_change_resumes_after_a_kill(db: Path) -> None:
    store = Store(db)
    s = make(1, 1)
    store.save_draft(s)
    s.notes["1.3.1"] = "第二次"
    store.save_draft(s)
    store._release_lock()  # killed mid-call
    with Store(db) as again:
        drafts = again.drafts()
        assert [d.id for d in drafts] == [s.id]
        assert drafts[0].notes["1.3.1"] == "第二次"
        again.commit(drafts[0])
        assert again.drafts() == [] and again.count() == 1


def test_draft_write_failure_keeps_the_previous_draft(store: Store,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    s = make(1, 1)
    store.save_draft(s)
    s.notes["x"] = "new"

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_mod, "_write_all", full)
    with pytest.raises(StoreWriteError, match="disk is full"):
        store.save_draft(s)
    monkeypatch.undo()
    assert "x" not in store.drafts()[0].notes


def test_documents_carry_the_schema_version(store: Store) -> None:
    store.save(make(1, 1))
    assert store.docs()[0]["schema"] == session_mod.SCHEMA_VERSION


def test_newer_schema_is_refused_clearly() -> None:
    doc = make(1, 1).to_doc()
    doc["schema"] = session_mod.SCHEMA_VERSION + 1
    with pytest.raises(Exception, match="newer callcheck"):
        Session.from_doc(doc)


def test_older_schema_is_migrated(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = make(1, 1).to_doc()
    doc["schema"] = 1
    doc["header"]["tester_name"] = doc["header"].pop("tester")
    monkeypatch.setattr(session_mod, "SCHEMA_VERSION", 2)

    def one_to_two(d: dict[str, Any]) -> dict[str, Any]:
        d["header"]["tester"] = d["header"].pop("tester_name")
        return d

    monkeypatch.setitem(session_mod.MIGRATIONS, 1, one_to_two)
    assert Session.from_doc(doc).header["tester"] == "王小明"


def test_failed_compaction_keeps_everything(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(db)
    store.save(make(1, 1))
    store.compact()
    store.save(make(2, 1))
    year = db.with_name(db.name + ".parts") / "2026.json"
    before = year.read_bytes()

    def full(path: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_mod, "write_temp", full)
    store.close()  # nothing is lost, so the close reports it as a warning
    assert "compaction failed (the disk is full); nothing is lost" in store.warnings[0]
    monkeypatch.undo()
    assert year.read_bytes() == before  # the year file was not touched
    with Store(db) as again:  # and the journal still holds the second save
        assert again.count() == 2


def test_second_writer_process_is_refused(db: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from callcheck.store import Store; "
         f"s = Store({str(db)!r}, command='callcheck (the app)'); print('ready', flush=True); "
         "sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked) as info:
            Store(db)
        assert f"pid {holder.pid}" in str(info.value)
        assert "callcheck (the app)" in str(info.value)
    finally:
        holder.communicate("")
    with Store(db) as store:  # released when the holder exits
        assert store.count() == 0


def test_threads_may_share_one_store(store: Store) -> None:
    """The UI saves from worker threads while others read: every save lands, none tears."""
    import threading

    errors: list[BaseException] = []

    def writer(base: int) -> None:
        try:
            for n in range(40):
                store.save(make(base + n, 1))
                store.save_draft(make(base + n, 2))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(40):
                for doc in store.docs():
                    assert doc["id"] and doc["header"]["agency"]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k * 1000,)) for k in range(3)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.count() == 120 and len(store.drafts()) == 120


def test_pending_without_the_row_index_agrees_with_the_index(db: Path) -> None:
    """Home reads the pending retests by scanning the years' indexes and the journal: the
    same answer as the whole index, whatever was folded and what is still journaled."""
    def pending_at(index: int, year: int) -> Session:
        s = make(index, 1)
        s.header["at"] = f"{year}-05-0{1 + index % 8}T10:00:00+08:00"
        s.status, s.due_at = "pending_retest", f"{year}-05-0{1 + index % 8}T10:{10 + index}:00+08:00"
        return s

    with Store(db) as store:
        for n in range(6):
            store.save(pending_at(n, 2024 + n % 3))
        store.save(make(20, 1))  # finished
    with Store(db) as store:  # changes left in the journal (no close: a crash)
        done = store.get(make(0, 1).id)
        done.status, done.due_at = "finished", None
        store.save(done)
        store.delete(make(1, 1).id)
        moved = store.get(make(2, 1).id)
        moved.header["at"] = "2027-01-04T10:00:00+08:00"
        store.save(moved)
        store.save(pending_at(7, 2025))
        store._release_lock()
    quick = Store(db, readonly=True)
    ids = [s.id for s in quick.pending()]
    assert not quick._archive._loaded  # the whole index was not read for it
    full = Store(db, readonly=True)
    rows = sorted((r for r in full.rows() if r.status == "pending_retest"),
                  key=lambda r: r.due_at or "")
    assert ids == [r.id for r in rows]
    assert sorted(ids) == sorted(make(n, 1).id for n in (2, 3, 4, 5, 7))
    assert quick.get(make(2, 1).id).header["at"].startswith("2027")
