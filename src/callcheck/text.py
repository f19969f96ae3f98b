"""Text that cannot be turned against the reader: control characters made visible.

A stored agency, unit, tester, number or note may carry terminal escapes
(`\\x1b]0;…\\x07` sets the window title, `\\x1b[2J` wipes the screen). Everything
the CLI and the app print goes through `printable` at the edge: C0 controls
(except newline and tab where the field allows them) become their visible
Control Pictures (␛, ␇, …), DEL becomes ␡, and C1 controls (U+0080–U+009F) are
written as `<U+009B>`. The stored text is never changed. `json_text` is JSON
whose strings escape the same characters (`\\u001b`, `\\u009b`), so it still
reads back exactly.
"""

from __future__ import annotations

import json
import re
from typing import Any

_C0_PICTURE = 0x2400
"""U+2400 CONTROL PICTURES: ␀ for U+0000 … ␟ for U+001F."""
_DEL_PICTURE = "\u2421"
_ANY = re.compile("[\x00-\x1f\x7f-\x9f]")
_NOT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(_C0_PICTURE + code)
    if code == 0x7F:
        return _DEL_PICTURE
    return f"<U+{code:04X}>"


def printable(text: Any, *, lines: bool = False) -> str:
    """`text` with every control character shown visibly; `lines` keeps newline and tab."""
    text = text if isinstance(text, str) else str(text)
    if text.isprintable():  # the usual case, checked in C: nothing to show
        return text
    return (_NOT_LINES if lines else _ANY).sub(_visible, text)


def json_text(value: Any, **kwargs: Any) -> str:
    """json.dumps (Chinese unescaped) that also escapes DEL, C1 controls and the line
    separators: the same data, but nothing in it a terminal would obey."""
    text = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_JSON_UNSAFE_BYTES = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]")


def json_bytes(body: bytes) -> bytes:
    """UTF-8 JSON bytes (as stored) with DEL, C1 controls and line separators escaped;
    C0 controls are already escaped by every JSON writer."""
    if b"\x7f" not in body and b"\xc2" not in body and b"\xe2\x80\xa8" not in body \
            and b"\xe2\x80\xa9" not in body:  # the usual case: memchr-fast, nothing to do
        return body
    return _JSON_UNSAFE_BYTES.sub(
        lambda m: f"\\u{ord(m.group().decode('utf-8')):04x}".encode("ascii"), body)


class PrintableWriter:
    """A text stream that shows control characters visibly (newline and tab kept): what
    the CLI prints goes through it. Bytes written to `.buffer` are the caller's care."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(printable(text, lines=True))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, CSV Injection)."""


def csv_cell(value: Any) -> Any:
    """A CSV cell no spreadsheet evaluates: text starting with = + - @, a tab or a CR gets
    a leading apostrophe (OWASP's advice; nothing is stripped, so "\\t=1+1" never turns
    into "=1+1"), and control characters other than newline and tab are shown visibly.
    Numbers are left as numbers."""
    if not isinstance(value, str):
        return value
    text = printable(value, lines=True)
    return "'" + text if text.startswith(FORMULA_START) else text
