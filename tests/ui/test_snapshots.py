"""Snapshots of the screens a tester looks at during and after a call (fake clock, fixed date)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from callcheck.rubric import Rubric
from callcheck.store import Store

from .conftest import Caller, Clocks, make_app

SIZES = [(120, 36), (80, 24)]


async def operator_ringing_late(pilot: Pilot[int], clocks: Clocks) -> None:
    """Voice system answered, items given; the operator has rung 5 times, 13.4 s: points lost."""
    c = Caller(pilot, clocks)
    await c.setup(question="如何申請投票通知單？")
    await c.rings(1.0, 2)
    await c.key("a", 4.6)
    await c.press("1")
    await c.key("t", 6.0)
    await c.rings(7.0, 5)
    await c.press("1", "2", "2", "5", "5", "5", "5")
    clocks.at(7.0 + 13.4)
    await c.tick()


async def call_in_review(pilot: Pilot[int], clocks: Clocks) -> None:
    """A whole call with deductions, one item not answered yet, in review."""
    c = Caller(pilot, clocks)
    await c.setup()
    await c.rings(1.0, 2)
    await c.key("a", 4.6)
    await c.press("1")
    await c.key("t", 6.0)
    await c.rings(7.0, 6)
    await c.key("a", 23.2)
    await c.press("1", "1", "2", "3", "4", "5", "6", "7", "8", "m")
    await c.press(*"未報單位")
    await c.press("enter")
    await c.key("t", 25.0)
    await c.rings(26.0, 3)
    await c.key("a", 33.0)
    await c.press("1", "2", "3", "minus", "minus")
    await c.key("e", 90.0)
    await c.press("enter")
    await c.settle()


def run(store: Store, rubrics: dict[str, Rubric], clocks: Clocks,
        steps: Callable[[Pilot[int], Clocks], object]):  # type: ignore[no-untyped-def]
    app = make_app(store, rubrics, clocks)

    async def before(pilot: Pilot[int]) -> None:
        await steps(pilot, clocks)  # type: ignore[misc]

    return app, before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_live_screen_while_the_operator_rings_past_the_limit(
        snap_compare, store: Store, rubrics: dict[str, Rubric], clocks: Clocks,  # type: ignore[no-untyped-def]
        size: tuple[int, int]) -> None:
    app, before = run(store, rubrics, clocks, operator_ringing_late)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_screen_after_a_call_with_deductions(
        snap_compare, store: Store, rubrics: dict[str, Rubric], clocks: Clocks,  # type: ignore[no-untyped-def]
        size: tuple[int, int]) -> None:
    app, before = run(store, rubrics, clocks, call_in_review)
    assert snap_compare(app, terminal_size=size, run_before=before)
