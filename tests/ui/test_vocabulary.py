"""One word for each thing: the UI's one string table, read as a whole."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from textual.binding import Binding
from textual.screen import Screen

import callcheck.ui.screens
from callcheck.i18n import Msg
from callcheck.timing import MARK_KINDS
from callcheck.ui.app import CallcheckApp
from callcheck.ui.bindings import describe
from callcheck.ui.strings import STRINGS


def terms() -> dict[str, Msg]:
    """The table's single words and short labels (no fields to fill, no sentences)."""
    return {k: m for k, m in STRINGS.items()
            if "{" not in m.zh and len(m.zh) <= 10 and not m.zh.endswith(("。", "：", "）"))}


def fold(text: str) -> str:
    return text.casefold().strip()


def test_one_chinese_word_has_one_english_word_and_back() -> None:
    """Two entries with the same Chinese say the same English, and the other way round.

    This is what catches 鈴響 on one screen and 響鈴 on another for the same mark.
    """
    zh: dict[str, set[tuple[str, str]]] = defaultdict(set)
    en: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for key, m in terms().items():
        zh[m.zh].add((fold(m.en), key))
        en[fold(m.en)].add((m.zh, key))
    clashes = [sorted(s) for s in zh.values() if len({w for w, _ in s}) > 1]
    clashes += [sorted(s) for s in en.values() if len({w for w, _ in s}) > 1]
    assert not clashes


def test_a_timing_key_and_the_mark_it_leaves_say_the_same_word() -> None:
    """The live footer's `Space 鈴響` leaves `鈴響` in every timeline (live and detail)."""
    for kind in MARK_KINDS:
        if kind == "dial":
            continue
        key, mark = STRINGS[f"key.{kind}"], STRINGS[f"mark.{kind}"]
        assert (key.zh, fold(key.en)) == (mark.zh, fold(mark.en)), kind


def screen_classes() -> list[type[Screen]]:
    found: list[type[Screen]] = []
    for info in pkgutil.iter_modules(callcheck.ui.screens.__path__):
        module = importlib.import_module(f"callcheck.ui.screens.{info.name}")
        found += [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if issubclass(c, Screen) and c.__module__ == module.__name__]
    return found


def declared(owner: type) -> list[Binding]:
    return [b for b in vars(owner).get("BINDINGS", []) if isinstance(b, Binding)]


def test_every_screen_declares_its_keys_with_an_id_in_the_table() -> None:
    """Every key of every screen (and of the app) is described from the one table."""
    classes = [*screen_classes(), CallcheckApp]
    assert len(classes) >= 12
    missing = [(c.__name__, b.key) for c in classes for b in declared(c)
               if not b.id or describe(b, "zh") == b.description]
    assert not missing


def test_the_same_action_has_the_same_key_id_on_every_screen() -> None:
    """`note` on live, review, form and detail is one key with one word, not four."""
    ids: dict[str, set[str]] = defaultdict(set)
    for c in [*screen_classes(), CallcheckApp]:
        for b in declared(c):
            ids[b.action].add((b.id or "").rstrip("0123456789"))
    assert {a: s for a, s in ids.items() if len(s) > 1} == {}
