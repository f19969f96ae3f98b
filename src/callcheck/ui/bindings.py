"""Key bindings: one key for each thing on every screen, described in the UI's language.

`KEYS` (callcheck/keys.py, where the words find it too) names the key of every
binding id, once for the whole app: a screen declares its bindings with
`bind(id, action)`, so `m` is the note on live, review, form and detail alike
(tests/ui/test_vocabulary.py holds every screen's BINDINGS to it). `localize`
swaps each description for its `key.<id>` string (or `action.<action>` for
Textual's own bindings), so the footer and the help screen, both built from
the same bindings, speak the same language.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import Lang
from ..keys import DISPLAY, KEYS
from ..words import WORDS

__all__ = ["KEYS", "bind", "describe", "localize"]


def bind(id: str, action: str | None = None, *, show: bool = True,
        priority: bool = False) -> Binding:
    """The binding `id` (its key from `KEYS`), running `action` (by default the action `id`)."""
    keys = KEYS[id]
    return Binding(keys, action or id, WORDS[f"key.{id}"].en, show=show,
                   key_display=DISPLAY.get(keys), priority=priority, id=id)


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
