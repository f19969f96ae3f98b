"""A table that renders only the rows on screen, for histories of any length.

Textual's DataTable builds and measures every row up front (over a second at
10,000 sessions even with fixed column widths). This Line API widget has fixed
column widths (one column may take the remaining space) and turns a row into
text only when it is painted, so setting 10,000 rows costs nothing and a
frame costs the same whatever the number of rows.

Cells are plain text or `rich.text.Text`: never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int
    """Cells wide; 0 for the one column that takes the remaining width."""
    align: str = "left"
    min_width: int = 8
    hide_order: int = 0
    """0: always shown; otherwise, when the table is too narrow, 1 is hidden first, then 2…"""


class LazyTable(ScrollView, Generic[R], can_focus=True):
    """Rows of any sequence, shown a screenful at a time, with a row cursor."""

    DEFAULT_CSS = """
    LazyTable {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
    }
    LazyTable:focus {
        background-tint: $foreground 3%;
    }
    LazyTable > .lazy-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    LazyTable > .lazy-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    LazyTable:focus > .lazy-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    LazyTable > .lazy-table--highlight {
        color: $text-warning;
        text-style: bold;
    }
    LazyTable > .lazy-table--muted {
        color: $text-muted;
    }
    LazyTable > .lazy-table--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lazy-table--header", "lazy-table--cursor", "lazy-table--highlight",
        "lazy-table--muted", "lazy-table--empty",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass(eq=False)
    class RowChosen(Message):
        """Enter was pressed on a row, or a row was clicked twice."""

        table: LazyTable[Any]
        index: int
        row: Any

        @property
        def control(self) -> LazyTable[Any]:
            return self.table

    @dataclass(eq=False)
    class HeaderClicked(Message):
        """A column's header was clicked (to sort by it)."""

        table: LazyTable[Any]
        column: str

        @property
        def control(self) -> LazyTable[Any]:
            return self.table

    def __init__(self, columns: Sequence[Column], cells: Callable[[R], Sequence[str | Text]],
                 *, row_class: Callable[[R], str | None] | None = None, empty: str = "",
                 name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns: list[Column] = list(columns)
        self._cells = cells
        self._row_class = row_class
        self.empty_text = empty
        self.rows: Sequence[R] = ()
        self.header_marks: dict[str, str] = {}
        """Text after a column's label (e.g. the sort arrow)."""
        self._cache: LRUCache[tuple[Any, ...], Strip] = LRUCache(256)
        self._generation = 0

    # -- data -------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[R], cursor: int | None = None) -> None:
        """Show new rows; the cursor goes to `cursor` (or stays where it was, within range)."""
        self.rows = rows
        self._generation += 1
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        target = self.cursor_row if cursor is None else cursor
        self.cursor_row = max(0, min(target, len(rows) - 1))
        self.refresh()

    def set_header_marks(self, marks: dict[str, str]) -> None:
        self.header_marks = marks
        self._cache.clear()
        self.refresh()

    @property
    def current(self) -> R | None:
        """The row under the cursor, if any."""
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows[self.cursor_row]
        return None

    def refresh_rows(self) -> None:
        """Repaint after the rows' content changed in place."""
        self._generation += 1
        self._cache.clear()
        self.refresh()

    # -- layout -----------------------------------------------------------------------------
    def visible_columns(self, width: int | None = None) -> list[tuple[Column, int]]:
        """The columns that fit the table's width, each with its width.

        Columns with a `hide_order` are dropped, lowest first, until the fixed
        widths leave the flexible column its minimum.
        """
        total = self.scrollable_content_region.width if width is None else width
        shown = list(self.columns)
        droppable = sorted((c for c in shown if c.hide_order), key=lambda c: c.hide_order)

        def needed(cols: list[Column]) -> int:
            return sum(c.width or c.min_width for c in cols) + len(cols) - 1

        while droppable and needed(shown) > total:
            shown.remove(droppable.pop(0))
        fixed = sum(c.width for c in shown) + len(shown) - 1
        flex = [c for c in shown if c.width == 0]
        spare = max(0, total - fixed)
        return [(c, c.width or max(c.min_width, spare // len(flex))) for c in shown]

    def column_widths(self, width: int | None = None) -> list[int]:
        """The width of each visible column (one space between columns)."""
        return [w for _, w in self.visible_columns(width)]

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._scroll_to_cursor()  # a shorter table (a notice took rows) still shows the cursor

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # -- painting ---------------------------------------------------------------------------
    def _line(self, texts: Sequence[str | Text], width: int, style: Style) -> Strip:
        visible = self.visible_columns(width)
        by_key = dict(zip((c.key for c in self.columns), texts, strict=False))
        widths = [w for _, w in visible]
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for n, (col, width_) in enumerate(visible):
            value = by_key.get(col.key, "")
            cell = value.copy() if isinstance(value, Text) else Text(str(value))
            cell.no_wrap = True
            if col.align == "right":
                cell.truncate(width_, overflow="ellipsis")
                cell.pad_left(width_ - cell.cell_len)
            else:
                cell.truncate(width_, overflow="ellipsis", pad=True)
            if n:
                line.append(" ")
            line.append_text(cell)
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in line.render(self.app.console)]
        return Strip(segments).adjust_cell_length(sum(widths) + len(widths) - 1, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = int(self.scroll_offset.y) + y - 1
        if not self.rows and y == 1 and self.empty_text:
            style = base + self.get_component_rich_style("lazy-table--empty")
            return Strip([Segment(self.empty_text, style)]).adjust_cell_length(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        key = (self._generation, index, index == self.cursor_row, self.has_focus, width)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        row = self.rows[index]
        style = base
        kind = self._row_class(row) if self._row_class else None
        if kind:
            style += self.get_component_rich_style(f"lazy-table--{kind}")
        if index == self.cursor_row:
            style += self.get_component_rich_style("lazy-table--cursor")
        strip = self._line(self._cells(row), width, style)
        strip = strip.adjust_cell_length(width, base).apply_meta({"row": index})
        self._cache[key] = strip
        return strip

    def _header(self, width: int, base: Style) -> Strip:
        key = ("header", self._generation, width, tuple(self.header_marks.items()))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        style = base + self.get_component_rich_style("lazy-table--header")
        labels = [c.label + self.header_marks.get(c.key, "") for c in self.columns]
        strip = self._line(labels, width, style).adjust_cell_length(width, style)
        self._cache[key] = strip
        return strip

    def watch_cursor_row(self, old: int, new: int) -> None:
        """The render cache's key holds the cursor: only the rows it left and entered redraw."""
        self._scroll_to_cursor()
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    # -- keys and mouse ---------------------------------------------------------------------
    def _move(self, delta: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(len(self.rows) - 1, self.cursor_row + delta))

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self._move(-len(self.rows))

    def action_last(self) -> None:
        self._move(len(self.rows))

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.RowChosen(self, self.cursor_row, row))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x
            for col, width in self.visible_columns():
                if x < width + 1:
                    self.post_message(self.HeaderClicked(self, col.key))
                    return
                x -= width + 1
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self.rows):
            chosen_again = index == self.cursor_row and event.chain >= 2
            self.cursor_row = index
            if chosen_again:
                self.action_choose()
