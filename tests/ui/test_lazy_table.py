"""The lazy table: only the rows on screen are turned into text; keys move a row cursor."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from callcheck.ui.widgets.lazy_table import Column, LazyTable

from .conftest import quiet

pytestmark = pytest.mark.usefixtures("every_frame")
"""These tests are about which rows get drawn: the app draws every frame, as it does live."""

COLUMNS = [Column("n", "N", 6, align="right"), Column("name", "Name", 0, min_width=10),
           Column("extra", "Extra", 30, hide_order=1)]


class TableApp(App[None]):
    def __init__(self, rows: list[int]) -> None:
        super().__init__()
        self.rows = rows
        self.built: list[int] = []
        self.chosen: list[int] = []
        self.headers: list[str] = []

    def cells(self, n: int) -> list[str]:
        self.built.append(n)
        return [str(n), f"[b]row {n}[/b]", "x" * 40]

    def compose(self) -> ComposeResult:
        yield LazyTable(COLUMNS, self.cells, row_class=lambda n: "highlight" if n % 7 == 0
                        else None)

    def on_mount(self) -> None:
        self.query_one(LazyTable).set_rows(self.rows)
        self.query_one(LazyTable).focus()

    def on_lazy_table_row_chosen(self, event: LazyTable.RowChosen) -> None:
        self.chosen.append(event.row)

    def on_lazy_table_header_clicked(self, event: LazyTable.HeaderClicked) -> None:
        self.headers.append(event.column)


async def test_ten_thousand_rows_build_only_the_visible_ones() -> None:
    app = TableApp(list(range(10_000)))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert set(app.built) <= set(range(19))
        await pilot.press("pagedown", "pagedown", "end")
        await pilot.pause()
        table = app.query_one(LazyTable)
        assert table.cursor_row == 9_999 and table.current == 9_999
        assert len(set(app.built)) < 100
        await pilot.press("enter")
        assert app.chosen == [9_999]
        await pilot.press("home", "down", "down")
        assert table.cursor_row == 2 and int(table.scroll_offset.y) == 0


async def test_markup_in_cells_is_shown_as_text() -> None:
    app = TableApp([1])
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = app.query_one(LazyTable).render_line(1).text
        assert "[b]row 1[/b]" in line


async def test_narrow_tables_drop_columns_by_their_order_and_clicks_hit_headers() -> None:
    app = TableApp(list(range(5)))
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(LazyTable)
        assert [c.key for c, _ in table.visible_columns()] == ["n", "name"]
        assert [c.key for c, _ in table.visible_columns(200)] == ["n", "name", "extra"]
        await pilot.click(LazyTable, offset=(9, 0))
        await pilot.click(LazyTable, offset=(2, 0))
        assert app.headers == ["name", "n"]
        await pilot.click(LazyTable, offset=(9, 3))
        assert table.cursor_row == 2


async def test_moving_the_cursor_redraws_only_the_rows_it_leaves_and_enters() -> None:
    """The render cache survives cursor moves (its key holds the cursor)."""
    app = TableApp(list(range(1_000)))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert len(set(app.built)) >= 15  # the first screenful
        app.built.clear()
        for _ in range(3):  # each move drawn before the next
            await pilot.press("down")
            await quiet(pilot, pause_first=False)
        assert sorted(set(app.built)) == [0, 1, 2, 3]
