"""The footer: its keys are built compact, and rebuilt only when the keys shown change."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.bindings import KEYS
from callcheck.ui.screens.live import LiveScreen
from callcheck.ui.screens.setup import SetupScreen
from callcheck.ui.widgets.keys_footer import KeysFooter

from .conftest import Caller, Clocks, make_app, quiet


def footer_keys(footer: KeysFooter) -> list[FooterKey]:
    return list(footer.query(FooterKey))


async def test_moving_the_focus_keeps_the_footer_as_it_is(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.press("n")
        assert isinstance(app.screen, SetupScreen)
        footer = app.screen.query_one(KeysFooter)
        shown = footer_keys(footer)
        assert shown and all(key.has_class("-compact") for key in shown)
        focused = app.focused
        await c.press("tab")
        await c.press("tab")
        assert app.focused is not focused  # the focus moved: Textual's footer rebuilds here
        assert footer_keys(footer) == shown  # the very same widgets: nothing was rebuilt


async def test_a_key_that_comes_into_play_rebuilds_the_footer_with_it(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks) -> None:
    app = make_app(store, rubrics, clocks)
    async with app.run_test(size=(120, 36)) as pilot:
        c = Caller(pilot, clocks)
        await c.setup(route="direct")
        assert isinstance(app.screen, LiveScreen)
        footer = app.screen.query_one(KeysFooter)
        before = footer_keys(footer)
        assert KEYS["undo"] not in {key.key for key in before}
        await c.key("space", 1.0)  # the first ring: undo becomes possible
        await quiet(pilot)
        after = footer_keys(footer)
        assert KEYS["undo"] in {key.key for key in after}
        assert all(key.has_class("-compact") for key in after)
        assert not set(map(id, after)) & set(map(id, before))  # built anew
