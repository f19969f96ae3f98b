"""Screens as a tester meets them: user text is never markup, keys are listed, English works."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Label

from callcheck.rubric import Rubric
from callcheck.store import Store, StoreWriteError
from callcheck.ui.bindings import describe
from callcheck.ui.screens.help import HelpScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.screens.review import ReviewScreen
from callcheck.ui.screens.setup import SetupScreen
from callcheck.ui.widgets.dialogs import TextPrompt

from .conftest import Caller, Clocks, make_app

HOSTILE = "[@click=app.quit]局[/] [b]"


async def test_markup_in_headers_and_notes_is_shown_as_text_and_does_nothing(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct", agency=HOSTILE, question=HOSTILE)
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await c.press("1", "m")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = HOSTILE
        await c.press("enter")
        assert isinstance(app.screen, LiveScreen)
        header = str(app.screen.query_one("#call-header").render())
        assert header.count(HOSTILE) == 2
        assert HOSTILE in str(app.screen.query_one("#prompt-detail").render())
        await pilot.click("#call-header", offset=(16, 0))  # on the agency's [@click]
        await pilot.click("#prompt-detail", offset=(20, 1))
        app.notify(HOSTILE, markup=False)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await c.press("2", "3", "4", "1")  # 2.3: 甲 first
        await c.key("e", 30.0)
        await c.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        assert table.get_cell("2.2.1", "note").plain == HOSTILE
        await pilot.click(DataTable, offset=(100, 14))
        assert app.is_running and app.return_code is None


async def test_help_lists_every_key_of_the_screen_from_its_bindings(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = app.screen.query_one(DataTable)
        listed = {rows.get_row_at(n)[1].plain for n in range(rows.row_count)}
        expected = {describe(b, "zh") for b in LiveScreen.BINDINGS}  # type: ignore[arg-type]
        expected |= {describe(b, "zh") for b in type(app).BINDINGS}  # type: ignore[arg-type]
        assert expected <= listed
        keys = {rows.get_row_at(n)[1].plain: rows.get_row_at(n)[0].plain
                for n in range(rows.row_count)}
        assert keys["鈴響"] == "Space" and keys["作答"] == "1 2 3 4 5 6 7 8 9 0"
        await c.press("escape")
        assert isinstance(app.screen, LiveScreen)


async def test_english_ui_with_the_forms_english_wording(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks, lang="en")
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.press("n")
        assert isinstance(app.screen, SetupScreen)
        assert "Agency or unit tested *" in [str(w.render()) for w in app.screen.query(".field-label")]
        await c.press("escape")
        await c.setup()
        await c.key("space", 1.0)
        assert "1/3　Voice system" in str(app.screen.query_one("#clock-phase").render())
        assert "ROC 115-11-26 10:00" in str(app.screen.query_one("#call-header").render())
        assert app.screen.active_bindings["space"].binding.description == "Ring"


async def test_a_failed_save_is_shown_to_the_tester(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks, monkeypatch) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()

        def full(session: object) -> None:
            raise StoreWriteError("the draft was not saved: the disk is full")

        monkeypatch.setattr(store, "save_draft", full)
        await c.key("space", 1.0)
        await c.settle()
        shown = [n.message for n in app._notifications]
        assert any("the disk is full" in m for m in shown), shown
        assert any(n.severity == "error" for n in app._notifications)


async def test_home_counts_down_to_a_retest_and_announces_it_when_due(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from callcheck.ui.screens.home import HomeScreen
    from callcheck.ui.widgets.choice_list import ChoiceList

    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(agency="基隆市選舉委員會 [/]")
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        await c.press("enter")
        await c.settle()
        assert isinstance(app.screen, HomeScreen)
        pending = app.screen.query_one("#pending", ChoiceList)
        clocks.at(9 * 60 + 15)
        await c.tick()
        assert [cell.plain for cell in pending.rows[0]][3:] == [
            "10:10:00 民國 115 年 11 月 26 日", "0:45"]
        notice = app.screen.query_one("#home-notice", Label)
        assert not notice.display
        clocks.at(10 * 60 + 1)
        await c.tick()
        assert pending.rows[0][4].plain == "可重測"
        assert notice.display and str(notice.render()) == "基隆市選舉委員會 [/] 已可重測（10:10:00）"
        # said in home's own line: no notice in the corner over the lists or History's filters
        assert not [n for n in app._notifications if "已可重測" in n.message]
