"""Key bindings in the UI's language, for the footer and the help screen alike.

BINDINGS are declared once, in English, on the screen that owns them, each
with an `id`. `localize` swaps each description for its `key.<id>` string
(or `action.<action>` for Textual's own bindings), so the footer and the
help screen, both built from the same bindings, speak the same language.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode

from ..i18n import Lang
from .strings import STRINGS


def describe(binding: Binding, lang: Lang) -> str:
    """The binding's description in `lang`: by its id (`item3` → `key.item`), else its action."""
    ids = [binding.id, binding.id.rstrip("0123456789")] if binding.id else []
    for key in [*(f"key.{i}" for i in ids), f"action.{binding.action}"]:
        if key in STRINGS:
            return STRINGS[key].get(lang)
    return binding.description


def localize(node: DOMNode, lang: Lang) -> None:
    """Give `node`'s bindings (and their footer groups) descriptions in `lang`."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            dataclasses.replace(
                b, description=describe(b, lang),
                group=None if b.group is None else Binding.Group(describe(b, lang),
                                                                 b.group.compact))
            for b in bindings]
