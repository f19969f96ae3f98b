"""The home screen's lists scroll: every draft of a long list can be reached at 80×24."""

from __future__ import annotations

from textual.containers import VerticalScroll

from callcheck.rubric import Rubric
from callcheck.session import Session
from callcheck.store import Store
from callcheck.ui.widgets.choice_list import ChoiceList

from .conftest import Clocks, make_app, quiet


async def test_twenty_five_drafts_at_80_by_24_are_each_shown_when_highlighted(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    telephone = next(r for r in rubrics.values() if r.uses_calls)
    for n in range(25):
        s = Session.new(telephone)
        s.header["agency"] = f"機關{n:02d}"
        store.save_draft(s)
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await quiet(pilot)
        drafts = app.screen.query_one("#drafts", ChoiceList)
        box = drafts.parent
        assert isinstance(box, VerticalScroll) and len(drafts.rows) == 25
        assert box.size.height < 25  # the list does not fit: it must scroll
        drafts.focus()
        seen = []
        for _ in range(25):
            await quiet(pilot)
            row = drafts.virtual_region.y + 1 + drafts.highlighted  # 1: the header row
            top = round(box.scroll_offset.y)
            seen.append(top <= row < top + box.size.height)
            await pilot.press("down")
        assert all(seen), [n for n, ok in enumerate(seen) if not ok]
        assert drafts.highlighted == 0  # past the last it wraps to the first, shown again
        await quiet(pilot)
        assert round(box.scroll_offset.y) == 0


async def test_a_pending_retest_at_80_by_24_shows_its_agency_unit_and_due_time_whole(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    """At 80 columns the pending list keeps what tells sessions apart: agency, unit, due time."""
    from ..store.crash_child import make
    from .screen_text import screen_text

    s = make(0, 1)
    s.header["agency"], s.header["unit"] = "基隆市選舉委員會", "第二組"
    s.status, s.due_at = "pending_retest", clocks.wall().add(minutes=8).isoformat()
    store.save(s)
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        due = clocks.wall().add(minutes=8).format("HH:mm:ss")
        row = next(line for line in screen_text(app).splitlines() if "第二組" in line)
        assert "基隆市選舉委員會 第二組" in row and due in row and "…" not in row, row
        await pilot.resize_terminal(120, 36)
        for _ in range(100):  # the resize reaches the screen after a layout or two
            await pilot.pause(0.01)
            if app.screen.size.width == 120:
                break
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if "第二組" in line)
        assert "基隆市選舉委員會" in row and due in row and "民國" in row, row
