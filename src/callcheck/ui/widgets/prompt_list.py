"""The courtesy items of one phase, one key each, with the answer given so far."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ...i18n import Lang
from ...rubric import Item


@dataclass(frozen=True, slots=True)
class PromptRow:
    key: str
    item: Item
    answer: str
    """The answer in words ('' when not answered yet)."""
    noted: bool


class PromptList(Static):
    """Key · id · the form's wording · the answer; the selected item in reverse."""

    def show(self, title: str, rows: list[PromptRow], selected: str | None, lang: Lang,
             empty: str) -> None:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1, style="bold")
        table.add_column(width=6, style="dim")
        table.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(width=1)
        for row in rows:
            answer = Text(row.answer or "—", style="bold" if row.answer else "dim")
            table.add_row(row.key, row.item.id, Text(row.item.label.get(lang)), answer,
                          "✎" if row.noted else "",
                          style="reverse" if row.item.id == selected else None)
        head = Text(title, style="bold")
        if rows:
            grid = Table.grid(expand=True)
            grid.add_row(head)
            grid.add_row(table)
            self.update(grid)
        else:
            self.update(Text.assemble(head, "\n", Text(empty, style="dim")))
