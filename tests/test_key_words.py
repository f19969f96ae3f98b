"""A sentence that tells the tester which key to press takes the key from `KEYS`.

The words name a key by a `{key_<binding id>}` field that `tr` fills from
`callcheck.keys.KEYS`; a key written by hand ("按 g 記無人接聽") would go on
saying `g` after the key changed. Chinese sentences hold no English words, so
every key-like token left in one once its fields are taken out is a key named by
hand; an English twin must name the same keys by the same fields, and its usual
phrasings (press X, X to …, (X)) are scanned too.
"""

from __future__ import annotations

import re
import string

import pytest

from callcheck.i18n import LANGS, Msg
from callcheck.keys import KEYS, key_name
from callcheck.words import WORDS, tr

NAMED = (r"Enter|Esc(?:ape)?|Tab|Space|Backspace|Delete|Del|Insert|Home|End|PgUp|PgDn"
         r"|Page ?Up|Page ?Down|F\d{1,2}|(?:Ctrl|Shift|Alt)\+\w+|\^\w")
ASCII_KEY = rf"(?<![\w'+\-])(?:[A-Za-z]|{NAMED})(?![\w+])"
SYMBOL_KEY = r"空白鍵|空格鍵|[↑↓←→⏎⌫]"
ZH_KEY = re.compile(rf"{ASCII_KEY}|{SYMBOL_KEY}", re.IGNORECASE)
"""Every key-like token: in Chinese text an ASCII letter or key name is always a key."""
EN_KEY = re.compile(
    rf"(?i:\bpress(?:es)?\s+)({ASCII_KEY})"
    rf"|({ASCII_KEY})(?=\s+(?:to|if|for|adopts|undoes|keeps|cancels)\b)"
    rf"|(?<![A-Za-z])\(({ASCII_KEY})\)|({SYMBOL_KEY})", re.IGNORECASE)
"""A key named in English: `press X`, `X to …`, `X if …`, `(X)`, an arrow. (`a` and
`Enter` are also English words: "a new test", "Enter the dates".)"""

NOT_KEYS_BINDINGS = {
    ("home.pick_first", "↑"): "the list's own cursor keys (widgets/choice_list.py)",
    ("home.pick_first", "↓"): "the list's own cursor keys (widgets/choice_list.py)",
    ("prompt.empty", "Enter"): "the text field's own Enter (Textual's Input submits)",
    ("help.everything", "Ctrl+P"): "Textual's command palette key, which callcheck turns off",
    ("detail.change", "→"): "an arrow from the old value to the new one, not a key",
    ("print.cases", "→"): "an arrow from the day received to the day replied, not a key",
}
"""Key-like tokens that are not a binding of `KEYS`, and why."""


def literal(text: str) -> str:
    """`text` with its `{fields}` taken out."""
    return "".join(part for part, *_ in string.Formatter().parse(text))


def named_by_hand(key: str, message: Msg) -> set[tuple[str, str]]:
    """(language, token) for each key `message` names by hand."""
    found = {("zh", t) for t in ZH_KEY.findall(literal(message.zh))}
    found |= {("en", next(g for g in groups if g))
              for groups in EN_KEY.findall(literal(message.en))}
    return {(lang, t) for lang, t in found if (key, t) not in NOT_KEYS_BINDINGS}


def key_fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text)
            if f is not None and f.startswith("key_")}


SENTENCES = {k: m for k, m in WORDS.items() if not k.startswith(("key.", "action."))}
KEYED = sorted(k for k, m in SENTENCES.items() if key_fields(m.zh) | key_fields(m.en))


def test_no_sentence_names_a_key_by_hand() -> None:
    """Every key a sentence names, in both languages, is a `{key_<id>}` field."""
    by_hand = {k: sorted(found) for k, m in SENTENCES.items() if (found := named_by_hand(k, m))}
    assert by_hand == {}


@pytest.mark.parametrize(("text", "found"), [
    ("忙線：有人接手按 a，無人接手按 g", {("zh", "a"), ("zh", "g")}),
    ("通話結束：按 Enter 進入評分", {("zh", "Enter")}),
    ("鈴響：按空白鍵標記每一聲", {("zh", "空白鍵")}),
    ("所有項目皆已作答，按 Ctrl+S 完成評分", {("zh", "Ctrl+S")}),
    ("本階段鈴響間隔改為每 {cadence} 秒一聲（u 可復原）", {("zh", "u")}),
    ("rings: press space at each ring", {("en", "space")}),
    ("{seconds} s reached: you may hang up (g)", {("en", "g")}),
    ("rings about {cadence} s apart: c adopts it", {("en", "c")}),
    ("busy: a if someone takes the call, g if nobody does", {("en", "a"), ("en", "g")}),
    ("pick first; or press n for a new test, c to resume", {("en", "n"), ("en", "c")}),
    ("Call ended: press Enter to review", {("en", "Enter")}),
])
def test_the_scan_finds_a_key_written_by_hand(text: str, found: set[tuple[str, str]]) -> None:
    """The sentences callcheck used to have, with their keys written out, are caught."""
    zh, en = (text, "") if found and next(iter(found))[0] == "zh" else ("", text)
    assert named_by_hand("any", Msg(zh, en)) == found
    assert named_by_hand("any", Msg(ZH_KEY.sub("{key_x}", zh), EN_KEY.sub("{key_x}", en))) \
        == set()


@pytest.mark.parametrize("text", [
    "or press {key_new_call} for a new test, {key_resume} to resume",
    "Enter the dates received and replied (YYYY-MM-DD)",
    "{what}\nThis cannot be undone. Delete this session?",
    "{n} stored session(s) are damaged", "N/A: ", "one ring every {cadence} s",
    "A held timing key's auto-repeat is ignored", "revised {id}: {n} change(s)",
])
def test_the_scan_leaves_english_words_alone(text: str) -> None:
    """"a", "Enter the …", "Delete", "(s)", "N/A", seconds' "s" in English are words."""
    assert named_by_hand("any", Msg("", text)) == set()


def test_both_languages_name_the_same_keys() -> None:
    """A sentence's English twin names the keys its Chinese names, by the same fields."""
    assert len(KEYED) >= 10
    assert {k: (key_fields(SENTENCES[k].zh), key_fields(SENTENCES[k].en)) for k in KEYED
            if key_fields(SENTENCES[k].zh) != key_fields(SENTENCES[k].en)} == {}


@pytest.mark.parametrize("key", KEYED)
def test_a_sentence_follows_KEYS(key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rebinding a key changes every sentence that names it, in both languages."""
    ids = sorted(f.removeprefix("key_") for f in key_fields(WORDS[key].zh))
    assert set(ids) <= KEYS.keys()
    others = {name: "·" for lang in LANGS
              for _, name, _, _ in string.Formatter().parse(WORDS[key].get(lang))
              if name and not name.startswith("key_")}
    for lang in LANGS:
        assert all(key_name(i, lang) in tr(key, lang, **others) for i in ids)
    for n, id_ in enumerate(ids):
        monkeypatch.setitem(KEYS, id_, f"f{13 + n}")
    for lang in LANGS:
        after = tr(key, lang, **others)
        assert all(f"F{13 + n}" in after for n in range(len(ids))), after


def test_the_exceptions_are_all_still_needed() -> None:
    """Each token listed as not a binding is still in its sentence."""
    for (key, token), why in NOT_KEYS_BINDINGS.items():
        assert why and token in literal(WORDS[key].zh) + literal(WORDS[key].en), key
