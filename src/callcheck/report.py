"""The period report for the admin office: results per unit, the trend, where points are lost.

`build_report(docs, rubrics)` reads raw session documents (as `Store.docs()`
gives them; only finished ones count) and computes, per unit and form, the
number of tests and the mean, lowest and highest score; the mean score by
month (by quarter when the period is longer than 18 months); every item
ranked by the points lost across the period, overall and per unit; the
unanswered attempts and the retests; and the list of sessions.
`render_report` writes it as one self-contained HTML page with an inline SVG
chart. The TUI's summary screen shows the same ranking and trend.

Pure: no I/O, no Textual. Item wording comes from the rubric files, the report's
own words from words.py (`report.*`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .dates import ROC_OFFSET
from .history import local_time
from .i18n import Lang, Msg
from .rubric import Rubric
from .timing import Mark, MarkRefused, replay
from .words import tr

QUARTER_AFTER_MONTHS = 18
"""A period longer than this many months is drawn by quarter instead of by month."""


@dataclass
class UnitStats:
    """One unit's tests on one form over the period."""

    rubric: str
    agency: str
    unit: str
    count: int = 0
    scores: list[float] = field(default_factory=list)
    unanswered: int = 0
    """Attempts on which a phase rang out with nobody answering."""
    retests: int = 0
    """Sessions called a second time after the switchboard did not answer."""

    @property
    def mean(self) -> float | None:
        return _mean(self.scores)

    @property
    def low(self) -> float | None:
        return min(self.scores) if self.scores else None

    @property
    def high(self) -> float | None:
        return max(self.scores) if self.scores else None


@dataclass
class ItemLoss:
    """Points an item lost across the period: (max − points) over the tests that counted it."""

    rubric: str
    item: str
    lost: int = 0
    possible: int = 0
    tests: int = 0
    tests_losing: int = 0

    @property
    def share(self) -> float:
        """Lost points as a share of the points it could have earned."""
        return self.lost / self.possible if self.possible else 0.0


@dataclass
class Period:
    key: str
    """`2026-07` or `2026-Q3`: sorts in time."""
    start: dt.date
    scores: dict[str, list[float]] = field(default_factory=dict)
    """rubric → scores of the sessions tested in the period."""

    def mean(self, rubric: str) -> float | None:
        return _mean(self.scores.get(rubric, []))

    def roc(self) -> str:
        year = self.start.year - ROC_OFFSET
        if self.key[5] == "Q":
            return f"{year}/Q{self.key[6]}"
        return f"{year}/{self.start.month:02d}"


@dataclass(frozen=True, slots=True)
class SessionLine:
    id: str
    rubric: str
    day: dt.date
    when: str
    agency: str
    unit: str
    tester: str
    score: float | None
    points: int | None
    max: int | None
    attempts: int


@dataclass
class PeriodReport:
    since: dt.date | None
    until: dt.date | None
    first: dt.date | None
    last: dt.date | None
    by: str
    """"month" or "quarter"."""
    units: list[UnitStats]
    periods: list[Period]
    losses: dict[str, list[ItemLoss]]
    """rubric → its items ranked by points lost (most first)."""
    unit_losses: dict[tuple[str, str, str], list[ItemLoss]]
    """(rubric, agency, unit) → that unit's items ranked by points lost."""
    sessions: list[SessionLine]
    rubrics_used: list[str]

    @property
    def unanswered(self) -> int:
        return sum(u.unanswered for u in self.units)

    @property
    def retests(self) -> int:
        return sum(u.retests for u in self.units)


def _mean(values: Sequence[float]) -> float | None:
    if not values:
        return None
    tenths = sum(round(v * 10) for v in values)
    return (tenths * 2 + len(values)) // (2 * len(values)) / 10


def _phase_ids(rubric: Rubric, context: Mapping[str, Any] | None) -> list[str]:
    ctx = context or {}
    out = []
    for ph in rubric.phases:
        if ph.route is not None and ph.route != ctx.get("route", "switchboard"):
            continue
        if ph.needs is not None and not ctx.get(ph.needs, True):
            continue
        out.append(ph.id)
    return out


def unanswered_attempts(rubric: Rubric, doc: Mapping[str, Any]) -> int:
    """Attempts of a call on which some phase ended with nobody answering."""
    attempts = doc.get("attempts") or []
    if not attempts or not rubric.uses_calls:
        return 0
    phases = _phase_ids(rubric, doc.get("context"))
    count = 0
    for a in attempts:
        kinds = {m.get("kind") for m in a.get("marks", [])}
        if not kinds & {"give_up", "auto_transfer"}:
            continue  # nothing can have rung out: skip the replay
        if "undo" not in kinds:
            count += 1  # a give-up or an automatic transfer that stands: unanswered
            continue
        try:
            state = replay((Mark.from_dict(m) for m in a.get("marks", [])), phases)
        except (MarkRefused, KeyError, TypeError, ValueError):
            continue
        if any(p.outcome == "unanswered" for p in state.phases):
            count += 1
    return count


def period_key(day: dt.date, by: str) -> tuple[str, dt.date]:
    if by == "quarter":
        q = (day.month - 1) // 3
        return f"{day.year}-Q{q + 1}", dt.date(day.year, q * 3 + 1, 1)
    return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1)


def _months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _period_starts(first: dt.date, last: dt.date, by: str) -> list[tuple[str, dt.date]]:
    out = []
    key, start = period_key(first, by)
    step = 3 if by == "quarter" else 1
    while start <= last:
        out.append((key, start))
        month = start.month - 1 + step
        start = dt.date(start.year + month // 12, month % 12 + 1, 1)
        key, start = period_key(start, by)
    return out


def build_report(docs: Iterable[Mapping[str, Any]], rubrics: Mapping[str, Rubric],
                 since: dt.date | None = None, until: dt.date | None = None) -> PeriodReport:
    """The report over finished session documents (already filtered by the caller)."""
    units: dict[tuple[str, str, str], UnitStats] = {}
    losses: dict[tuple[str, str], ItemLoss] = {}
    unit_losses: dict[tuple[str, str, str], dict[str, ItemLoss]] = {}
    sessions: list[SessionLine] = []
    for doc in docs:
        if doc.get("status") != "finished":
            continue
        rubric = rubrics.get(doc.get("rubric", ""))
        result = doc.get("result") or {}
        if rubric is None or not result:
            continue
        h = doc.get("header") or {}
        at = h.get("at") or doc.get("created_at") or ""
        local = local_time(at)
        if local is None:
            continue
        day = local.date()
        agency, unit = h.get("agency", ""), h.get("unit", "")
        key = (rubric.id, agency, unit)
        stats = units.get(key)
        if stats is None:
            stats = units[key] = UnitStats(rubric.id, agency, unit)
        total = result.get("total") or {}
        score = total.get("score")
        stats.count += 1
        if score is not None:
            stats.scores.append(float(score))
        attempts = len(doc.get("attempts") or [])
        if attempts > 1:
            stats.retests += 1
        stats.unanswered += unanswered_attempts(rubric, doc)
        per_unit = unit_losses.setdefault(key, {})
        for item_id, r in (result.get("items") or {}).items():
            if r.get("status") == "na" or r.get("max") is None:
                continue
            lost = int(r["max"]) - int(r.get("points") or 0)
            tables: tuple[tuple[dict[Any, ItemLoss], object], ...] = (
                (losses, (rubric.id, item_id)), (per_unit, item_id))
            for table, k in tables:
                entry = table.get(k)
                if entry is None:
                    entry = ItemLoss(rubric.id, item_id)
                    table[k] = entry
                entry.lost += lost
                entry.possible += int(r["max"])
                entry.tests += 1
                entry.tests_losing += lost > 0
        sessions.append(SessionLine(
            doc["id"], rubric.id, day, local.strftime("%Y-%m-%d %H:%M"), agency, unit,
            h.get("tester", ""), None if score is None else float(score), total.get("points"),
            total.get("max"), attempts))
    sessions.sort(key=lambda s: (s.when, s.id))
    first = since or (sessions[0].day if sessions else None)
    last = until or (sessions[-1].day if sessions else None)
    if sessions:
        assert first is not None and last is not None
        first = max(first, sessions[0].day) if since is None else first
        last = min(last, sessions[-1].day) if until is None else last
    by = "month"
    if first and last and _months_between(first, last) + 1 > QUARTER_AFTER_MONTHS:
        by = "quarter"
    periods: dict[str, Period] = {}
    if first and last and first <= last:
        for k, start in _period_starts(first, last, by):
            periods[k] = Period(k, start)
    for s in sessions:
        k, start = period_key(s.day, by)
        p = periods.setdefault(k, Period(k, start))
        if s.score is not None:
            p.scores.setdefault(s.rubric, []).append(s.score)
    order = {rid: n for n, rid in enumerate(rubrics)}

    def ranked(entries: Iterable[ItemLoss]) -> list[ItemLoss]:
        return sorted(entries, key=lambda e: (-e.lost, -e.share, _item_order(rubrics, e)))

    by_rubric: dict[str, list[ItemLoss]] = {}
    for e in losses.values():
        by_rubric.setdefault(e.rubric, []).append(e)
    used = sorted(by_rubric, key=lambda r: order.get(r, 99))
    return PeriodReport(
        since=since, until=until, first=first, last=last, by=by,
        units=sorted(units.values(), key=lambda u: (order.get(u.rubric, 99), u.agency, u.unit)),
        periods=sorted(periods.values(), key=lambda p: p.key),
        losses={r: ranked(by_rubric[r]) for r in used},
        unit_losses={k: ranked(v.values()) for k, v in sorted(
            unit_losses.items(), key=lambda kv: (order.get(kv[0][0], 99), kv[0][1:]))},
        sessions=sessions, rubrics_used=used,
    )


def _item_order(rubrics: Mapping[str, Rubric], e: ItemLoss) -> int:
    rubric = rubrics.get(e.rubric)
    if rubric is None:
        return 0
    ids = [i.id for i in rubric.items]
    return ids.index(e.item) if e.item in ids else len(ids)


# --- HTML ------------------------------------------------------------------------------


UNIT_TOP = 5
COLORS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400")


def _e(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def roc_iso(day: dt.date) -> str:
    """115/07/30 (2026-07-30): the ROC date with the ISO date beside it."""
    return (f"{day.year - ROC_OFFSET}/{day.month:02d}/{day.day:02d} "
            f'<span class="iso">({day.isoformat()})</span>')


class _Words:
    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, **kw: Any) -> str:
        zh = _e(tr(f"report.{key}", "zh", **kw))
        if self.lang != "en":
            return zh
        return f'{zh} <span class="en">{_e(tr(f"report.{key}", "en", **kw))}</span>'

    def both(self, m: Msg) -> str:
        if self.lang != "en" or m.en == m.zh:
            return _e(m.zh)
        return f'{_e(m.zh)} <span class="en">{_e(m.en)}</span>'


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def trend_svg(report: PeriodReport, rubrics: Mapping[str, Rubric], lang: Lang = "zh") -> str:
    """The mean score per period and form as an inline SVG line chart (0–100)."""
    periods = report.periods
    if not periods:
        return ""
    width, height = 720, 260
    left, right, top, bottom = 40, 150, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(periods)
    step = plot_w / max(n - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / 100)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" viewBox="0 0 {width} '
             f'{height}" width="100%" role="img" aria-label="{_e(tr("report.trend", "zh"))}">']
    for v in range(0, 101, 20):
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + plot_w}" y2="{y(v):.1f}" '
                     f'stroke="#ccc" stroke-width="0.6"/>'
                     f'<text x="{left - 5}" y="{y(v) + 3:.1f}" text-anchor="end" '
                     f'font-size="9">{v}</text>')
    every = max(1, -(-n // 18))
    for i, p in enumerate(periods):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 14}" text-anchor="middle" '
                         f'font-size="9">{_e(p.roc())}</text>')
    for k, rid in enumerate(report.rubrics_used):
        color = COLORS[k % len(COLORS)]
        points = [(x(i), y(m)) for i, p in enumerate(periods)
                  if (m := p.mean(rid)) is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.8" '
                         f'points="{path}"/>')
        for i, p in enumerate(periods):
            m = p.mean(rid)
            if m is None:
                continue
            count = len(p.scores.get(rid, []))
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(m):.1f}" r="2.6" fill="{color}">'
                         f"<title>{_e(p.roc())} {_e(rid)}: {m:.1f} ({count})</title></circle>")
        rubric = rubrics.get(rid)
        label = rubric.title.get(lang) if rubric else rid
        ly = top + 12 + k * 16
        parts.append(f'<rect x="{left + plot_w + 12}" y="{ly - 8}" width="10" height="10" '
                     f'fill="{color}"/><text x="{left + plot_w + 26}" y="{ly + 1}" '
                     f'font-size="10">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


REPORT_CSS = """
@page { size: A4 portrait; margin: 12mm 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-size: 9pt; line-height: 1.35;
  font-family: "Noto Sans CJK TC", "Noto Serif CJK TC", "Microsoft JhengHei", "PingFang TC",
    sans-serif; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 1mm; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; border-bottom: 0.8pt solid #000; }
h3 { font-size: 10pt; margin: 2.5mm 0 1mm; }
.en { color: #444; font-size: 0.88em; }
.iso { color: #555; font-size: 0.9em; }
.meta { text-align: center; margin: 0 0 2mm; }
table { width: 100%; border-collapse: collapse; margin: 0 0 2mm; }
th, td { border: 0.5pt solid #666; padding: 0.5mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #eee; white-space: nowrap; }
td.n, td.d { text-align: right; white-space: nowrap; }
td.d { text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.bar { display: inline-block; height: 2.2mm; background: #c0392b; vertical-align: middle; }
.unit-block { break-inside: avoid; page-break-inside: avoid; }
svg.trend { max-width: 180mm; display: block; margin: 0 auto; }
a { color: #1f5fa8; }
@media screen { body { max-width: 200mm; margin: 8mm auto; } }
"""


def render_report(report: PeriodReport, rubrics: Mapping[str, Rubric], lang: Lang = "zh",
                  forms_href: str | None = None) -> str:
    """The report as one self-contained HTML page (inline SVG, no scripts, nothing fetched).

    With `forms_href`, each session in the list links to its form in that file
    (`forms_href#s-ID`, as `callcheck print` writes them).
    """
    w = _Words(lang)

    def title_of(rid: str) -> str:
        rubric = rubrics.get(rid)
        return w.both(rubric.title) if rubric else _e(rid)

    def item_label(rid: str, item_id: str) -> str:
        rubric = rubrics.get(rid)
        if rubric is None or not rubric.has_item(item_id):
            return _e(item_id)
        return f"{_e(item_id)} {w.both(rubric.item(item_id).label)}"

    out: list[str] = [f"<h1>{w('title')}</h1>"]
    if report.first and report.last:
        span = f"{roc_iso(report.first)} – {roc_iso(report.last)}"
    else:
        span = w("all")
    out.append(f'<p class="meta">{w("period")}：{span}　'
               f'{w("by." + report.by)}</p>')
    finished = len(report.sessions)
    out.append(f'<p class="meta">{w("summary", n=finished, u=report.unanswered, r=report.retests)}'
               "</p>")
    if not finished:
        out.append(f"<p>{w('none')}</p>")
    out.append(f"<h2>{w('units')}</h2><table><thead><tr><th>{w('form')}</th>"
               f"<th>{w('agency')}</th><th>{w('unit')}</th><th>{w('count')}</th>"
               f"<th>{w('mean')}</th><th>{w('low')}</th><th>{w('high')}</th>"
               f"<th>{w('unanswered')}</th><th>{w('retests')}</th></tr></thead><tbody>")
    for u in report.units:
        out.append(f"<tr><td>{title_of(u.rubric)}</td><td>{_e(u.agency)}</td>"
                   f"<td>{_e(u.unit)}</td><td class='n'>{u.count}</td>"
                   f"<td class='n'>{_fmt(u.mean)}</td><td class='n'>{_fmt(u.low)}</td>"
                   f"<td class='n'>{_fmt(u.high)}</td><td class='n'>{u.unanswered}</td>"
                   f"<td class='n'>{u.retests}</td></tr>")
    out.append("</tbody></table>")
    if report.periods:
        out.append(f"<h2>{w('trend')}（{w('by.' + report.by)}）</h2>")
        out.append(trend_svg(report, rubrics, lang))
        out.append(f"<table><thead><tr><th>{w('period')}</th>"
                   + "".join(f"<th>{title_of(r)}</th>" for r in report.rubrics_used)
                   + "</tr></thead><tbody>")
        for p in report.periods:
            cells = "".join(
                f"<td class='n'>{_fmt(p.mean(r))} ({len(p.scores.get(r, []))})</td>"
                for r in report.rubrics_used)
            out.append(f"<tr><td>{_e(p.roc())} <span class='iso'>({_e(p.key)})</span></td>"
                       f"{cells}</tr>")
        out.append("</tbody></table>")
    out.append(f"<h2>{w('losses')}</h2>")
    for rid, entries in report.losses.items():
        top_lost = max((e.lost for e in entries), default=0) or 1
        out.append(f"<h3>{title_of(rid)}</h3><table><thead><tr><th>{w('rank')}</th>"
                   f"<th>{w('item')}</th><th>{w('lost')}</th><th>{w('share')}</th>"
                   f"<th>{w('losing')}</th></tr></thead><tbody>")
        for n, e in enumerate(entries, 1):
            bar = f'<span class="bar" style="width:{20 * e.lost / top_lost:.1f}mm"></span>'
            out.append(f"<tr><td class='n'>{n}</td><td>{item_label(rid, e.item)}</td>"
                       f"<td class='n'>{e.lost} {bar}</td><td class='n'>{e.share:.0%}</td>"
                       f"<td class='n'>{e.tests_losing}/{e.tests}</td></tr>")
        out.append("</tbody></table>")
    if report.unit_losses:
        out.append(f"<h2>{w('losses.unit', n=UNIT_TOP)}</h2>")
        for (rid, agency, unit), entries in report.unit_losses.items():
            shown = [e for e in entries if e.lost > 0][:UNIT_TOP]
            if not shown:
                continue
            rows = "".join(f"<tr><td class='n'>{n}</td><td>{item_label(rid, e.item)}</td>"
                           f"<td class='n'>{e.lost}</td>"
                           f"<td class='n'>{e.tests_losing}/{e.tests}</td></tr>"
                           for n, e in enumerate(shown, 1))
            out.append(f'<div class="unit-block"><h3>{_e(agency)} {_e(unit)} — '
                       f"{title_of(rid)}</h3><table><thead><tr><th>{w('rank')}</th>"
                       f"<th>{w('item')}</th><th>{w('lost')}</th><th>{w('losing')}</th>"
                       f"</tr></thead><tbody>{rows}</tbody></table></div>")
    out.append(f"<h2>{w('sessions')}</h2><table><thead><tr><th>{w('date')}</th>"
               f"<th>{w('form')}</th><th>{w('agency')}</th><th>{w('unit')}</th>"
               f"<th>{w('tester')}</th><th>{w('points')}</th><th>{w('score')}</th>"
               f"<th>{w('form.link')}</th></tr></thead><tbody>")
    for s in report.sessions:
        link = (f'<a href="{_e(forms_href)}#s-{_e(s.id)}">{_e(s.id[:8])}</a>'
                if forms_href else _e(s.id[:8]))
        points = "" if s.points is None else f"{s.points}/{s.max}"
        out.append(f"<tr><td class='d'>{roc_iso(s.day)} {_e(s.when[11:])}</td>"
                   f"<td>{title_of(s.rubric)}</td>"
                   f"<td>{_e(s.agency)}</td><td>{_e(s.unit)}</td><td>{_e(s.tester)}</td>"
                   f"<td class='n'>{points}</td><td class='n'>{_fmt(s.score)}</td>"
                   f"<td>{link}</td></tr>")
    out.append("</tbody></table>")
    title = tr("report.title", "zh")
    return ("<!DOCTYPE html>\n<html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><style>{REPORT_CSS}</style></head><body>"
            f"{''.join(out)}</body></html>\n")
