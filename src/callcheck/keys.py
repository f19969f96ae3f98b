"""The key of every binding, once for the whole app, and how the words name a key.

`KEYS` names the key of every binding id (Textual's names for keys, plain
strings): ui/bindings.py builds each screen's bindings from it, and a sentence
in words.py that tells the tester which key to press names it by a
`{key_<id>}` field, which `words.tr` fills with `key_name(id, lang)`. A key
changed here changes the footer, F1 and every sentence together.
Plain data: the core may import it.
"""

from __future__ import annotations

from .i18n import Lang, Msg

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
SPOKEN: dict[str, Msg] = {"space": Msg("空白鍵", "space"), "escape": Msg("Esc", "Esc")}
"""How a sentence names a key where the name printed on it is not Textual's."""


def key_name(id: str, lang: Lang) -> str:
    """The key of binding `id` as a sentence names it: `m` and `↑` as the footer shows
    them; `Enter`, `Esc`, `Ctrl+S` and 空白鍵 / space written out where the footer
    abbreviates (`⏎`, `esc`, `^s`, `Space`)."""
    keys = KEYS[id]
    key = keys.split(",")[0]
    if key in SPOKEN:
        return SPOKEN[key].get(lang)
    shown = DISPLAY.get(keys, DISPLAY.get(key))
    if shown is not None:
        return shown
    if len(key) == 1:
        return key
    return "+".join(part.capitalize() if len(part) > 1 else part.upper()
                    for part in key.split("+"))
