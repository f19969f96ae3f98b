"""The app says which database it opened: on the home screen, under F1, and once when it is new."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from callcheck.rubric import Rubric
from callcheck.store import Store
from callcheck.ui.app import CallcheckApp
from callcheck.ui.screens.help import HelpScreen

from .conftest import Clocks


async def test_home_and_f1_show_the_database_and_a_new_one_is_announced_once(
        store: Store, rubrics: dict[str, Rubric], clocks: Clocks, tmp_path: Path) -> None:
    older = tmp_path / "old" / "sessions" / "callcheck.json"
    app = CallcheckApp(store, rubrics, "zh", clock=clocks, wall_clock=clocks.wall,
                       db_created=True, older_db=older)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#home-db", Label).render())
        assert shown == f"資料庫：{store.path}"
        notice = app.screen.query_one("#home-notice", Label)
        assert str(notice.render()).splitlines() == [
            f"已建立新的資料庫：{store.path}",
            f"舊版的預設位置另有一個資料庫：{older}。要使用它：callcheck --db {older}"]
        assert list(app._notifications) == []  # in home's own line: no notice over the lists
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not notice.display  # home shown again: not said twice
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert str(app.screen.query_one("#help-db", Label).render()) == f"資料庫：{store.path}"
