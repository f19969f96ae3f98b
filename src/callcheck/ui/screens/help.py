"""Help: every key of the screen beneath and of the app, from the bindings the footer shows.

Nothing here is written by hand: the rows come from the screen's and the
app's BINDINGS (in the UI's language, see `bindings.localize`). Keys that are
not available at this moment (e.g. Enter before the call has ended) are
listed dimmed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.widgets import DataTable, Label

from ...live import REPEAT_WINDOW
from ...words import tr
from ..bindings import bind
from .base import CSS_DIR, CallcheckModal


def key_rows(owners: Sequence[DOMNode], display: Callable[[Binding], str],
             active: set[str]) -> list[tuple[str, str, bool]]:
    """(keys, what they do, available now), one row per description, in declared order.

    Keys sharing a description (1…0 for the items) share a row. `active` holds
    the keys available now. A focused widget's own keys (arrows in a list)
    are the widget's, not the screen's, and are left out.
    """
    rows: dict[str, tuple[list[str], list[bool]]] = {}
    for owner in owners:
        for key, bindings in owner._bindings.key_to_bindings.items():
            for binding in bindings:
                if not binding.description or binding.system:
                    continue
                keys, now = rows.setdefault(binding.description, ([], []))
                shown = display(binding)
                if shown not in keys:
                    keys.append(shown)
                now.append(key in active)
    return [(" ".join(keys), what, any(now)) for what, (keys, now) in rows.items()]


class HelpScreen(CallcheckModal[None]):

    CSS_PATH = CSS_DIR / "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("close"),
    ]

    def __init__(self, owners: Sequence[DOMNode], active: set[str]) -> None:
        super().__init__()
        self.owners = owners
        self.active = active

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="help"):
            yield Label(tr("help.title", lang), classes="title")
            yield DataTable(id="help-keys", cursor_type="none", show_cursor=False)
            yield Label(tr("help.repeat", lang, window=REPEAT_WINDOW), markup=False,
                        classes="dim")
            yield Label(tr("help.everything", lang), markup=False, classes="dim",
                        id="help-everything")
            yield Label(tr("home.db", lang, path=self.store.path), markup=False, classes="dim",
                        id="help-db")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(tr("help.key", self.lang), key="key")
        table.add_column(tr("help.what", self.lang), key="what")
        for keys, what, now in key_rows(self.owners, self.app.get_key_display, self.active):
            style = "" if now else "dim"
            table.add_row(Text(keys, style="bold " + style), Text(what, style=style))

    def action_close(self) -> None:
        self.dismiss()
