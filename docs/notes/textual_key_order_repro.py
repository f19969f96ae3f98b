"""Minimal reproduction: keys that arrive together land in the wrong field (Textual 8.2.8).

    python docs/notes/textual_key_order_repro.py          # headless, Pilot: prints both runs
    python docs/notes/textual_key_order_repro.py --tty    # a real terminal: type into it

Headless, the keys are posted the way the terminal driver posts the keys of one read. With
plain Textual the first run prints ['基隆市政府民政處02-2424', '', ''] and
['督導', '', ''] (three backspaces, then 督導林主任); when it prints the expected
values (as the KeyOrder run does), Textual has fixed it and callcheck's workaround
(src/callcheck/ui/key_order.py) can go.

In a terminal (`--tty`, e.g. inside tmux), send a burst as an IME would:
    tmux send-keys -t SESSION -l $'基隆市政府\\t民政處\\t02-2424'
and the first field shows 基隆市政府民政處.
"""

from __future__ import annotations

import asyncio
import sys

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input


class ThreeFields(App[None]):
    def compose(self) -> ComposeResult:
        for n in range(3):
            yield Input(id=f"f{n}")


def key(name: str) -> events.Key:
    return events.Key(name, {"tab": "\t", "backspace": "\x7f"}.get(name, name))


async def run(app: App[None]) -> None:
    async with app.run_test() as pilot:
        for name in [*"基隆市政府", "tab", *"民政處", "tab", *"02-2424"]:
            app.post_message(key(name))  # one read: nothing waits for the key before
        await pilot.pause()
        print([i.value for i in app.query(Input)])
        for i in app.query(Input):
            i.value = ""
        app.query_one("#f0", Input).focus()
        first = app.query_one("#f0", Input)
        first.value, first.cursor_position = "王小明", 3
        await pilot.pause()
        for name in ["backspace"] * 3 + [*"督導林主任"]:
            app.post_message(key(name))
        await pilot.pause()
        print([i.value for i in app.query(Input)])


async def main() -> None:
    print("plain Textual:")
    await run(ThreeFields())
    try:
        from callcheck.ui.key_order import KeyOrder
    except ImportError:
        return

    class Ordered(KeyOrder[None], ThreeFields):
        pass

    print("with callcheck's KeyOrder:")
    await run(Ordered())


if __name__ == "__main__":
    if "--tty" in sys.argv:
        ThreeFields().run()
    else:
        asyncio.run(main())
