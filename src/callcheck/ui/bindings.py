"""Key bindings: one key for each thing on every screen, described in the UI's language.

`KEYS` names the key of every binding id, once for the whole app: a screen
declares its bindings with `bind(id, action)`, so `m` is the note on live,
review, form and detail alike (tests/ui/test_vocabulary.py holds every
screen's BINDINGS to it). `localize` swaps each description for its
`key.<id>` string (or `action.<action>` for Textual's own bindings), so the
footer and the help screen, both built from the same bindings, speak the same
language.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import Lang
from ..words import WORDS

KEYS: dict[str, str] = {
    # every screen
    "help": "f1",
    "quit": "ctrl+q",
    "back": "escape",
    "cancel": "escape",
    "close": "escape,f1,q",
    # home
    "new_call": "n",
    "retest": "r",
    "resume": "c",
    "history": "h",
    # history
    "search": "slash,ctrl+f",
    "sort": "o",
    "reverse": "r",
    "export": "e",
    "summary": "u",
    "clear": "ctrl+l",
    # setup
    "start": "ctrl+s",
    # the call: its marks (live)
    "ring": "space",
    "answer": "a",
    "transfer": "t",
    "give_up": "g",
    "out_of_order": "o",
    "auto_transfer": "x",
    "busy": "b",
    "dropped": "d",
    "cadence": "c",
    "hang_up": "e",
    "undo": "u",
    "phase": "p",
    "continue": "enter",
    # items and their answers (live, review, form, detail)
    "item_up": "up",
    "item_down": "down",
    "answer_next": "right",
    "answer_back": "left",
    "change": "space",
    "more": "plus,equals_sign",
    "less": "minus",
    "yes": "y",
    "no": "n",
    "clear_answer": "delete,backspace",
    "note": "m",
    "na": "x",
    "na_part": "X",
    "rings": "r",
    # finishing or dropping a session
    "finish": "ctrl+s",
    "finish_print": "p",
    "discard": "ctrl+d",
    # stored sessions (history, detail)
    "open": "enter",
    "delete": "d",
    "header": "h",
    "print": "p",
    "timeline": "l",
    "revisions": "v",
    "page_down": "pagedown",
    "page_up": "pageup",
}
"""The key of each binding id, the same on every screen that has the binding."""

DISPLAY = {"space": "Space", "plus,equals_sign": "+", "minus": "-", "up": "↑", "down": "↓",
           "right": "→", "left": "←"}
"""How the footer and F1 show a key where Textual's own name for it is not what is printed on it."""


def bind(id: str, action: str | None = None, *, show: bool = True,
        priority: bool = False) -> Binding:
    """The binding `id` (its key from `KEYS`), running `action` (by default the action `id`)."""
    keys = KEYS[id]
    return Binding(keys, action or id, WORDS[f"key.{id}"].en, show=show,
                   key_display=DISPLAY.get(keys), priority=priority, id=id)


def key_name(id: str) -> str:
    """The key of binding `id` as a person reads it in a sentence: `m`, `Ctrl+S`, `Space`."""
    keys = KEYS[id].split(",")[0]
    if keys in DISPLAY:
        return DISPLAY[keys]
    if len(keys) == 1:
        return keys
    return "+".join(part.capitalize() if len(part) > 1 else part.upper()
                    for part in keys.split("+"))


def describe(binding: Binding, lang: Lang) -> str:
    """The binding's description in `lang`: by its id (`item3` → `key.item`), else its action."""
    ids = [binding.id, binding.id.rstrip("0123456789")] if binding.id else []
    for name in [*(f"key.{i}" for i in ids), f"action.{binding.action}"]:
        if name in WORDS:
            return WORDS[name].get(lang)
    return binding.description


def localize(node: DOMNode, lang: Lang) -> None:
    """Give `node`'s bindings (and their footer groups) descriptions in `lang`."""
    table = node._bindings.key_to_bindings
    for keys, bindings in table.items():
        table[keys] = [
            dataclasses.replace(
                b, description=describe(b, lang),
                group=None if b.group is None else Binding.Group(describe(b, lang),
                                                                 b.group.compact))
            for b in bindings]
