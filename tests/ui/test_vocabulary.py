"""One word for each thing: the UI's one string table, read as a whole."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections import defaultdict
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

import callcheck.ui
import callcheck.ui.screens
from callcheck.i18n import Msg
from callcheck.keys import key_name
from callcheck.timing import MARK_KINDS
from callcheck.ui.app import CallcheckApp
from callcheck.ui.bindings import KEYS, describe
from callcheck.words import WORDS

DOCUMENTS = ("print.", "report.")
"""The printed forms' and the report's words: the appendix's own column labels (評分, 評核內容,
評核紀錄事項) with an English gloss beside them, not the screens' vocabulary."""


def terms() -> dict[str, Msg]:
    """The screens' and the command line's single words and short labels (no fields to fill,
    no sentences)."""
    return {k: m for k, m in WORDS.items()
            if "{" not in m.zh and len(m.zh) <= 10 and not m.zh.endswith(("。", "：", "）"))
            and not k.startswith(DOCUMENTS)}


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
        key, mark = WORDS[f"key.{kind}"], WORDS[f"mark.{kind}"]
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


def binding_owners() -> list[type]:
    """Every class of the UI that declares keys: the app, its screens, dialogs and widgets."""
    found: list[type] = [CallcheckApp]
    for info in pkgutil.walk_packages(callcheck.ui.__path__, "callcheck.ui."):
        module = importlib.import_module(info.name)
        found += [c for _, c in inspect.getmembers(module, inspect.isclass)
                  if c.__module__ == module.__name__ and declared(c)]
    return found


def keys_by_id(owner: type) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for b in declared(owner):
        if b.id:
            out[b.id].update(k.strip() for k in b.key.split(","))
    return out


def test_one_key_per_thing_on_every_screen() -> None:
    """The same binding id is the same key everywhere: the note is `m` on live, review, form
    and detail, not-applicable `x`, and each is the key the table `KEYS` names."""
    owners = binding_owners()
    assert {"LiveScreen", "ReviewScreen", "ItemRow", "DetailScreen", "HistoryScreen",
            "PickDialog"} <= {o.__name__ for o in owners}
    seen: dict[str, dict[frozenset[str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for owner in owners:
        for id_, keys in keys_by_id(owner).items():
            seen[id_][frozenset(keys)].append(owner.__name__)
    differ = {i: dict(v) for i, v in seen.items() if len(v) > 1}
    assert differ == {}
    numbered = re.compile(r"(item|pick)\d+")
    off_table = {i: sorted(next(iter(v))) for i, v in seen.items()
                 if not numbered.fullmatch(i)
                 and set(next(iter(v))) != set(KEYS.get(i, "").split(","))}
    assert off_table == {}


def test_the_same_key_id_has_the_same_words_and_action_on_every_screen() -> None:
    """A key id reads the same in the footer and F1 on every screen, in both languages."""
    words: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for owner in binding_owners():
        for b in declared(owner):
            if b.id:
                words[b.id].add((describe(b, "zh"), describe(b, "en")))
    assert {i: w for i, w in words.items() if len(w) > 1} == {}


def test_the_note_and_not_applicable_keys_are_the_ones_the_readme_names() -> None:
    """The README's key tables name the keys the screens bind."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for id_, phrase in (("note", "a note on the item"), ("na", "marks an item not applicable")):
        key = key_name(id_, "en")
        assert f"`{key}` {phrase}" in readme or f"| `{key}` | {phrase}" in readme, id_
