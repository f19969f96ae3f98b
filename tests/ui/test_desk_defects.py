"""Smaller defects a tester hit at the desk (issue 8 §4), each proved through the app."""

from __future__ import annotations

from pathlib import Path

import pendulum
from textual.widgets._toast import Toast

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.history import HistoryScreen
from callcheck.ui.screens.home import HomeScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.words import tr

from .conftest import Caller, Clocks, make_app, quiet
from .history_support import NOW, RUBRICS, demo_store, settle
from .screen_text import screen_text


async def _unanswered_then_retest(c: Caller, clocks: Clocks) -> None:
    await c.setup()
    await c.rings(1.0, 9)
    await c.key("g", 26.0)
    await c.press("enter")
    await c.settle()
    clocks.at(12 * 60 + 30)  # 10:12:30
    await c.tick()  # the home screen's tick announces the due retest
    await c.press("r")


async def test_the_retest_shows_its_own_dialling_time(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await _unanswered_then_retest(c, clocks)
        assert isinstance(app.screen, LiveScreen) and app.screen.call.attempt_number == 2
        header = str(app.screen.query_one("#call-header").render())
        assert "2026-11-26 10:12" in header and "10 時 12 分" in header
        assert "10:00" not in header


async def test_the_retest_due_notice_does_not_follow_into_the_call(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        await c.press("enter")
        await c.settle()
        clocks.at(11 * 60)
        await c.tick()
        assert isinstance(app.screen, HomeScreen) and "已可重測" in screen_text(app)
        await c.press("r")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        assert "已可重測" not in screen_text(app)


async def test_a_notice_never_covers_the_live_status_line(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 9)
        await c.key("g", 26.0)  # stored as pending: a notice, and the status line says when
        await pilot.pause()
        status = app.screen.query_one("#live-status").region
        toasts = list(app.screen.query(Toast))
        assert toasts and status.height
        assert all(not t.region.overlaps(status) for t in toasts)
        assert all(t.region.y < status.y for t in toasts)


async def test_resorting_history_puts_the_cursor_and_view_at_the_top(tmp_path: Path) -> None:
    with pendulum.travel_to(NOW, freeze=True), demo_store(tmp_path) as store:
        app = make_app(store, RUBRICS, Clocks())
        async with app.run_test(size=(120, 20)) as pilot:
            app.push_screen(HistoryScreen())
            await settle(pilot)
            table = app.screen.table
            await pilot.press(*["down"] * 20)
            assert table.cursor_row == 20 and table.scroll_y > 0
            await pilot.press("o")
            await pilot.pause()
            assert table.cursor_row == 0 and table.scroll_y == 0
            await pilot.press(*["down"] * 20, "r")
            await pilot.pause()
            assert table.cursor_row == 0 and table.scroll_y == 0


async def test_detail_timeline_and_revisions_are_reached_from_the_keyboard(
        tmp_path: Path) -> None:
    from callcheck.ui.screens.detail import DetailScreen

    with pendulum.travel_to(NOW, freeze=True), demo_store(tmp_path) as store:
        s = next(x for x in store.all() if x.revisions and x.rubric == "telephone")
        app = make_app(store, RUBRICS, Clocks())
        async with app.run_test(size=(100, 24)) as pilot:
            app.push_screen(DetailScreen(s.id))
            await settle(pilot)
            body = app.screen.query_one("#detail-body")

            def shown(selector: str) -> bool:
                region = app.screen.query_one(selector).region
                return region.height > 0 and body.region.y <= region.y < body.region.bottom

            assert not shown("#marks-1") and not shown("#detail-revisions")
            await pilot.press("l")
            await pilot.pause()
            assert shown("#marks-1")
            await pilot.press("v")
            await pilot.pause()
            assert shown("#detail-revisions")
            assert "時間軸" in screen_text(app) and "修改紀錄" in screen_text(app)


async def test_ctrl_p_does_nothing_and_help_says_where_everything_is(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        await quiet(pilot)
        before = screen_text(app)
        await pilot.press("ctrl+p")
        await quiet(pilot)
        assert isinstance(app.screen, HomeScreen) and screen_text(app) == before
        await pilot.press("f1")
        await quiet(pilot)
        note = app.screen.query_one("#help-everything")
        assert "Ctrl+P 不做任何事" in str(note.render()) and note.region.height > 0


async def test_setup_at_80_columns_shows_every_required_mark_and_both_routes(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    for lang in ("zh", "en"):
        app = make_app(store, rubrics, clocks, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            await pilot.pause()
            text = screen_text(app)
            for field in rubrics["telephone"].header:
                if field.required and field.type == "text":
                    assert f"{field.label.get(lang)} *" in text, (lang, field.key)
            for key in ("setup.route.switchboard", "setup.route.direct"):
                assert tr(key, lang) in text, (lang, key)


async def test_setup_marks_read_without_colour_and_direct_disables_the_boxes(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from textual.widgets import Checkbox, RadioButton

    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        def mark(selector: str) -> str:
            return str(app.screen.query_one(selector).render())

        assert "●" in mark("#switchboard") and "○" in mark("#direct")
        assert "✓" in mark("#has_ivr") and "✓" in mark("#has_operator")
        app.screen.query_one("#direct", RadioButton).value = True
        await pilot.pause()
        assert "○" in mark("#switchboard") and "●" in mark("#direct")
        assert all(box.disabled for box in app.screen.query(Checkbox))


async def test_setup_offers_agencies_and_units_of_earlier_tests(
        tmp_path: Path) -> None:
    from textual.widgets import Input

    with pendulum.travel_to(NOW, freeze=True), demo_store(tmp_path) as store:
        agency = next(s.header["agency"] for s in store.all() if s.rubric == "telephone")
        app = make_app(store, RUBRICS, Clocks())
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("n")
            await settle(pilot)
            box = app.screen.query_one("#h-agency", Input)
            await pilot.press(*agency[:2])
            await settle(pilot)
            await pilot.press("right")  # takes the suggestion
            await pilot.pause()
            assert box.value.startswith(agency[:2]) and len(box.value) > 2
            assert box.value in {s.header.get("agency") for s in store.all()}


async def test_live_items_select_with_arrows_reverse_with_left_and_2_3_asks_the_branch(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from callcheck.ui.widgets.dialogs import PickDialog

    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        screen = app.screen
        answers = c.session.answers
        await c.press("down", "down")  # select 2.2.2 without answering anything
        assert screen.selected == "2.2.2" and answers == {}
        await c.press("right")  # its first answer
        first = answers["2.2.2"]
        await c.press("right", "left")  # and back: ← reverses
        assert answers["2.2.2"] == first
        await c.press("left")  # from the first, ← wraps to the last answer
        assert answers["2.2.2"] != first
        await c.press("up")
        assert screen.selected == "2.2.1" and "2.2.1" not in answers
        await c.press("4")  # 2.3: the branch first
        assert isinstance(app.screen, PickDialog) and "2.3" not in answers
        await c.press("2")
        assert isinstance(app.screen, LiveScreen)
        assert answers["2.3"]["branch"] == "乙"
        await c.press("4", "4", "4")  # then the bands of 乙 only
        assert answers["2.3"]["branch"] == "乙"
