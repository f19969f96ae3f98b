"""A compaction that folds several years at once (threads): the same files as one at a time,
and a year that fails to fold loses nothing."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from callcheck import archive as archive_mod
from callcheck import store as store_mod
from callcheck.session import Session
from callcheck.store import Store, StoreWriteError

from .crash_child import make

YEARS = ("2019", "2021", "2023", "2026")


def in_year(index: int, year: str) -> Session:
    s = make(index, 1)
    s.header["at"] = f"{year}-03-0{index % 9 + 1}T10:00:00+08:00"
    return s


def fill(db: Path) -> list[Session]:
    """Sessions in four years, one compaction, then more in every year (journal only)."""
    first = [in_year(n, YEARS[n % 4]) for n in range(8)]
    more = [in_year(n, YEARS[n % 4]) for n in range(8, 20)]
    with Store(db) as store:
        store.insert_many(first)
    store = Store(db)
    store.insert_many(more)
    store._release_lock()  # as if killed: the second batch is in the journal only
    return first + more


def year_files(db: Path) -> dict[str, bytes]:
    parts = db.with_name(db.name + ".parts")
    return {p.name: p.read_bytes() for p in sorted(parts.iterdir())
            if p.suffix in (".json", ".rows")}


def test_folding_years_in_threads_writes_the_same_files_as_one_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = []
    for threads in (1, 4):
        monkeypatch.setattr(archive_mod, "FOLD_THREADS", threads)
        db = tmp_path / str(threads) / "callcheck.json"
        fill(db)
        with Store(db) as store:
            assert store.count() == 20
            store.compact()
        results.append(year_files(db))
    assert {name[:4] for name in results[0]} == set(YEARS)
    assert results[0] == results[1]


def disk_full_for(monkeypatch: pytest.MonkeyPatch, year_file: str) -> None:
    """Writing `year_file` fails as on a full disk; every other file is written."""
    real_write_temp = store_mod.write_temp

    def full(path: Path, data: bytes) -> Path:
        if path.name == year_file:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_temp(path, data)

    monkeypatch.setattr(store_mod, "write_temp", full)


def test_a_year_that_fails_to_fold_keeps_its_saves_and_the_others_are_folded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "callcheck.json"
    sessions = fill(db)
    parts = db.with_name(db.name + ".parts")
    before = (parts / "2021.json").read_bytes()
    disk_full_for(monkeypatch, "2021.json")
    store = Store(db)
    with pytest.raises(StoreWriteError, match="compaction failed"):
        store.compact()
    store._release_lock()
    monkeypatch.undo()
    assert (parts / "2021.json").read_bytes() == before  # untouched
    assert (parts / "journal").stat().st_size > 0  # still holds the 2021 saves
    with Store(db) as again:
        assert again.count() == 20
        for s in sessions:
            assert again.get(s.id).header == s.header
    with Store(db) as third:  # folded now: everything still there, nothing twice
        assert third.count() == 20
    assert (parts / "journal").stat().st_size == 0


@pytest.mark.parametrize("threads", [1, 2])
def test_a_fold_failing_on_its_second_year_says_the_first_was_folded_and_the_second_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int) -> None:
    """Two years to fold, the disk full for the second: the first year's file is already
    replaced, and the warning says so instead of calling the year files unchanged."""
    monkeypatch.setattr(archive_mod, "FOLD_THREADS", threads)
    db = tmp_path / "callcheck.json"
    two = [in_year(n, ("2019", "2021")[n % 2]) for n in range(6)]
    with Store(db) as store:
        store.insert_many(two[:2])
    parts = db.with_name(db.name + ".parts")
    before = year_files(db)
    store = Store(db)
    store.insert_many(two[2:])  # two saves in each year, in the journal
    disk_full_for(monkeypatch, "2021.json")  # the second year
    store.close()  # the fold at close fails: a warning
    monkeypatch.undo()
    after = year_files(db)
    assert after["2019.json"] != before["2019.json"]  # folded: the new sessions
    assert after["2021.json"] == before["2021.json"]  # not folded: the old ones
    (warning,) = store.warnings
    assert "compaction failed (the disk is full); nothing is lost" in warning
    assert "unchanged" not in warning
    assert "(folded: 2019; not folded: 2021)" in warning
    assert "each year file holds either its old sessions or its new ones" in warning
    assert (parts / "journal").stat().st_size > 0
    with Store(db) as again:  # the journal replayed over one new and one old year file
        assert again.count() == 6
        for s in two:
            assert again.get(s.id).header == s.header
