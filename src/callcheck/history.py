"""The history of stored sessions as rows: sorted, filtered and summarised by unit.

Pure and fast: rows are built once from the store's raw session documents
(`Store.docs()`), each with a precomputed lowercase search key, so that a
filter keystroke over 10,000 sessions is a scan of short strings. Nothing here
knows about the screen; the history screen and the CLI both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pendulum

from .dates import ROC_OFFSET, TZ, parse_datetime
from .text import printable

COLUMNS = ("at", "form", "agency", "unit", "tester", "status", "score")
"""The columns a history table shows and sorts by (the date shows as ROC and ISO)."""

DAMAGED = "damaged"
"""The status of a history row for a stored document set aside as damaged (`Store.damaged()`)."""

_TAIPEI = dt.timezone(dt.timedelta(hours=8))
"""Asia/Taipei has kept +08:00 without daylight saving since 1980."""


@dataclass(slots=True, eq=True)
class HistoryRow:
    """One stored session as the history table shows it (treat as read-only)."""

    id: str
    rubric: str
    at: str
    """The test time as stored (ISO 8601 with offset)."""
    day: str
    """The test's local date in Asia/Taipei, ISO (`2026-11-26`), which also sorts."""
    when: str
    """ISO date and local time, `2026-11-26 10:05`, which also sorts."""
    agency: str
    unit: str
    tester: str
    status: str
    score: float | None
    points: int | None
    max: int | None
    due_at: str | None
    revisions: int
    search: str = field(repr=False)
    """Lowercase text the free-text filter searches."""
    reason: str = ""
    """Why a damaged document cannot be shown (empty for a sound session)."""

    @property
    def date(self) -> dt.date:
        """The test's local date in Asia/Taipei."""
        return dt.date.fromisoformat(self.day) if self.day else dt.date.min

    @property
    def pending(self) -> bool:
        return self.status == "pending_retest"

    @property
    def damaged(self) -> bool:
        """A stored document set aside because it cannot be shown: only its id and reason."""
        return self.status == DAMAGED

    @property
    def roc(self) -> str:
        """The ROC date as tables write it: 115/11/26."""
        if not self.day:
            return ""
        return f"{int(self.day[:4]) - ROC_OFFSET}/{self.day[5:7]}/{self.day[8:10]}"

    def due_now(self, now: dt.datetime) -> bool:
        """True for a pending retest whose due time has come."""
        if not self.pending or not self.due_at:
            return False
        try:
            return parse_datetime(self.due_at) <= now
        except ValueError:
            return False


def roc_short(date: dt.date) -> str:
    """The short ROC date of tables and lists: 115/11/26."""
    return f"{date.year - ROC_OFFSET}/{date.month:02d}/{date.day:02d}"


def parse_day(text: str) -> dt.date:
    """A date typed in a filter: ISO `2026-11-01`, or ROC `115/11/01`, `115-11-01`, `115.11.1`.

    Raises ValueError when it is neither.
    """
    value = text.strip()
    parts = value.replace("/", "-").replace(".", "-").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        year, month, day = (int(p) for p in parts)
        if year < 1000:
            year += ROC_OFFSET
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (2026-11-01 or 115/11/01)")


def local_time(text: str) -> dt.datetime | None:
    """An ISO 8601 time in Asia/Taipei, quickly (pendulum only for unusual offsets)."""
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            return parse_datetime(text)
        except ValueError:
            return None
    if value.tzinfo is None:
        return value.replace(tzinfo=_TAIPEI)
    if value.utcoffset() == _TAIPEI.utcoffset(None):
        return value
    return pendulum.instance(value).in_timezone(TZ)


_SEARCHED_HEADER = ("agency", "unit", "tester", "number", "question")


def _when(at: str) -> str:
    """`2026-11-26 10:05` in Asia/Taipei (slicing when the offset already is +08:00)."""
    if len(at) >= 25 and at[10] == "T" and at.endswith("+08:00"):
        return f"{at[:10]} {at[11:16]}"
    local = local_time(at)
    return local.strftime("%Y-%m-%d %H:%M") if local is not None else ""


def row_from_doc(doc: Mapping[str, Any]) -> HistoryRow:
    """The history row of one raw session document (as the store keeps it)."""
    header = doc.get("header") or {}
    at = header.get("at") or doc.get("created_at") or ""
    when = _when(at)
    total = (doc.get("result") or {}).get("total") or {}
    texts = [header.get(k) or "" for k in _SEARCHED_HEADER]
    notes = doc.get("notes")
    if notes:
        texts.extend(notes.values())
    na = doc.get("na")
    if na:
        texts.extend(na.values())
    sid = doc.get("id") or ""
    texts.append(sid)
    return HistoryRow(
        sid, doc.get("rubric") or "", at, when[:10], when,
        printable(header.get("agency") or ""), printable(header.get("unit") or ""),
        printable(header.get("tester") or ""), doc.get("status") or "",
        total.get("score"), total.get("points"), total.get("max"),
        doc.get("due_at"), len(doc.get("revisions") or ()),
        "\n".join(texts).casefold(),
    )


def row_from_index(row: Any) -> HistoryRow:
    """The history row of one row of the store's index (`archive.Row`: no document read)."""
    when = _when(row.at)
    return HistoryRow(row.id, row.rubric, row.at, when[:10], when, printable(row.agency),
                      printable(row.unit), printable(row.tester), row.status, row.score,
                      row.points, row.max, row.due_at,
                      row.revisions, row.search)


def row_from_damaged(label: str, reason: str) -> HistoryRow:
    """The history row of a damaged document, as `Store.damaged()` names it (id, reason)."""
    reason = printable(reason)  # the id stays as stored: deleting names it
    return HistoryRow(label, "", "", "", "", "", "", "", DAMAGED, None, None, None, None, 0,
                      f"{label}\n{reason}".casefold(), reason)


def rows_from_docs(docs: Iterable[Mapping[str, Any]]) -> list[HistoryRow]:
    """History rows, newest first."""
    return sort_rows([row_from_doc(d) for d in docs], "at", descending=True)


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """What the tester narrowed the history to; empty fields do not filter."""

    form: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    """Inclusive: sessions on this local date are kept."""
    text: str = ""

    @property
    def terms(self) -> tuple[str, ...]:
        """The free text's words, each of which must occur (in any field)."""
        return tuple(self.text.casefold().split())

    def keeps(self, row: HistoryRow) -> bool:
        if self.form and row.rubric != self.form:
            return False
        if self.status and row.status != self.status:
            return False
        if self.since is not None and row.day < self.since.isoformat():
            return False
        if self.until is not None and row.day > self.until.isoformat():
            return False
        search = row.search
        return all(t in search for t in self.terms)

    def narrows(self, previous: HistoryFilter) -> bool:
        """True when everything this filter keeps, `previous` kept too.

        Then the new result can be found among the previous one's rows (a
        keystroke that lengthens the text only narrows).
        """
        same = (self.form == previous.form and self.status == previous.status
                and self.since == previous.since and self.until == previous.until)
        if not same:
            return False
        old = previous.terms
        new = self.terms
        return all(any(o in n for n in new) for o in old)


def apply_filter(rows: Iterable[HistoryRow], flt: HistoryFilter) -> list[HistoryRow]:
    """The rows the filter keeps, in their order."""
    terms = flt.terms
    if not (flt.form or flt.status or flt.since or flt.until):
        if not terms:
            return list(rows)
        if len(terms) == 1:
            term = terms[0]
            return [r for r in rows if term in r.search]
    return [r for r in rows if flt.keeps(r)]


def _sort_key(column: str) -> Any:
    if column == "at":
        return lambda r: r.when
    if column == "form":
        return lambda r: r.rubric
    if column == "score":
        return lambda r: -1.0 if r.score is None else r.score
    if column in ("agency", "unit", "tester", "status"):
        return lambda r: getattr(r, column)
    raise ValueError(f"unknown column {column!r} (known: {', '.join(COLUMNS)})")


def sort_rows(rows: Iterable[HistoryRow], column: str,
              descending: bool = False) -> list[HistoryRow]:
    """Rows sorted by one column; ties keep the newest first. No score sorts lowest."""
    by_time = sorted(rows, key=lambda r: r.when, reverse=True)
    if column == "at":
        return by_time if descending else by_time[::-1]
    return sorted(by_time, key=_sort_key(column), reverse=descending)


class History:
    """The rows of a history table with its current sort and filter.

    Keeps the last filter's result, so that a keystroke that only narrows the
    free text scans the rows that were left rather than all of them.
    """

    def __init__(self, rows: Sequence[HistoryRow] = ()) -> None:
        self._all: list[HistoryRow] = list(rows)
        self.column = "at"
        self.descending = True
        self.filter = HistoryFilter()
        self._sorted: list[HistoryRow] = sort_rows(self._all, self.column, self.descending)
        self.rows: list[HistoryRow] = list(self._sorted)

    @classmethod
    def from_docs(cls, docs: Iterable[Mapping[str, Any]]) -> History:
        return cls([row_from_doc(d) for d in docs])

    @classmethod
    def from_index(cls, rows: Iterable[Any]) -> History:
        """From the store's row index (`Store.rows()`), without reading any document."""
        return cls([row_from_index(r) for r in rows])

    @property
    def total(self) -> int:
        return len(self._all)

    def set_filter(self, flt: HistoryFilter) -> list[HistoryRow]:
        base = self.rows if flt.narrows(self.filter) else self._sorted
        self.filter = flt
        self.rows = apply_filter(base, flt)
        return self.rows

    def sort(self, column: str, descending: bool | None = None) -> list[HistoryRow]:
        """Sort by a column; without `descending`, the same column again flips the order."""
        if descending is None:
            descending = not self.descending if column == self.column else column in ("at",
                                                                                        "score")
        self.column, self.descending = column, descending
        self._sorted = sort_rows(self._all, column, descending)
        self.rows = apply_filter(self._sorted, self.filter)
        return self.rows

    def replace(self, rows: Sequence[HistoryRow]) -> list[HistoryRow]:
        """New rows (after a save or delete), keeping the sort and the filter."""
        self._all = list(rows)
        self._sorted = sort_rows(self._all, self.column, self.descending)
        self.rows = apply_filter(self._sorted, self.filter)
        return self.rows

    def upsert(self, row: HistoryRow) -> list[HistoryRow]:
        return self.replace([r for r in self._all if r.id != row.id] + [row])

    def remove(self, session_id: str) -> list[HistoryRow]:
        return self.replace([r for r in self._all if r.id != session_id])

    def pending(self) -> list[HistoryRow]:
        return [r for r in self._all if r.pending]


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """One unit's results on one form: how often tested, on average, and lately."""

    rubric: str
    agency: str
    unit: str
    count: int
    """Scored (finished) sessions."""
    average: float | None
    latest: float | None
    latest_at: str
    previous: float | None

    @property
    def change(self) -> float | None:
        """Latest score minus the one before it (None with fewer than two tests)."""
        if self.latest is None or self.previous is None:
            return None
        return round(self.latest - self.previous, 1)


def summary_by_unit(rows: Iterable[HistoryRow]) -> list[UnitSummary]:
    """Each unit's count, average score, latest score and change since the previous test.

    Only finished sessions with a score count. A unit is an (agency, unit)
    pair on one form: a telephone score is not compared with a registration one.
    Ordered by form, agency and unit.
    """
    groups: dict[tuple[str, str, str], list[HistoryRow]] = {}
    for r in rows:
        if r.status != "finished" or r.score is None:
            continue
        groups.setdefault((r.rubric, r.agency, r.unit), []).append(r)
    out = []
    for (rubric, agency, unit), members in sorted(groups.items()):
        members.sort(key=lambda r: r.when)
        scores = [r.score for r in members if r.score is not None]
        tenths = sum(round(s * 10) for s in scores)
        average = (tenths * 2 + len(scores)) // (2 * len(scores)) / 10
        out.append(UnitSummary(
            rubric=rubric, agency=agency, unit=unit, count=len(members), average=average,
            latest=members[-1].score, latest_at=members[-1].at,
            previous=members[-2].score if len(members) > 1 else None,
        ))
    return out
