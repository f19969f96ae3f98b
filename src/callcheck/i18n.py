"""Bilingual text: Traditional Chinese (the form's own words) and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


@dataclass(frozen=True, slots=True)
class Msg:
    """A piece of text in both languages; `zh` is the reference wording."""

    zh: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.zh

    def __add__(self, other: Msg) -> Msg:
        return Msg(self.zh + other.zh, self.en + other.en)

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def msg(zh: str, en: str | None = None) -> Msg:
    return Msg(zh, zh if en is None else en)


def parse_lang(value: str) -> Lang:
    """Accept the usual spellings of the two languages."""
    v = value.strip().lower().replace("_", "-")
    if v in ("zh", "zh-tw", "zh-hant", "tw", "中文"):
        return "zh"
    if v in ("en", "en-us", "en-gb", "english"):
        return "en"
    raise ValueError(f"unknown language {value!r}: use zh or en")
