"""Terminal escapes stored in a session are shown, never obeyed, on the history, detail,
summary and home screens (issue 9 §4)."""

from __future__ import annotations

import re
from pathlib import Path

import pendulum
import pytest

from callcheck.store import Store
from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.detail import DetailScreen
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.screens.summary import SummaryScreen

from .history_support import NOW, RUBRICS, ScreenHarness, demo_store, settle
from .screen_text import screen_text

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
AGENCY = "\x1b]0;pwned\x07基隆\x1b[31m"
UNIT = "\x1b[2J第一組\x9b"


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


def make_hostile(store: Store) -> str:
    s = max((x for x in store.all() if x.finished and x.rubric == "telephone"),
            key=lambda x: x.at)  # the newest: on the history's first screen
    s.header.update(agency=AGENCY, unit=UNIT, tester="王\x1b[0m小明")
    item = next(iter(s.result["items"]))
    s.notes[item] = "\x1b[2J備註\x07"
    store.save(s)
    draft = next(x for x in store.all() if x.rubric == "telephone")
    draft.id = "00000000-0000-4000-8000-00000000d1af"
    draft.status, draft.result = "draft", None
    draft.header.update(agency=AGENCY, unit=UNIT)
    store.save_draft(draft)
    return s.id


def assert_shown_not_obeyed(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))
    assert "␛" in text


async def test_history_summary_and_detail_show_escapes_visibly(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        sid = make_hostile(store)
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            assert_shown_not_obeyed(screen_text(app))
            rows = [r for r in app.screen.history.rows if r.id == sid]
            assert rows and rows[0].agency == "␛]0;pwned␇基隆␛[31m"
            app.push_screen(SummaryScreen(rows))
            await settle(pilot)
            assert_shown_not_obeyed(screen_text(app))
            app.push_screen(DetailScreen(sid))
            await settle(pilot)
            text = screen_text(app)
            assert_shown_not_obeyed(text)
            assert "␛[2J第一組<U+009B>" in text


async def test_home_lists_drafts_with_escapes_visibly(tmp_path: Path) -> None:
    with demo_store(tmp_path) as store:
        make_hostile(store)
        app = CallcheckApp(store, RUBRICS, "zh")
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert_shown_not_obeyed(text)
            assert "␛]0;pwned␇基隆" in text


@pytest.mark.parametrize("damage", ["rubric", "timeline"])
async def test_a_stored_session_that_cannot_be_shown_is_named_not_a_crash(
        tmp_path: Path, damage: str) -> None:
    """A hand-edited database: an unknown form ("../../etc/passwd") or a timeline that
    does not replay. The detail screen says so; the app goes on."""
    with demo_store(tmp_path) as store:
        s = max((x for x in store.all() if x.finished and x.rubric == "telephone"),
                key=lambda x: x.at)
        if damage == "rubric":
            s.rubric = "../../../../etc/passwd"
        else:
            s.attempts[-1].marks.insert(1, s.attempts[-1].marks[-1])  # a hang-up first
        store.save(s)
        app = ScreenHarness(store, lambda: DetailScreen(s.id))
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            texts = [str(n.message) for n in app._notifications]
            assert any(f"session {s.id} is damaged and cannot be shown" in t for t in texts)
            assert app.is_running


async def test_the_call_header_of_a_resumed_draft_shows_escapes_visibly() -> None:
    from textual.app import App, ComposeResult

    from callcheck.session import Session
    from callcheck.ui.widgets.call_header import CallHeader

    s = Session.new(RUBRICS["telephone"], header={"agency": AGENCY, "unit": UNIT,
                                                  "at": "2026-11-26T10:00:00+08:00",
                                                  "question": "\x1b[2J問題"})

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield CallHeader()

        def on_mount(self) -> None:
            self.query_one(CallHeader).show(s, "zh")

    app = One()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert not RAW.search(text) and "␛]0;pwned␇基隆" in text and "␛[2J問題" in text
