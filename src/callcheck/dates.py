"""Wall-clock time in Asia/Taipei with pendulum, and the ROC calendar the forms use."""

from __future__ import annotations

import datetime as dt
import re

import pendulum

TZ = "Asia/Taipei"
ROC_OFFSET = 1911
"""民國 year = Gregorian year − 1911."""


def now() -> pendulum.DateTime:
    """The current wall-clock time in Asia/Taipei (pinned in tests by pendulum.travel_to)."""
    return pendulum.now(TZ)


MIN_YEAR, MAX_YEAR = 1912, 2999
"""Years a time may fall in (民國 1 onwards): nothing overflows when moved between zones."""
_DATE_FIRST = re.compile(r"\d{4}-\d{2}-\d{2}")


def _quote(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "…"
    return '"' + shown.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def parse_datetime(text: str) -> pendulum.DateTime:
    """An ISO 8601 time with its date; without an offset it means Asia/Taipei (never UTC).

    Raises ValueError naming the text when it is not an ISO 8601 date-time, has
    no date (a time alone would take its date from the day it is read), or falls
    outside the years MIN_YEAR to MAX_YEAR.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected an ISO 8601 time such as 2026-11-26T10:00:00+08:00")
    if not _DATE_FIRST.match(text.strip()):
        raise ValueError(f"{_quote(text)} is not an ISO 8601 date and time "
                         "(e.g. 2026-11-26T10:00:00+08:00; a time needs its date)")
    year = int(text.strip()[:4])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{_quote(text)}: the year must be from {MIN_YEAR} to {MAX_YEAR}")
    try:
        value = pendulum.parse(text.strip(), tz=TZ)
    except (pendulum.parsing.exceptions.ParserError, ValueError, OverflowError) as exc:
        raise ValueError(f"{_quote(text)} is not an ISO 8601 time "
                         "(e.g. 2026-11-26T10:00:00+08:00)") from exc
    if isinstance(value, pendulum.DateTime):
        return value
    if isinstance(value, pendulum.Date):
        return pendulum.datetime(value.year, value.month, value.day, tz=TZ)
    raise ValueError(f"{text!r} is not a date and time")


def parse_date(text: str) -> dt.date:
    """A calendar date, YYYY-MM-DD (or an ISO time, whose local date is taken)."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return parse_datetime(text).in_timezone(TZ).date()
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def iso(value: dt.datetime) -> str:
    """ISO 8601 with its offset, in Asia/Taipei, to the second."""
    return pendulum.instance(value).in_timezone(TZ).replace(microsecond=0).isoformat()


def roc_date(value: dt.date, lang: str = "zh") -> str:
    """The date as the forms write it: 民國 115 年 11 月 26 日 (ROC 115-11-26 in English)."""
    if isinstance(value, dt.datetime):
        value = pendulum.instance(value).in_timezone(TZ).date()
    year = value.year - ROC_OFFSET
    if lang == "en":
        return f"ROC {year}-{value.month:02d}-{value.day:02d}"
    return f"民國 {year} 年 {value.month} 月 {value.day} 日"


def roc_datetime(value: dt.datetime, lang: str = "zh") -> str:
    """民國 115 年 11 月 26 日 10 時 05 分, the telephone form's 測試時間."""
    local = pendulum.instance(value).in_timezone(TZ)
    if lang == "en":
        return f"{roc_date(local, 'en')} {local.hour:02d}:{local.minute:02d}"
    return f"{roc_date(local)} {local.hour} 時 {local.minute:02d} 分"
