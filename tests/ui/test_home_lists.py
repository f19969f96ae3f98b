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
