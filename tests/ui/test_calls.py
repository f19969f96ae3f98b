"""Whole calls driven through the app with a fake clock: the stored timeline and score."""

from __future__ import annotations

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.screens.home import HomeScreen
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.screens.review import ReviewScreen

from .conftest import (
    HANDLER_LAG,
    OPERATOR_ALL_YES,
    UNIT_BEST,
    Caller,
    Clocks,
    make_app,
    marks,
    typed,
)


async def finish(c: Caller) -> str:
    """End of call → review → finish; returns the session id once it is stored."""
    assert isinstance(c.app.screen, LiveScreen)
    sid = c.session.id
    await c.press("enter")
    assert isinstance(c.app.screen, ReviewScreen)
    await c.press("ctrl+s")
    await c.settle()
    assert isinstance(c.app.screen, HomeScreen), c.app.screen.query_one("#review-status")
    return sid


async def test_a_perfect_call_is_stored_with_its_timeline_and_scores_100(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.perfect_call()
        sid = await finish(c)
    stored = store.get(sid)
    assert stored.status == "finished"
    assert stored.result is not None and stored.result["total"] == {
        "points": 100, "max": 100, "score": 100.0}
    assert marks(stored) == [
        (0.0, "dial", "ivr"), (1.0, "ring", "ivr"), (4.0, "ring", "ivr"), (5.0, "answer", "ivr"),
        (6.0, "transfer", "ivr"), (7.0, "ring", "operator"), (10.0, "ring", "operator"),
        (12.0, "answer", "operator"), (14.0, "transfer", "operator"), (15.0, "ring", "unit"),
        (16.5, "answer", "unit"), (60.0, "hang_up", "unit")]
    assert stored.attempts[0].started_at == "2026-11-26T10:00:00+08:00"
    assert store.drafts() == []


async def test_deductions_in_both_switchboard_and_unit(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 2)
        await c.key("a", 5.0)
        await c.press("1")
        await c.key("t", 6.0)
        await c.rings(7.0, 6)  # 6 rings, answered 16.2 s after the first
        await c.key("a", 23.2)
        await c.press("1", "1", "2", "3", "4", "5", "6", "7", "8", "8")  # 1.3.1 no, 1.3.8 (1)
        await c.key("t", 25.0)
        await c.rings(26.0, 7)  # 7 rings, answered 19.0 s after the first
        await c.key("a", 45.0)
        await c.press("1", "1", "2", "2", "3", "minus", "minus", "4", "1", "4", "minus")
        await c.key("e", 90.0)
        sid = await finish(c)
    items = store.get(sid).result["items"]  # type: ignore[index]
    points = {k: v["points"] for k, v in items.items()}
    assert points["1.2"] == 8 and items["1.2"]["note"] == "6 聲 / 16.2 秒：−2"
    assert points["2.1.1"] == 7
    assert (points["1.3.1"], points["1.3.8"]) == (0, 1)
    assert (points["2.2.1"], points["2.2.2"], points["2.2.3"], points["2.3"]) == (5, 0, 8, 14)
    assert store.get(sid).result["total"]["points"] == 73  # type: ignore[index]


async def test_no_voice_system_doubles_the_operators_speed_points(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(has_ivr=False)
        await c.rings(1.0, 6)
        clocks.at(17.2)
        await c.tick()
        shown = str(app.screen.query_one("#clock-points").render())
        assert "16 / 20" in shown and "本項得分乘以 2" in shown  # the rule's own words
        await c.key("a", 17.2)
        await c.press(*OPERATOR_ALL_YES)
        await c.key("t", 20.0)
        await c.key("space", 21.0)
        await c.key("a", 22.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 50.0)
        sid = await finish(c)
    result = store.get(sid).result
    assert result is not None
    assert result["items"]["1.2"]["points"] == 16 and result["items"]["1.2"]["max"] == 20
    assert result["items"]["1.1.1"]["status"] == "na"
    assert result["total"] == {"points": 96, "max": 100, "score": 96.0}
    assert [m[2] for m in marks(store.get(sid))][:2] == ["operator", "operator"]


async def test_a_direct_line_scores_only_the_unit(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 40.0)
        sid = await finish(c)
    result = store.get(sid).result
    assert result is not None
    assert result["total"] == {"points": 60, "max": 60, "score": 100.0}
    assert all(result["items"][i]["status"] == "na" for i in ("1.1.1", "1.2", "1.3.5"))


async def test_unanswered_then_early_retest_refused_then_retest_answered(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    told: list[str] = []
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        notify = app.notify

        def spy(message: str, **kw: object) -> None:
            told.append(message)
            notify(message, **kw)  # type: ignore[arg-type]

        app.notify = spy  # type: ignore[method-assign]
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        sid = c.session.id
        assert c.session.status == "pending_retest"
        assert "10:10:00" in str(app.screen.query_one("#live-status").render())
        await c.press("enter")
        await c.settle()
        assert isinstance(app.screen, HomeScreen)
        assert store.get(sid).status == "pending_retest"
        assert store.get(sid).due_at == "2026-11-26T10:10:00+08:00"
        clocks.at(5 * 60)
        await c.press("r")
        assert any("10:10:00" in t and "5:00" in t for t in told), told
        assert isinstance(app.screen, HomeScreen)
        clocks.at(10 * 60)
        await c.press("r")
        assert isinstance(app.screen, LiveScreen) and c.session.id == sid
        await c.rings(601.0, 2)
        await c.key("a", 604.0)
        await c.press("1")
        await c.key("t", 605.0)
        await c.key("space", 606.0)
        await c.key("a", 607.0)
        await c.press(*OPERATOR_ALL_YES)
        await c.key("t", 610.0)
        await c.key("space", 611.0)
        await c.key("a", 612.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 650.0)
        await finish(c)
    stored = store.get(sid)
    assert [a.started_at for a in stored.attempts] == ["2026-11-26T10:00:00+08:00",
                                                       "2026-11-26T10:10:00+08:00"]
    assert marks(stored, 1)[:3] == [(0.0, "dial", "ivr"), (1.0, "ring", "ivr"),
                                    (4.0, "ring", "ivr")]
    assert stored.result is not None and stored.result["total"]["points"] == 100


async def test_two_unanswered_attempts_score_the_speed_item_zero(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        for start in (0.0, 700.0):
            if start == 0.0:
                await c.setup(at=start)
            else:
                clocks.at(start)
                await c.press("r")
            await c.key("space", start + 1.0)
            await c.key("a", start + 2.0)
            await c.press("1") if start == 0.0 else None
            await c.key("t", start + 3.0)
            await c.rings(start + 4.0, 9)
            await c.key("g", start + 30.0)
            if start == 0.0:
                await c.press("enter")
                await c.settle()
        assert c.session.status == "draft"
        sid = await finish(c)
    result = store.get(sid).result
    assert result is not None
    assert result["items"]["1.2"]["points"] == 0
    assert result["items"]["1.2"]["note"].startswith("連打二次無人接聽")
    assert result["items"]["1.3.1"]["status"] == "unreached"
    assert result["items"]["2.3"]["status"] == "unreached"
    assert result["total"]["points"] == 10


async def test_unit_unanswered_without_automatic_transfer(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.rings(1.0, 9)
        await c.key("g", 26.0)
        assert c.session.status == "draft"
        sid = await finish(c)
    items = store.get(sid).result["items"]  # type: ignore[index]
    assert (items["2.1.1"]["points"], items["2.1.2"]["points"]) == (0, 0)
    assert items["2.2.1"]["status"] == "unreached"


async def test_unit_unanswered_with_automatic_transfer(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.rings(1.0, 5)
        await c.key("x", 14.0)
        await c.key("a", 16.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 60.0)
        sid = await finish(c)
    stored = store.get(sid)
    items = stored.result["items"]  # type: ignore[index]
    assert (items["2.1.1"]["points"], items["2.1.2"]["points"]) == (0, 5)
    assert items["2.3"]["points"] == 20
    assert [k for _, k, _ in marks(stored)][-3:] == ["auto_transfer", "answer", "hang_up"]


async def test_undo_takes_back_a_mis_pressed_ring(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        await c.key("space", 1.0)
        await c.key("space", 2.0)  # pressed by mistake
        await c.key("u", 2.5)
        assert "已標記 1 聲" in str(app.screen.query_one("#clock-rings").render())
        await c.key("space", 4.0)
        await c.key("a", 5.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 30.0)
        sid = await finish(c)
    stored = store.get(sid)
    assert [k for _, k, _ in marks(stored)] == ["dial", "ring", "ring", "undo", "ring", "answer",
                                                "hang_up"]
    assert stored.result["items"]["2.1.1"]["note"] == "2 聲 / 4.0 秒：滿分"  # type: ignore[index]


async def test_quit_mid_call_and_resume_on_the_next_start(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.key("space", 1.0)
        await c.key("a", 2.0)
        await c.press("1")
        sid = c.session.id
        await c.press("ctrl+q")
    assert app.return_code is not None
    [draft] = store.drafts()
    assert draft.id == sid and draft.answers == {"1.1.2": {"points": 5, "option": 1}}
    assert sid not in store

    again = make_app(store, rubrics, clocks)
    async with again.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.settle()
        again.screen.query_one("#drafts").focus()
        await c.press("enter")
        assert isinstance(again.screen, LiveScreen)
        assert c.session.id == sid
        clocks.at(30.0)
        await c.tick()
        assert "29.0" not in str(again.screen.query_one("#clock-digits").render())
        await c.key("t", 31.0)
        await c.key("space", 32.0)
        await c.key("a", 33.0)
        await c.press(*OPERATOR_ALL_YES)
        await c.key("t", 35.0)
        await c.key("space", 36.0)
        await c.key("a", 37.0)
        await c.press(*UNIT_BEST)
        await c.key("e", 80.0)
        await finish(c)
    stored = store.get(sid)
    assert stored.result["total"]["points"] == 100  # type: ignore[index]
    assert [t for t, _, _ in marks(stored)][:5] == [0.0, 1.0, 2.0, 31.0, 32.0]
    assert store.drafts() == []


async def test_a_mark_is_the_key_events_own_time_not_the_handlers(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    from textual import events

    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(at=0.0)
        pressed = clocks.at(3.2)
        clocks.at(4.9)  # the handler runs 1.7 s later (a busy event loop)
        event = events.Key("space", " ")
        event.time = pressed
        app.post_message(event)
        await pilot.pause()
        assert marks(c.session)[-1] == (3.2, "ring", "ivr")
        assert HANDLER_LAG > 0


async def test_keyboard_auto_repeat_is_ignored(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        for t in (1.0, 1.5, 1.53, 1.56):  # a held space bar
            await c.key("space", t)
        await c.key("space", 4.0)
        assert [k for _, k, _ in marks(c.session)] == ["dial", "ring", "ring"]


async def test_giving_up_too_soon_is_refused_with_the_reason(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 3)
        await c.key("g", 10.0)
        assert "尚未達9 聲或 20.0 秒" in str(app.screen.query_one("#live-status").render())
        assert [k for _, k, _ in marks(c.session)][-1] == "ring"
        await c.settle()
        [draft] = store.drafts()
        assert [m.kind for m in draft.attempts[0].marks] == ["dial", "ring", "ring", "ring"]


async def test_operator_answers_in_full_and_the_unit_part_is_marked_not_applicable(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    """No transfer needed: the call ends at the operator; `D` excludes part 二 with one reason."""
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup()
        await c.rings(1.0, 1)
        await c.key("a", 2.0)
        await c.press("1")
        await c.key("t", 3.0)
        await c.rings(4.0, 2)
        await c.key("a", 8.0)
        await c.press(*OPERATOR_ALL_YES)
        await c.key("e", 40.0)
        await c.press("enter")
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one("#items")
        table.move_cursor(row=table.get_row_index("2.2.1"))  # type: ignore[attr-defined]
        await c.press("X")
        await typed(pilot, "總機即完整答復毋需轉接")
        await c.press("enter")
        await c.press("ctrl+s")
        await c.settle()
        assert isinstance(app.screen, HomeScreen)
    (stored,) = store.all()
    unit_items = [i.id for i in rubrics["telephone"].items if i.id.startswith("2.")]
    assert {stored.na[i] for i in unit_items} == {"總機即完整答復毋需轉接"}
    assert stored.result is not None
    assert stored.result["total"] == {"points": 40, "max": 40, "score": 100.0}


async def test_the_footer_is_rebuilt_only_when_its_keys_change_not_at_every_ring(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        rebuilt: list[tuple[bool, ...]] = []
        refresh = screen.refresh_bindings

        def counting() -> None:
            rebuilt.append(screen.footer_keys())
            refresh()

        screen.refresh_bindings = counting  # type: ignore[method-assign]
        await c.key("space", 1.0)  # the first ring: undo becomes possible
        await c.rings(4.0, 5)  # five more rings: the same keys
        assert len(rebuilt) == 1
        await c.key("a", 19.0)  # answered: ring and give-up go, hang-up comes
        assert len(rebuilt) == 2 and rebuilt[0] != rebuilt[1]
