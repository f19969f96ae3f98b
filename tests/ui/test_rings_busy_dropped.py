"""The live screen and review for under-marked rings, a busy unit line and a dropped line."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.help import HelpScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.screens.review import ReviewScreen

from .conftest import Caller, Clocks, make_app, marks
from .screen_text import screen_text


async def help_keys(c: Caller) -> str:
    await c.press("f1")
    assert isinstance(c.app.screen, HelpScreen)
    table = c.app.screen.query_one(DataTable)
    rows = " ".join(table.get_row_at(n)[1].plain for n in range(table.row_count))
    await c.press("escape")
    return rows


async def test_busy_shows_in_the_unit_phase_footer_and_f1_and_the_timeline(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(80, 24)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(has_ivr=False)
        footer = screen_text(app).splitlines()[-1]
        assert "斷線" in footer and "忙線" not in footer  # busy is the unit's line only
        keys = await help_keys(c)
        assert "忙線" in keys and "斷線" in keys
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await c.press(*"12345678")
        await c.key("t", 3.0)
        assert "b 忙線" in screen_text(app).splitlines()[-1]
        await c.key("b", 4.0)
        shown = screen_text(app)
        assert "忙線" in shown.split("時間軸")[1]  # the mark on the timeline
        await c.key("g", 5.0)  # nobody takes it: no 9-ring threshold after busy
        assert "業務單位 無人接聽 忙線" in screen_text(app).splitlines()[2]  # the phase strip
        assert [k for _, k, _ in marks(c.session)][-2:] == ["busy", "give_up"]


async def test_f1_names_busy_and_dropped_in_english_and_the_footer_fits_80_columns(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        keys = await help_keys(c)
        assert "Busy" in keys and "Drop" in keys
        await c.key("space", 1.0)
        footer = screen_text(app).splitlines()[-1]
        assert "b Busy" in footer and "d Drop" in footer and "f1 Help" in footer


async def test_a_dropped_line_before_the_unit_answered_dials_again_on_enter(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.key("space", 1.0)
        await c.key("d", 3.0)
        assert "斷線：本次撥打不計分" in screen_text(app)
        assert "斷線" in screen_text(app).splitlines()[2]  # the phase strip
        clocks.at(4.0)
        await c.press("enter")
        assert isinstance(app.screen, LiveScreen)
        assert c.session.status == "draft" and len(c.session.attempts) == 2
        assert "第 2 次撥打" in screen_text(app)


async def test_review_flags_under_marked_rings_and_corrects_them_with_a_reason(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.key("space", 1.0)
        await c.key("a", 13.0)  # 12.0 s after one marked ring: 5 implied
        assert "計分依推算聲數" in screen_text(app)
        await c.press("1", "2", "3", "4", "1")  # 2.3: 甲 first
        await c.key("e", 40.0)
        await c.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one(DataTable)
        row = next(n for n in range(table.row_count) if table.get_row_at(n)[0].plain == "2.1.1")
        table.move_cursor(row=row)
        await c.pilot.pause()
        shown = screen_text(app)
        assert "⚠" in shown and "鈴響與秒數不符" in shown
        assert "9/10" in shown
        await c.press("r")
        app.screen.query_one(Input).value = "4"
        await c.press("enter")
        app.screen.query_one(Input).value = "重聽錄音，確為 4 聲"
        await c.press("enter")
        await c.pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "10/10" in screen_text(app)
        await c.press("ctrl+s")
        await c.settle()
    [stored] = store.all()
    assert stored.status == "finished"
    assert stored.revisions[-1].reason == "重聽錄音，確為 4 聲"
    assert stored.revisions[-1].changes == [{"field": "rings.unit", "old": None, "new": 4}]
    assert stored.result["items"]["2.1.1"]["points"] == 10  # type: ignore[index]


async def test_the_live_screen_proposes_the_marked_cadence_and_c_adopts_it(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.rings(1.0, 3, cadence=4.0)  # an exchange that rings every 4 s
        await c.pilot.pause(0.2)
        assert "鈴響約每 4.0 秒一聲：按 c 採用" in screen_text(app)
        await c.press("c")
        shown = screen_text(app)
        assert "依每 4 秒一聲" in shown and "按 c 採用" not in shown
        assert "鈴響間隔 4 秒" in shown.split("時間軸")[1]
        await c.key("u", 10.0)
        assert "按 c 採用" in screen_text(app)
        assert [m.kind for m in c.session.attempts[0].marks][-2:] == ["cadence", "undo"]


async def test_after_a_busy_unit_line_the_item_key_never_offers_not_busy(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    """The live item key steps answers as review does (answers.cycle): 1.3.7's
    業務單位無忙線情形 is skipped once the unit's line was marked busy."""
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(has_ivr=False)
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await c.key("t", 3.0)
        await c.key("b", 4.0)
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        for _ in range(3):
            if "1.3.7" in [i.id for i in screen.prompt_items()]:
                break
            await c.press("p")
        ids = [i.id for i in screen.prompt_items()]
        key = "1234567890"[ids.index("1.3.7")]
        seen = []
        for _ in range(4):
            await c.press(key)
            seen.append(c.session.answers.get("1.3.7"))
        assert {"points": 2, "option": 3} not in seen
        assert {"points": 0, "option": 2} in seen
