"""Export the history's filter from the TUI, re-import it unchanged; the summary by unit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pendulum
import pytest
from textual.widgets import Input

from callcheck.export import comparable, import_files
from callcheck.history import rows_from_docs, summary_by_unit
from callcheck.store import Store
from callcheck.ui.screens.export import ExportScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.screens.summary import SummaryScreen

from .conftest import typed
from .history_support import NOW, ScreenHarness, demo_store, settle
from .screen_text import screen_text


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


async def test_export_the_filter_to_json_and_reimport_into_an_empty_store_unchanged(
        tmp_path: Path) -> None:
    """Last month's sessions of one unit: exported, imported elsewhere, the same."""
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await settle(pilot)
            history = app.screen
            await pilot.press("slash", *"選舉委員會 第一組")
            await pilot.click("#filter-since")
            await typed(pilot, "115/10/01")
            await pilot.click("#filter-until")
            await typed(pilot, "115/10/31")
            await pilot.pause()
            chosen = {r.id for r in history.history.rows}
            assert len(chosen) == 2
            history.query_one("#history-table").focus()
            await pilot.press("e")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ExportScreen)
            box = dialog.query_one("#export-path", Input)
            assert box.value.endswith("callcheck-export-20261126-1500.json")
            box.value = str(tmp_path / "out" / "october.json")
            (tmp_path / "out").mkdir()
            await pilot.click("#go")
            await settle(pilot)
            assert app.screen is history
            messages = [n.message for n in app._notifications]
            assert any(f"已匯出 2 筆至 {tmp_path / 'out' / 'october.json'}" in m
                       for m in messages)
        exported = json.loads((tmp_path / "out" / "october.json").read_text(encoding="utf-8"))
        assert {d["id"] for d in exported["sessions"]} == chosen
        assert exported["filter"] == {"since": "2026-10-01", "until": "2026-10-31"}
        originals = {d["id"]: d for d in store.docs() if d["id"] in chosen}
    other = tmp_path / "other"
    other.mkdir()
    with Store(other / "db.json") as empty:
        report = import_files(empty, [tmp_path / "out" / "october.json"])
        assert sorted(report.added) == sorted(chosen)
        for sid in chosen:
            assert comparable(empty.get(sid).to_doc()) == comparable(originals[sid])
        again = import_files(empty, [tmp_path / "out" / "october.json"])
        assert again.added == [] and sorted(again.identical) == sorted(chosen)


async def test_export_csv_with_chinese_intact_and_progress_filled(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        ids = [d["id"] for d in store.docs() if d["rubric"] == "registration"]
        app = ScreenHarness(store, lambda: ExportScreen(ids, folder=tmp_path), "en")
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot)
            await pilot.click("#format-csv")
            await pilot.pause()
            box = app.screen.query_one("#export-path", Input)
            assert box.value == str(tmp_path / "callcheck-export-20261126-1500.csv")
            await pilot.click("#go")
            await pilot.pause()
            await settle(pilot)
            assert app.results == [tmp_path / "callcheck-export-20261126-1500.csv"]
        text = (tmp_path / "callcheck-export-20261126-1500.csv").read_text(encoding="utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        assert len(rows) == len(ids) and {r["form"] for r in rows} == {"registration"}
        assert any(r["agency"] == "基隆市選舉委員會" for r in rows)


async def test_export_refuses_to_overwrite_without_a_second_press(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        target = tmp_path / "exists.json"
        target.write_text("keep", encoding="utf-8")
        ids = [d["id"] for d in store.docs()]
        app = ScreenHarness(store, lambda: ExportScreen(ids, folder=tmp_path))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.screen.query_one("#export-path", Input).value = str(target)
            await pilot.click("#go")
            await settle(pilot)
            assert target.read_text(encoding="utf-8") == "keep"
            assert "檔案已存在" in screen_text(app)
            await pilot.pause(0.3)  # a button ignores a second press within 0.2 s
            await pilot.click("#go")
            await settle(pilot)
            assert len(json.loads(target.read_text(encoding="utf-8"))["sessions"]) == len(ids)
            assert app.results == [target]


async def test_an_export_that_cannot_be_written_says_why_and_stays_open(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        ids = [d["id"] for d in store.docs()]
        app = ScreenHarness(store, lambda: ExportScreen(ids, folder=tmp_path), "en")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.screen.query_one("#export-path", Input).value = str(
                tmp_path / "no" / "such" / "folder" / "x.json")
            await pilot.click("#go")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            assert "Export failed" in screen_text(app)


async def test_summary_by_unit_of_the_filtered_sessions(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            app.screen.query_one("#filter-form").value = "telephone"
            await pilot.pause()
            await pilot.press("u")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SummaryScreen)
            rows = [r for r in rows_from_docs(store.docs()) if r.rubric == "telephone"]
            expected = summary_by_unit(rows)
            assert screen.summary == expected
            text = screen_text(app)
            first_unit = next(s for s in expected if s.unit == "第一組")
            line = next(ln for ln in text.splitlines() if "基隆市選舉委員會" in ln and "第一組" in ln)
            assert f"{first_unit.average:.1f}" in line and f"{first_unit.latest:.1f}" in line
            assert ("▲" in line) or ("▼" in line) or ("＝" in line)
            assert "人民陳情之處理" not in text


async def test_export_refuses_the_database_itself_even_twice(tmp_path: Path) -> None:
    """Exporting over the database (or its journal, backups…) is refused, not confirmed."""
    with demo_store(tmp_path) as store:
        before = store.path.read_bytes() if store.path.exists() else None
        ids = [d["id"] for d in store.docs()]
        app = ScreenHarness(store, lambda: ExportScreen(ids, folder=tmp_path))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            app.screen.query_one("#export-path", Input).value = str(store.path)
            for _ in range(2):
                await pilot.click("#go")
                await settle(pilot)
                await pilot.pause(0.3)
            assert "屬於評核資料庫" in screen_text(app)
            assert app.results == []
        after = store.path.read_bytes() if store.path.exists() else None
        assert after == before
