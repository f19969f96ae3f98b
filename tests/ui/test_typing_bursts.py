"""Chinese arrives a word at a time: a burst followed at once by Tab, Backspace or Enter lands
whole, in the field it was typed in (Textual 8.2.8 workaround, docs/notes/textual-key-order.md).

Each burst is posted to the app all at once, as the terminal driver posts the keys of one read:
no key waits for the one before it to be handled.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.app import ComposeResult
from textual.widgets import DataTable, Input

from callcheck.store import Store
from callcheck.ui.key_order import KeyOrder
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.history import HistoryScreen

from ..clocks import Clocks
from .conftest import make_app, typed
from .history_support import NOW, RUBRICS, demo_store, settle


class ThreeFields(KeyOrder[None]):
    def compose(self) -> ComposeResult:
        for n in range(3):
            yield Input(id=f"f{n}")


async def test_words_and_tabs_in_one_read_fill_three_fields_in_order() -> None:
    app = ThreeFields()
    async with app.run_test() as pilot:
        await typed(pilot, "基隆市政府", "tab", "民政處", "tab", "02-2424-0000")
        assert [i.value for i in app.query(Input)] == ["基隆市政府", "民政處", "02-2424-0000"]


async def test_backspaces_before_a_word_erase_the_old_text_not_the_word() -> None:
    app = ThreeFields()
    async with app.run_test() as pilot:
        field = app.query_one("#f0", Input)
        field.value, field.cursor_position = "王小明", 3
        await typed(pilot, "backspace", "backspace", "backspace", "督導林主任", "tab", "基",
                    "backspace", "民政處")
        assert [i.value for i in app.query(Input)] == ["督導林主任", "民政處", ""]


async def test_setup_header_typed_in_bursts_is_stored_field_by_field(store: Store, rubrics,
                                                                      clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        for _ in range(500):  # until the setup screen is up, its first field focused
            if getattr(app.focused, "id", None) == "h-agency":
                break
            await pilot.pause()
        await typed(pilot, "基隆市政府", "tab", "民政處", "enter", "02-2424-0000", "tab",
                    "王小明", "backspace", "backspace", "backspace", "督導林主任", "enter")
        everything = {i.id: i.value for i in app.screen.query(Input)}
        typed_in = {k: app.screen.query_one(f"#h-{k}", Input).value
                    for k in ("agency", "unit", "number", "tester")}
        assert typed_in == {"agency": "基隆市政府", "unit": "民政處", "number": "02-2424-0000",
                            "tester": "督導林主任"}, everything
        await typed(pilot, "ctrl+s")
        await app.workers.wait_for_complete()
        [draft] = store.drafts()
        assert {k: draft.header.get(k) for k in typed_in} == typed_in


@pytest.fixture
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


async def test_revision_by_typed_after_backspaces_keeps_the_whole_name(
        tmp_path: Path, frozen_wall_clock) -> None:
    """The stored revision once read `"by": "督"` for 督導林主任: never again."""
    with demo_store(tmp_path) as store:
        s = next(x for x in store.all() if x.finished and x.rubric == "registration")
        app = make_app(store, RUBRICS, Clocks())
        async with app.run_test(size=(120, 50)) as pilot:
            app.push_screen(DetailScreen(s.id))
            await settle(pilot)
            app.screen.query_one("#detail-items", DataTable).focus()
            await pilot.press("m")
            await pilot.pause()
            by = app.screen.query_one("#revise-by", Input).value
            await typed(pilot, "請回電", "tab", "補記", "tab", *["backspace"] * len(by),
                        "督導林主任", "enter")
            await settle(pilot)
            stored = store.get(s.id)
            assert stored is not None
            revision = stored.revisions[-1]
            assert (revision.by, revision.reason) == ("督導林主任", "補記")
            assert "請回電" in str(revision.changes)


async def test_history_search_typed_then_escape_filters_by_the_whole_word(
        tmp_path: Path, frozen_wall_clock) -> None:
    with demo_store(tmp_path) as store:
        app = make_app(store, RUBRICS, Clocks())
        async with app.run_test(size=(120, 36)) as pilot:
            app.push_screen(HistoryScreen())
            await settle(pilot)
            app.screen.query_one("#filter-text", Input).focus()
            await typed(pilot, "基隆", "backspace", "backspace", "第一組", "escape")
            await settle(pilot)
            assert app.screen.query_one("#filter-text", Input).value == "第一組"
            assert app.focused is not None and app.focused.id != "filter-text"
