"""The session detail: the evidence in full; every change needs a reason; delete asks first."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.widgets import DataTable, Input

from callcheck.session import Session
from callcheck.store import Store
from callcheck.ui.screens.detail import DetailScreen, HeaderEditor
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.widgets.answer_input import AnswerInput
from callcheck.ui.widgets.dialogs import ConfirmDialog, ReviseDialog

from .conftest import typed
from .history_support import NOW, RUBRICS, ScreenHarness, demo_store, settle
from .screen_text import screen_text


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


def with_a_no(store: Store, rubric: str) -> tuple[Session, str]:
    """A finished session of `rubric` with an item answered "no" (and not yet revised)."""
    for s in store.all():
        if s.rubric == rubric and s.finished and not s.revisions:
            no = next((k for k, v in s.answers.items() if v is False), None)
            if no is not None:
                return s, no
    raise AssertionError(f"the demo has no {rubric} session with a 'no'")


async def to_item(pilot, item_id: str) -> None:
    screen = pilot.app.screen
    table = screen.query_one("#detail-items", DataTable)
    index = [i.id for i in screen.rubric.items].index(item_id)
    table.focus()
    await pilot.press(*["down"] * (index - table.cursor_row))


async def open_note(pilot, item_id: str) -> None:
    """From a freshly opened detail: the note dialog of `item_id` (its key, m)."""
    await settle(pilot)
    await to_item(pilot, item_id)
    await pilot.press("m")
    await pilot.pause()


async def test_detail_shows_header_timeline_items_and_revisions(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        s = next(x for x in store.all() if x.revisions and x.rubric == "telephone")
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 60)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "電話禮貌" in text and f"{s.total['points']} / {s.total['max']}" in text
            assert s.header["agency"] in text and "民國 115 年" in text
            assert "第 1 次撥打" in text and "鈴響" in text and "接聽" in text
            body = app.screen.query_one("#detail-body")
            body.scroll_end(animate=False)
            await pilot.pause()
            text = screen_text(app)
            assert s.revisions[0].reason in text
            assert "answers.1.3.2：否 → 是" in text


async def test_edit_an_answer_with_a_reason_rescores_and_records_the_revision(
        tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        s, item_id = with_a_no(store, "registration")
        points = RUBRICS["registration"].item(item_id).points
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await to_item(pilot, item_id)
            await pilot.press("space")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ReviseDialog)
            dialog.query_one(AnswerInput).value = 0  # 是
            await pilot.click("#ok")
            await pilot.pause()
            assert app.screen is dialog and "請填寫修改理由" in screen_text(app)
            await pilot.click("#revise-reason")
            await typed(pilot, "複核現場照片後更正", "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen)
            stored = store.get(s.id)
            assert stored.answers[item_id] is True
            assert stored.total["points"] == s.total["points"] + points
            revision = stored.revisions[-1]
            assert revision.reason == "複核現場照片後更正"
            assert revision.changes == [{"field": f"answers.{item_id}", "old": False,
                                         "new": True}]
            app.screen.query_one("#detail-body").scroll_end(animate=False)
            await pilot.pause()
            assert "複核現場照片後更正" in screen_text(app)


async def test_a_change_the_form_does_not_allow_is_refused_in_the_dialog(
        tmp_path: Path) -> None:
    """Marking the only remaining items not applicable leaves nothing to score: refused."""
    with demo_store(tmp_path) as store:
        s, item_id = with_a_no(store, "petition")
        app = ScreenHarness(store, lambda: DetailScreen(s.id), "en")
        async with app.run_test(size=(120, 50)) as pilot:
            await settle(pilot)
            await to_item(pilot, item_id)
            await pilot.press("x")
            await pilot.pause()
            await typed(pilot, "closed for renovation")
            await pilot.click("#revise-reason")
            await typed(pilot, "seen on site", "enter")
            await settle(pilot)
            assert isinstance(app.screen, DetailScreen)
            stored = store.get(s.id)
            assert stored.na == {item_id: "closed for renovation"}
            assert item_id not in stored.answers
            assert stored.result["items"][item_id]["status"] == "na"
            assert stored.total["max"] == 100 - RUBRICS["petition"].item(item_id).points
            await pilot.press("space")  # answer it again: applicable again
            await pilot.pause()
            app.screen.query_one(AnswerInput).value = 1  # no
            await pilot.click("#revise-reason")
            await typed(pilot, "it does apply", "enter")
            await settle(pilot)
            assert store.get(s.id).na == {} and store.get(s.id).total["max"] == 100


async def test_edit_note_and_header_each_need_a_reason(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        s, item_id = with_a_no(store, "telephone")
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 50)) as pilot:
            await open_note(pilot, item_id)
            note = app.screen.query_one("#edit-note", Input)
            note.value = "[/]對方語氣急促[@click=app.quit]"
            await pilot.click("#revise-reason")
            await typed(pilot, "補記", "enter")
            await settle(pilot)
            assert store.get(s.id).notes[item_id] == "[/]對方語氣急促[@click=app.quit]"
            app.screen.query_one("#item-detail").scroll_visible(animate=False)
            await pilot.pause()
            assert "[/]對方語氣急促[@click=app.quit]" in screen_text(app)
            await pilot.press("h")
            await pilot.pause()
            editor = app.screen.query_one(HeaderEditor)
            editor.query_one("#edit-header-unit", Input).value = "第一組（代理人）"
            await pilot.click("#ok")
            await pilot.pause()
            assert isinstance(app.screen, ReviseDialog)  # no reason yet
            await pilot.click("#revise-reason")
            await typed(pilot, "依簽到表更正", "enter")
            await settle(pilot)
            stored = store.get(s.id)
            assert stored.header["unit"] == "第一組（代理人）"
            assert [r.reason for r in stored.revisions][-2:] == ["補記", "依簽到表更正"]
            assert stored.revisions[-1].changes[0]["old"] == s.header["unit"]
            assert app.is_running


async def test_delete_asks_first_and_cancel_keeps_it(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        s = store.all()[0]
        count = store.count()
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")
            await settle(pilot)
            assert s.id in store and isinstance(app.screen, DetailScreen)
            await pilot.press("d")
            await pilot.pause()
            await pilot.click("#confirm")
            await settle(pilot)
            assert s.id not in store and store.count() == count - 1
            assert app.results == ["deleted"]
            assert any("已刪除" in n.message for n in app._notifications)


async def test_open_from_history_edit_and_the_history_shows_the_new_score(
        tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        s, item_id = with_a_no(store, "registration")
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            history = app.screen
            history.query_one("#filter-text", Input).value = s.id
            await pilot.pause()
            history.query_one("#history-table").focus()
            await pilot.press("enter")
            await settle(pilot)
            await to_item(pilot, item_id)
            await pilot.press("space")
            await pilot.pause()
            app.screen.query_one(AnswerInput).value = 0
            await pilot.click("#revise-reason")
            await typed(pilot, "更正", "enter")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is history
            row = history.query_one("#history-table").rows[0]
            assert row.id == s.id and row.score == store.get(s.id).total["score"]
            assert row.score > s.total["score"] and row.revisions == 1


async def test_a_note_is_changed_from_the_keyboard_alone_enter_moving_on_to_the_reason(
        tmp_path: Path) -> None:
    """m, the note typed, Enter, the reason typed, Enter: stored, with no mouse and no Tab."""
    with demo_store(tmp_path) as store:
        s, item_id = with_a_no(store, "telephone")
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 50)) as pilot:
            await open_note(pilot, item_id)
            await typed(pilot, "對方語氣急促", "enter")
            assert isinstance(app.screen, ReviseDialog)  # on to the reason, nothing refused
            assert app.screen.focused is app.screen.query_one("#revise-reason", Input)
            await typed(pilot, "補記", "enter")
            await settle(pilot)
            stored = store.get(s.id)
            assert stored.notes[item_id].endswith("對方語氣急促")
            assert stored.revisions[-1].reason == "補記"


async def test_a_notice_on_the_detail_covers_none_of_its_lines_at_80x24(tmp_path: Path) -> None:
    """Space on a timed item warns; the warning takes rows of its own under the session's
    body (shorter while it shows), never over the title or the score line."""
    from textual.widgets._toast import Toast

    from callcheck.words import tr

    with demo_store(tmp_path) as store:
        s = next(x for x in store.all() if x.rubric == "telephone" and x.finished)
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        app.NOTIFICATION_TIMEOUT = 600  # still shown when read, however loaded the machine
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot)
            first_line = screen_text(app).splitlines()[2]  # the form and its score
            assert "電話禮貌" in first_line
            await to_item(pilot, "1.1.1")  # timed: a warning, nothing changed
            await pilot.press("space")
            await settle(pilot)
            lines = screen_text(app).splitlines()
            assert any(tr("detail.not_editable", "zh") in line for line in lines)
            assert lines[2] == first_line
            toasts = list(app.screen.query(Toast))
            assert toasts
            for part in ("#detail-title", "#detail-body"):
                region = app.screen.query_one(part).region
                assert not any(t.region.overlaps(region) for t in toasts), part
