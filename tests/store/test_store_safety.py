"""Nothing stored is lost: symlinks, readers during compaction, backups, disk full, stale
saves, orphans, unusable paths (issue 9 §1)."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from callcheck import store as store_mod
from callcheck.store import (
    Store,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreWriteError,
    is_database_file,
)

from .crash_child import make

CHILD = Path(__file__).with_name("crash_child.py")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "callcheck.json"


def plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("rev", "updated_at")}


def ids_in(path: Path) -> set[str]:
    return {d["id"] for d in json.loads(path.read_text(encoding="utf-8"))["sessions"].values()}


def year_file(db: Path) -> Path:
    """The year file holding the test sessions (all of 2026) of database `db`."""
    return db.with_name(db.name + ".parts") / "2026.json"


# --- symlinks -------------------------------------------------------------------------------

def test_symlinked_database_stays_one_file_through_compactions(tmp_path: Path) -> None:
    real = tmp_path / "real" / "callcheck.json"
    real.parent.mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(real)
    for n in range(3):
        with Store(link) as store:
            store.save(make(n, 1))
    assert link.is_symlink() and os.path.realpath(link) == str(real)
    assert ids_in(year_file(real)) == {make(n, 1).id for n in range(3)}
    assert not (tmp_path / "link.json.bak1").exists()
    assert not (tmp_path / "link.json.parts").exists()
    assert not year_file(real).with_name("2026.json.bak1").is_symlink()


def test_symlinked_database_is_locked_as_the_real_file(tmp_path: Path) -> None:
    """The app holds the real path: a CLI write through a link is refused."""
    real = tmp_path / "callcheck.json"
    link = tmp_path / "elsewhere.json"
    link.symlink_to(real)
    with Store(real), pytest.raises(StoreLocked):
        Store(link)
    with Store(link), pytest.raises(StoreLocked):
        Store(real)


# --- readers during compaction --------------------------------------------------------------

def test_reader_sees_every_save_when_a_compaction_runs_mid_read(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compaction between the reader's main-file read and its journal read: retried."""
    writer = Store(db)
    for n in range(3):
        writer.save(make(n, 1))
    writer.compact()
    for n in range(3, 5):
        writer.save(make(n, 1))  # in the journal only
    journal = db.with_name(db.name + ".journal")
    real_read = Path.read_bytes
    fired = []

    def read_bytes(self: Path) -> bytes:
        if self == journal and not fired:
            fired.append(True)
            writer.compact()  # the writer folds the journal in, then empties it
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    reader = Store(db, readonly=True)
    assert fired and reader.count() == 5
    writer.close()


def test_reader_sees_every_save_when_year_files_are_rewritten_mid_read(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader has read the sessions' journal; the writer then folds it into the year
    files and empties it before the reader reads them: nothing missed, nothing twice."""
    writer = Store(db)
    for n in range(3):
        writer.save(make(n, 1))
    writer.compact()
    for n in range(3, 5):
        writer.save(make(n, 1))  # in the journal only
    moved = make(1, 2)
    moved.rev = 1
    moved.header["at"] = "2025-06-02T10:00:00+08:00"  # to another year's file
    writer.save(moved)
    journal = db.with_name(db.name + ".parts") / "journal"
    real_read = Path.read_bytes
    fired = []

    def read_bytes(self: Path) -> bytes:
        data = real_read(self)
        if self == journal and not fired:
            fired.append(True)
            writer.compact()  # after the reader's journal read
        return data

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    reader = Store(db, readonly=True)
    assert reader.count() == 5 and fired
    assert reader.get(moved.id).header["at"].startswith("2025")
    assert [r.id for r in reader.rows()].count(moved.id) == 1
    writer.close()


@pytest.mark.slow
def test_readers_racing_a_compacting_writer_never_miss_an_acknowledged_save(db: Path) -> None:
    """A writer process compacting every 3 saves; every read sees all saves acknowledged
    before it started."""
    env = dict(os.environ, CALLCHECK_COMPACT_ENTRIES="3")
    child = subprocess.Popen([sys.executable, str(CHILD), str(db), "0"], stdout=subprocess.PIPE,
                             env=env)
    assert child.stdout is not None
    fd = child.stdout.fileno()
    os.set_blocking(fd, False)
    buffer = b""
    acked: set[int] = set()
    reads = misses = 0
    deadline = time.monotonic() + 300
    try:
        while reads < 300 and time.monotonic() < deadline:
            select.select([fd], [], [], 0.01)
            with contextlib.suppress(BlockingIOError):
                buffer += os.read(fd, 65536)
            *lines, buffer = buffer.split(b"\n")
            acked.update(int(line.split()[0]) for line in lines)
            if not acked:
                continue
            want = set(acked)
            reader = Store(db, readonly=True)
            have = {int(d["id"].replace("-", ""), 16) - 1 for d in reader.docs()}
            reads += 1
            if not want <= have:
                misses += 1
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert reads == 300, "the writer made too little progress to race"
    assert misses == 0, f"{misses} of {reads} reads missed acknowledged saves"


# --- backups, disk full ------------------------------------------------------------------------

def test_failed_compactions_do_not_rotate_the_backups(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = []
    year = year_file(db)
    for n in range(4):  # four compactions: the year file and three distinct backups
        with Store(db) as store:
            store.save(make(n, 1))
        versions.append(year.read_bytes())
    names = [year.with_name(f"{year.name}.bak{k}") for k in (1, 2, 3)]
    before = [p.read_bytes() for p in names]
    assert before == versions[-2::-1]
    real_write_temp = store_mod.write_temp

    def full(path: Path, data: bytes) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    store = Store(db)
    store.save(make(10, 1))
    monkeypatch.setattr(store_mod, "write_temp", full)
    for _ in range(2):
        with pytest.raises(StoreWriteError, match="compaction failed"):
            store.compact()
        assert [p.read_bytes() for p in names] == before  # untouched by a failure
    monkeypatch.setattr(store_mod, "write_temp", real_write_temp)
    store.close()
    after = [p.read_bytes() for p in names]
    assert after == [versions[3], versions[2], versions[1]]
    assert len({*after}) == 3
    assert ids_in(year) == {make(n, 1).id for n in (0, 1, 2, 3, 10)}


def test_a_save_whose_compaction_fails_is_saved_and_says_so(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Raising would say the save failed, and a retry would store it twice."""
    monkeypatch.setattr(store_mod, "COMPACT_ENTRIES", 1)

    def full(path: Path, data: bytes) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    store = Store(db)
    monkeypatch.setattr(store_mod, "write_temp", full)
    s = make(1, 1)
    store.save(s)  # does not raise: the journal has it
    assert any("the disk is full" in w and "nothing is lost" in w for w in store.warnings)
    store._release_lock()  # killed before any compaction could succeed
    monkeypatch.undo()
    with Store(db) as again:
        assert plain(again.get(s.id).to_doc()) == plain(s.to_doc())


def test_a_failed_save_is_reported_as_failed_not_hidden_by_a_failed_close(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(StoreWriteError) as info, Store(db) as store:
        store.save(make(0, 1))
        monkeypatch.setattr(store_mod, "_write_all", full)
        store.save(make(1, 1))
    assert "the save failed (the disk is full): nothing was saved" in str(info.value)


# --- stale saves, orphans, drafts -----------------------------------------------------------

def test_a_stale_copy_saved_again_is_journaled(db: Path) -> None:
    """Two copies of one session at the same rev: the second save reaches the disk too."""
    store = Store(db)
    first = make(1, 1)
    store.save(first)
    a, b = store.get(first.id), store.get(first.id)
    a.notes = {"1.3.1": "A"}
    store.save(a)
    b.notes = {"1.3.1": "B"}  # b still has the old rev
    store.save(b)
    assert store.get(first.id).notes == {"1.3.1": "B"}
    store._release_lock()  # a crash: only the journal counts
    with Store(db) as again:
        assert again.get(first.id).notes == {"1.3.1": "B"}


def test_orphan_temporary_files_are_removed_at_open(db: Path) -> None:
    with Store(db) as store:
        store.save(make(1, 1))
        store.save_draft(make(2, 1))
    orphans = [db.with_name(f".{db.name}.99999.tmp"), db.with_name(f".{db.name}.bak.tmp"),
               db.with_name(db.name + ".drafts") / f".{make(2, 1).id}.json.4242.tmp"]
    for o in orphans:
        o.write_bytes(b"a full copy" * 1000)
    unrelated = db.with_name(".other.json.123.tmp")
    unrelated.write_bytes(b"not ours")
    with Store(db) as store:
        assert store.count() == 1 and len(store.drafts()) == 1
    assert not any(o.exists() for o in orphans)
    assert unrelated.exists()


def test_delete_removes_the_sessions_draft(db: Path) -> None:
    with Store(db) as store:
        s = make(1, 1)
        store.save(s)
        store.save_draft(s)
        store.delete(s.id)
        assert store.drafts() == []


# --- unusable paths ------------------------------------------------------------------------

def test_a_read_only_folder_is_a_clear_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db.parent.mkdir(parents=True)
    real_access = os.access
    monkeypatch.setattr(store_mod.os, "access", lambda p, mode: False
                        if Path(p) == db.parent and mode & os.W_OK else real_access(p, mode))
    with pytest.raises(StoreError, match="is not writable"):
        Store(db)


def test_a_lock_that_cannot_be_created_is_a_clear_error(
        db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import filelock

    def refuse(self: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    with pytest.raises(StoreError, match="cannot take the write lock: Permission denied"):
        Store(db)


@pytest.mark.parametrize("readonly", [False, True])
def test_a_fifo_or_folder_as_database_is_a_clear_error_not_a_hang(
        tmp_path: Path, readonly: bool) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    command = "list" if readonly else "delete"
    proc = subprocess.run([sys.executable, "-m", "callcheck", "--db", str(fifo), command,
                           *([] if readonly else ["x", "--yes"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "is a pipe (FIFO), not a callcheck database file" in proc.stderr
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store(folder, readonly=readonly)


def test_a_journal_of_the_wrong_shape_names_the_line_and_the_next_step(db: Path) -> None:
    store = Store(db)
    store.save(make(1, 1))
    store._release_lock()
    journal = db.with_name(db.name + ".journal")
    journal.write_bytes(journal.read_bytes() + b'{"op": []}\n' + journal.read_bytes())
    with pytest.raises(StoreCorrupt, match="line 2 is not a journal entry") as info:
        Store(db)
    assert "delete line 2" in str(info.value)


def test_database_files_are_recognised_by_real_path(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    for n in range(3):
        with Store(db) as store:
            store.save(make(n, 1))
            store.set_setting("tester", f"tester {n}")
    link = tmp_path / "innocent.json"
    link.symlink_to(db)
    hard = tmp_path / "copy-of-backup.json"
    os.link(db.with_name("callcheck.json.bak1"), hard)
    hard_year = tmp_path / "copy-of-a-year.json"
    os.link(db.with_name("callcheck.json.parts") / "2026.json.bak1", hard_year)
    for name in ("callcheck.json", "callcheck.json.journal", "callcheck.json.bak2",
                 "callcheck.json.lock", "callcheck.json.drafts/x.json", "innocent.json",
                 "copy-of-backup.json", "sub/../callcheck.json", "callcheck.json.parts/2026.json",
                 "callcheck.json.parts/journal", "copy-of-a-year.json"):
        assert is_database_file(db, tmp_path / name), name
    assert not is_database_file(db, tmp_path / "export.json")
