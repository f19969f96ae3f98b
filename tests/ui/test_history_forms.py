"""The registration and petition forms, from their rubric files, end to end into the history."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from textual.widgets import Input, Label, Select

from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.form import FormScreen, ItemRow
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.widgets.answer_input import CasesEditor
from callcheck.ui.widgets.dialogs import TextPrompt

from .conftest import typed
from .history_support import NOW, RUBRICS, ScreenHarness, demo_store, settle
from .screen_text import screen_text


@pytest.fixture(autouse=True)
def frozen_wall_clock():
    with pendulum.travel_to(NOW, freeze=True):
        yield


async def fill_header(pilot, agency: str, unit: str, tester: str) -> None:
    await pilot.click("#header-agency")
    await typed(pilot, agency, "tab", unit, "tab", "tab")
    tester_box = pilot.app.screen.query_one("#header-tester", Input)
    tester_box.value = ""
    await typed(pilot, tester, "tab")


async def test_the_form_screen_refuses_a_rubric_scored_from_a_call(tmp_path: Path) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = CallcheckApp(store, RUBRICS)
        async with app.run_test():
            with app._context(), pytest.raises(ValueError, match="scored from a call"):
                FormScreen("telephone")


async def test_registration_end_to_end_with_one_key_per_item_then_in_history(
        tmp_path: Path) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("registration"))
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#header-at", Input).value == "2026-11-26"
            await fill_header(pilot, "基隆市選舉委員會", "第一組", "林志豪")
            assert isinstance(app.screen.focused, ItemRow)
            # 1.1–1.6 yes, 2.1 no, then 2.2 not applicable, 3.1–3.4 yes
            await pilot.press(*"yyyyyy", "n")
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, TextPrompt)
            await typed(pilot, "臨時場地無盥洗室", "enter")
            await pilot.press("down", *"yyyy")
            await pilot.press("up", "m")  # the last item keeps the focus: up is 3.3
            await pilot.pause()
            await typed(pilot, "工作人員主動引導", "enter")
            await pilot.pause()
            assert "目前得分 88 / 94　分數 93.6" in screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            saved = app.results[0]
            assert saved is not None and saved.status == "finished"
            stored = store.get(saved.id)
            assert stored.header == {"agency": "基隆市選舉委員會", "unit": "第一組",
                                     "at": "2026-11-26T00:00:00+08:00", "tester": "林志豪"}
            assert stored.na == {"2.2": "臨時場地無盥洗室"}
            assert stored.notes == {"3.3": "工作人員主動引導"}
            assert stored.answers["2.1"] is False and "2.2" not in stored.answers
            assert stored.total == {"points": 88, "max": 94, "score": 93.6}
            assert store.get_setting("tester") == "林志豪"
        app = ScreenHarness(store, HistoryScreen)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "提供候選人登記服務 基隆市選舉委員會" in text and "93.6" in text


async def test_finishing_an_incomplete_form_says_what_is_missing(tmp_path: Path) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("registration"), "en")
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert any("Agency or unit assessed" in n.message for n in app._notifications)
            await fill_header(pilot, "Keelung City Government", "", "Chen")
            await pilot.press(*"yyy")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert store.count() == 0 and app.results == []
            assert "Not complete: 1.4, 1.5, 1.6" in screen_text(app)


async def test_petition_cases_show_days_band_and_allowed_points_as_typed(
        tmp_path: Path) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("petition"))
        async with app.run_test(size=(120, 44), notifications=True) as pilot:
            await settle(pilot)
            await fill_header(pilot, "基隆市政府", "民政處", "李建宏")
            await pilot.press("y", "y")
            editor = app.screen.query_one(CasesEditor)
            await pilot.click(".received")
            await typed(pilot, "2026-10-01", "tab", "2026-10-05")
            await pilot.pause()
            preview = editor.query_one(".preview", Label)
            assert "4 天：四至六天。（可給 6–10 分）" in screen_text(app)
            points = editor.query_one(".points", Select)
            assert points.value == 10  # the best of the band, until the tester picks
            assert editor.band.span() == "6–10"
            await pilot.click(".add-case")
            await pilot.pause()
            await typed(pilot, "2026-10-10", "tab", "2026-10-10")
            await pilot.pause()
            assert "2 件平均 2 天：一至三天。（可給 11–15 分）" in screen_text(app)
            assert points.value == 15
            await pilot.click(".add-case")
            await pilot.pause()
            await typed(pilot, "2026-10-12", "tab", "2026-10-01")
            await pilot.pause()
            assert preview.has_class("-error") and "案件 3：回復日早於收文日" in screen_text(app)
            rows = app.screen.query(".case")
            third = rows[2]
            third.query_one(".replied", Input).value = "115/10/30"  # ROC dates are fine too
            await pilot.pause()
            assert "3 件平均 7.3 天：一個星期以上。（可給 1–5 分）" in screen_text(app)
            points.value = 3
            await pilot.pause()
            app.screen.query_one("#item-4").focus()
            await pilot.press("n")
            await pilot.press("ctrl+s")
            await settle(pilot)
            stored = store.get(app.results[0].id)
            assert stored.answers["3"] == {"cases": [["2026-10-01", "2026-10-05"],
                                                     ["2026-10-10", "2026-10-10"],
                                                     ["2026-10-12", "2026-10-30"]],
                                           "points": 3}
            assert stored.result["items"]["3"]["note"] == "3 件平均 7.3 天：一個星期以上。（1–5）"
            assert stored.total == {"points": 73, "max": 100, "score": 73.0}


async def test_petition_reply_speed_may_be_given_as_a_number_of_days(tmp_path: Path) -> None:
    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("petition"), "en")
        async with app.run_test(size=(120, 44)) as pilot:
            await settle(pilot)
            editor = app.screen.query_one(CasesEditor)
            editor.query_one(".days", Input).value = "14"
            await pilot.pause()
            assert "14 days: Two weeks or more. (allowed 0 points)" in screen_text(app)
            assert editor.answer == {"days": 14, "points": 0}


async def test_leaving_a_form_keeps_a_draft_and_discarding_asks_first(tmp_path: Path) -> None:
    from callcheck.ui.widgets.dialogs import ConfirmDialog

    with demo_store(tmp_path, fill=False) as store:
        app = ScreenHarness(store, lambda: FormScreen("registration"))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.screen.query_one("#item-1_1").focus()
            await pilot.press("y", "escape")
            await settle(pilot)
            assert app.results == [None] and store.count() == 0
            [draft] = store.drafts()
            assert draft.rubric == "registration" and draft.answers["1.1"] is True
            app.push_screen(FormScreen("registration", draft=draft))
            await settle(pilot)
            await pilot.press("ctrl+d")
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("escape")  # no: stay
            assert isinstance(app.screen, FormScreen)
            await pilot.press("ctrl+d")
            await pilot.click("#confirm")
            await settle(pilot)
            assert store.drafts() == [] and store.count() == 0