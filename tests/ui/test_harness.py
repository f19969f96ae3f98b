"""The test harness's own promises (tests/ui/conftest.py): drawing waits until a test looks,
but a broken drawing still fails the test, and a test that asks draws every frame."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from .conftest import draw
from .screen_text import screen_text


class Fragile(Static):
    """Draws its text, or fails to draw once told to."""

    broken = False
    drawn = 0

    def render(self) -> str:
        Fragile.drawn += 1
        if self.broken:
            raise RuntimeError("this widget cannot be drawn")
        return "shown"


class FragileApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Fragile()


def break_it(app: App[None]) -> None:
    widget = app.query_one(Fragile)
    widget.broken = True
    widget.refresh()


async def test_a_state_that_cannot_be_drawn_fails_the_test_when_it_ends() -> None:
    app = FragileApp()
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        async with app.run_test() as pilot:
            await pilot.pause()
            break_it(app)
            await pilot.pause()  # not drawn yet: the last frame is, when the test ends


async def test_a_test_that_looks_at_the_screen_draws_it() -> None:
    app = FragileApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "shown" in screen_text(app)
        break_it(app)
        await pilot.pause()
        with pytest.raises(RuntimeError, match="cannot be drawn"):
            draw(app)
        app.query_one(Fragile).broken = False


@pytest.mark.usefixtures("every_frame")
async def test_every_frame_draws_after_each_change() -> None:
    app = FragileApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        before = Fragile.drawn
        for _ in range(3):
            app.query_one(Fragile).refresh()
            await pilot.pause()
        assert Fragile.drawn >= before + 3
