"""Every state can be left cleanly: discard a call, undo a give-up, resume from home."""

from __future__ import annotations

from textual.widgets import DataTable

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.help import HelpScreen
from callcheck.ui.screens.home import HomeScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.widgets.dialogs import ConfirmDialog

from .conftest import Caller, Clocks, make_app
from .screen_text import screen_text


async def test_a_call_started_by_mistake_is_discarded_after_a_confirm(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        assert "^d 放棄" in screen_text(app)  # in the footer until the first ring
        await c.key("space", 1.0)
        await c.settle()
        assert len(store.drafts()) == 1
        assert "^d 放棄" not in screen_text(app)  # the footer's room goes to the marks
        await c.press("f1")  # F1 is truthful: the key still works, so it is not dimmed
        assert isinstance(app.screen, HelpScreen)
        rows = [app.screen.query_one(DataTable).get_row_at(i)
                for i in range(app.screen.query_one(DataTable).row_count)]
        discard = [what for key, what in rows if what.plain == "放棄"]
        assert discard and "dim" not in str(discard[0].style)
        assert any("dim" in str(what.style) for _, what in rows)  # e.g. Enter before the end
        await c.press("f1")
        await c.press("ctrl+d")
        assert isinstance(app.screen, ConfirmDialog)
        await c.press("escape")  # no: the call goes on
        assert isinstance(app.screen, LiveScreen)
        await c.press("ctrl+d")
        await pilot.click("#confirm")
        await c.settle()
        assert isinstance(app.screen, HomeScreen)
        assert store.drafts() == [] and store.count() == 0
        assert "基隆市選舉委員會" not in screen_text(app)


async def test_discarding_a_retest_keeps_the_stored_first_attempt_pending(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        sid = c.session.id
        await c.press("enter")
        await c.settle()
        before = store.get(sid).to_doc()
        clocks.at(10 * 60)
        await c.press("r")
        assert isinstance(app.screen, LiveScreen) and c.session.id == sid
        await c.key("space", 601.0)
        await c.settle()
        await c.press("ctrl+d")
        assert "第 2 次撥打將刪除" in screen_text(app)
        await pilot.click("#confirm")
        await c.settle()
        assert isinstance(app.screen, HomeScreen)
        assert store.drafts() == []
        assert store.get(sid).to_doc() == before
        assert [s.id for s in store.pending()] == [sid]


async def test_undoing_a_give_up_takes_the_session_out_of_pending_at_once(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        sid = c.session.id
        await c.settle()
        assert [s.id for s in store.pending()] == [sid]
        await c.key("u", 27.0)
        await c.settle()
        assert store.pending() == [] and store.get(sid).status == "draft"
        [draft] = store.drafts()
        assert draft.id == sid and draft.status == "draft"
        await c.key("a", 28.0)  # answered after all
        await c.settle()
        assert store.pending() == []


async def test_enter_on_home_before_picking_starts_nothing(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        await c.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert "請先用 ↑↓ 選擇" in screen_text(app)
        await c.press("down", "enter")  # picked: the first row is the new test
        assert type(app.screen).__name__ == "SetupScreen"


async def test_resume_is_a_key_on_home_in_the_footer_and_help(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.key("space", 1.0)
        sid = c.session.id
        await c.press("ctrl+q")
    again = make_app(store, rubrics, clocks)
    async with again.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        assert "c 繼續未完成" in screen_text(again).replace("  ", " ")
        await c.press("f1")
        table = again.screen.query_one("#help-keys")
        rows = [" ".join(str(c) for c in table.get_row_at(n)) for n in range(table.row_count)]
        assert "c 繼續未完成" in rows
        await c.press("escape")
        await c.press("c")
        assert isinstance(again.screen, LiveScreen) and c.session.id == sid


async def _quit_mid_call(store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> str:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(agency="草稿測試機關")
        await c.key("space", 1.0)
        sid = c.session.id
        await c.press("ctrl+q")
    return sid


async def test_a_draft_shows_in_history_under_its_status_and_opens_where_it_was_left(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from textual.widgets import Select

    from callcheck.ui.screens.history import HistoryScreen

    sid = await _quit_mid_call(store, rubrics, clocks)
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        await c.press("h")
        await c.settle()
        assert isinstance(app.screen, HistoryScreen)
        app.screen.query_one("#filter-status", Select).value = "draft"
        await c.settle()
        text = screen_text(app)
        assert "草稿測試機關" in text and "草稿" in text
        await c.press("enter")
        assert isinstance(app.screen, LiveScreen) and c.session.id == sid


async def test_a_draft_is_deleted_from_history_after_a_confirm(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from callcheck.ui.screens.history import HistoryScreen

    await _quit_mid_call(store, rubrics, clocks)
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        await c.press("h")
        await c.settle()
        assert "草稿測試機關" in screen_text(app)
        await c.press("d")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await c.settle()
        assert isinstance(app.screen, HistoryScreen)
        assert store.drafts() == []
        assert "草稿測試機關" not in screen_text(app)


async def test_quitting_mid_form_loses_nothing_and_the_form_resumes_from_home(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from textual.widgets import Input

    from callcheck.ui.screens.form import FormScreen, ItemRow

    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 40)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        app.screen.query_one("#home-menu").focus()
        await c.press("down", "down", "down", "enter")  # 提供候選人登記服務
        assert isinstance(app.screen, FormScreen) and app.screen.rubric.id == "registration"
        app.screen.query_one("#header-agency", Input).focus()
        await c.press(*"基隆市中正區公所", "tab", *"民政課")
        app.screen.query_one(ItemRow).focus()
        await c.press("y", "n")
        await c.press("ctrl+q")
    [draft] = store.drafts()
    assert draft.rubric == "registration" and store.count() == 0
    assert draft.header["agency"] == "基隆市中正區公所" and draft.header["unit"] == "民政課"
    assert list(draft.answers.values()) == [True, False]

    again = make_app(store, rubrics, clocks)
    async with again.run_test(size=(120, 40)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        assert "基隆市中正區公所" in screen_text(again) and "填寫中" in screen_text(again)
        await c.press("c")
        await c.settle()
        screen = again.screen
        assert isinstance(screen, FormScreen) and screen.session.id == draft.id
        assert screen.query_one("#header-unit", Input).value == "民政課"
        assert [r.answer for r in screen.query(ItemRow)][:2] == [True, False]
