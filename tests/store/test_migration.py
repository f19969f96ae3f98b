"""A single-file database (the layout before year files) is converted on first open, safely."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from callcheck.store import Store, dump_tables

from .crash_child import make


def plain(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in ("rev", "updated_at")}


def old_docs(n: int) -> list[dict[str, Any]]:
    """`n` sessions spread over six years, as the old layout kept them."""
    docs = []
    for index in range(n):
        doc = make(index, 1 + index % 2).to_doc()
        year = 2021 + index % 6
        doc["header"]["at"] = f"{year}-0{1 + index % 9}-1{index % 10}T10:00:00+08:00"
        doc["created_at"] = doc["header"]["at"]
        docs.append(doc)
    return docs


def write_single_file(db: Path, docs: list[dict[str, Any]]) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    tables = {"sessions": {str(n): d for n, d in enumerate(docs, 1)},
              "settings": {"1": {"key": "tester", "value": "王小明"}}}
    db.write_bytes(dump_tables(tables))


def check_converted(db: Path, docs: list[dict[str, Any]]) -> None:
    with Store(db) as store:
        assert store.count() == len(docs)
        for doc in docs:
            assert store.get(doc["id"]).to_doc() == doc
        assert store.get_setting("tester") == "王小明"
    main = json.loads(db.read_text(encoding="utf-8"))
    assert "sessions" not in main and main["store"]["1"]["layout"] == 2


def test_single_file_database_is_converted_to_year_files(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    docs = old_docs(30)
    write_single_file(db, docs)
    before = db.read_bytes()
    check_converted(db, docs)
    years = sorted(p.name for p in db.with_name(db.name + ".parts").glob("*.json"))
    assert years == [f"{y}.json" for y in range(2021, 2027)]
    assert db.with_name(db.name + ".single-file").read_bytes() == before  # the old file, kept
    check_converted(db, docs)  # a second open converts nothing again


def test_single_file_journal_is_folded_before_converting(tmp_path: Path) -> None:
    """Saves still in the old journal (a crash before the old close) are converted too."""
    db = tmp_path / "callcheck.json"
    docs = old_docs(4)
    write_single_file(db, docs[:2])
    lines = [json.dumps({"ops": [{"t": "sessions", "id": str(n), "doc": d}]},
                        ensure_ascii=False) for n, d in ((3, docs[2]), (4, docs[3]))]
    db.with_name(db.name + ".journal").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_converted(db, docs)


def test_reader_reads_a_single_file_database_without_converting_it(tmp_path: Path) -> None:
    db = tmp_path / "callcheck.json"
    docs = old_docs(5)
    write_single_file(db, docs)
    before = db.read_bytes()
    with Store(db, readonly=True) as reader:
        assert sorted(r.id for r in reader.rows()) == sorted(d["id"] for d in docs)
        assert reader.get(docs[3]["id"]).to_doc() == docs[3]
    assert db.read_bytes() == before
    assert not db.with_name(db.name + ".parts").exists()


def test_conversion_killed_after_its_rename_is_redone(tmp_path: Path) -> None:
    """Year files beside a main file that still holds the sessions are a conversion that
    did not reach its commit: they are rebuilt from the main file."""
    db = tmp_path / "callcheck.json"
    docs = old_docs(12)
    write_single_file(db, docs)
    parts = db.with_name(db.name + ".parts")
    parts.mkdir()
    (parts / "2024.json").write_text("half a year", encoding="utf-8")
    (tmp_path / "callcheck.json.parts.999.tmp").mkdir()
    check_converted(db, docs)
    assert not (tmp_path / "callcheck.json.parts.999.tmp").exists()


CONVERT = ("import sys; from callcheck.store import Store; "
           "print('open', flush=True); Store(sys.argv[1]).close(); print('done', flush=True)")


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_during_conversion_loses_nothing(tmp_path: Path) -> None:
    """kill -9 at random moments of the conversion: the next open has every session."""
    docs = old_docs(3000)
    pristine = tmp_path / "pristine" / "callcheck.json"
    write_single_file(pristine, docs)
    # How long a whole conversion takes here, so that the kills land inside it.
    timing = tmp_path / "timing"
    shutil.copytree(pristine.parent, timing)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CONVERT, str(timing / "callcheck.json")], check=True,
                   stdout=subprocess.DEVNULL)
    whole = time.perf_counter() - started

    def trial(number: int) -> set[tuple[bool, bool]]:
        """One copy of the old database, its conversion killed once or twice, then opened."""
        rng = random.Random(20261127 + number)
        work = tmp_path / f"trial{number}"
        shutil.copytree(pristine.parent, work)
        db = work / "callcheck.json"
        states = set()
        for _kill in range(1 + number % 2):  # some conversions are killed twice
            child = subprocess.Popen([sys.executable, "-c", CONVERT, str(db)],
                                     stdout=subprocess.PIPE, text=True)
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "open"  # whole lines only
            time.sleep(rng.uniform(0.0, whole))
            child.send_signal(signal.SIGKILL)
            child.communicate()
            states.add(("sessions" in db.read_text(encoding="utf-8"),
                        db.with_name(db.name + ".parts").exists()))
        check_converted(db, docs)
        shutil.rmtree(work)
        return states

    # The trials are independent (each its own copy), and mostly wait for a child: three at
    # a time. Running side by side only slows each conversion, so kills land no later in it.
    with ThreadPoolExecutor(3) as pool:
        states = set().union(*pool.map(trial, range(12)))
    assert (True, False) in states or (True, True) in states  # some kills landed mid-way


def test_the_command_that_converts_says_so_once(tmp_path: Path) -> None:
    from ..test_cli import run

    db = tmp_path / "callcheck.json"
    docs = old_docs(3)
    write_single_file(db, docs)
    code, out, err = run(["--db", str(db), "delete", docs[0]["id"], "--yes"])
    assert code == 0 and "converting" in err and "callcheck.json.single-file" in err
    code, out, err = run(["--db", str(db), "delete", docs[1]["id"], "--yes"])
    assert code == 0 and "converting" not in err
    check_converted(db, docs[2:])
