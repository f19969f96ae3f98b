"""A short list to pick from with ↑ ↓ and Enter: light enough for the first screen.

The home screen shows a handful of rows (the menu, pending retests, drafts);
a DataTable or OptionList would cost more start-up time than the whole rest
of the screen. Rows are Rich Text: a tester's words are never markup here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceList(Widget, can_focus=True):
    """Rows of cells in columns; the highlighted row is chosen with Enter (or a click)."""

    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    ChoiceList:focus {
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "choose", "Choose", show=False),
    ]

    highlighted: reactive[int] = reactive(0)
    """The highlighted row; -1 for none."""

    @dataclass(eq=False)
    class Chosen(Message):
        """A row was chosen; `key` is the row's key."""

        choice_list: ChoiceList
        key: str

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    class NothingChosen(Message):
        """Enter was pressed with no row highlighted yet (see `preselect`)."""

    def __init__(self, *, empty: str = "", header: Sequence[str] = (),
                 id: str | None = None, preselect: bool = True) -> None:
        super().__init__(id=id)
        self.empty = empty
        self.preselect = preselect
        """False: no row is highlighted until ↑ ↓ (Enter chooses nothing by surprise)."""
        self.header = tuple(header)
        self.keys: list[str] = []
        self.rows: list[tuple[Text, ...]] = []

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Text | str]]]) -> None:
        """Replace the rows: (key, cells) each; the highlight stays on the same key if it can."""
        current = self.highlighted_key
        self.keys = [key for key, _ in rows]
        self.rows = [tuple(c if isinstance(c, Text) else Text(c) for c in cells)
                     for _, cells in rows]
        self.highlighted = self.keys.index(current) if current in self.keys else \
            (0 if self.preselect else -1)
        self.refresh(layout=True)

    def update_cell(self, key: str, column: int, value: Text | str) -> None:
        if key in self.keys:
            n = self.keys.index(key)
            cells = list(self.rows[n])
            cells[column] = value if isinstance(value, Text) else Text(value)
            self.rows[n] = tuple(cells)
            self.refresh()

    @property
    def highlighted_key(self) -> str | None:
        return self.keys[self.highlighted] if 0 <= self.highlighted < len(self.keys) else None

    def render(self) -> RenderableType:
        if not self.rows:
            return Text(self.empty, style="dim")
        table = Table.grid(padding=(0, 2))
        for _ in self.rows[0]:
            table.add_column(no_wrap=True, overflow="ellipsis")
        if self.header:
            table.add_row(*(Text(h, style="bold dim") for h in self.header))
        for n, cells in enumerate(self.rows):
            mark = n == self.highlighted and self.has_focus
            table.add_row(*cells, style="reverse" if mark else None)
        return table

    def watch_highlighted(self) -> None:
        self.refresh()
        self.call_after_refresh(self._show_highlighted)

    def _show_highlighted(self) -> None:
        """Scroll the highlighted row into view (a long list scrolls inside its max-height)."""
        parent = self.parent
        if self.rows and isinstance(parent, Widget):
            header = 1 if self.header else 0
            y = self.virtual_region.y + self.highlighted + header
            if self.highlighted == 0:  # the first row: its header with it
                y, height = y - header, 1 + header
            else:
                height = 1
            parent.scroll_to_region(Region(0, y, max(1, self.size.width), height),
                                    animate=False, immediate=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        if not self.rows:
            return
        if self.highlighted < 0:
            self.highlighted = 0 if step > 0 else len(self.rows) - 1
        else:
            self.highlighted = (self.highlighted + step) % len(self.rows)

    def action_choose(self) -> None:
        key = self.highlighted_key
        if key is None:
            self.post_message(self.NothingChosen())
        else:
            self.post_message(self.Chosen(self, key))

    def on_click(self, event: object) -> None:
        y = getattr(event, "y", -1) - (1 if self.header else 0)
        if 0 <= y < len(self.rows):
            self.highlighted = y
            self.action_choose()
