"""The filled form: a finished session printed in the appendix's own layout, as HTML.

`render_forms(sessions, rubrics)` gives one self-contained HTML document (A4
portrait, `@page` rules, no scripts, nothing fetched from the network) with one
form per page: the appendix's title and header lines, every item with its
printed wording and maximum, the points given, the □是□否 boxes ticked where
the form has them, the chosen option or band, the 評核紀錄事項 column (the
tester's note and the evidence: rings and seconds, retest times, the
not-applicable reason), subtotals per part, the total and the score, the
content digest and the signature lines.

Everything shown comes from the rubric file and the session, and the form's
own labels from words.py (`print.*`); the layout reads item kinds and the
rubric's structure, never item ids. Every piece of text is
HTML-escaped here, at the edge (`_e`). No Textual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from .dates import TZ, parse_datetime
from .digest import short
from .errors import CallcheckError, InputError
from .i18n import Lang, Msg
from .observations import BranchAnswer, ChoiceAnswer, DaysAnswer, PhaseObs, parse_answer
from .rubric import Band, Group, Item, Rubric
from .scoring import days_band
from .session import Session, phases_from_attempts, replay_attempt, score_session
from .words import tr

CJK_DIGITS = "〇一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
TICK = "■"
BOX = "□"



class PrintError(CallcheckError):
    """Sessions that cannot be printed as asked (a draft without --draft, nothing chosen)."""


def _e(text: Any) -> str:
    """Escape user or rubric text for HTML (quotes too): the only way text gets in."""
    return escape("" if text is None else str(text), quote=True)


@dataclass(frozen=True)
class _Out:
    lang: Lang

    def w(self, key: str, **kw: Any) -> str:
        """The label `print.<key>` in Chinese, with the English beside it under --lang en
        (escaped)."""
        return self.both(Msg(tr(f"print.{key}", "zh", **kw), tr(f"print.{key}", "en", **kw)))

    def both(self, m: Msg | None, block: bool = False) -> str:
        if m is None:
            return ""
        zh = f'<span class="zh">{_e(m.zh)}</span>'
        if self.lang != "en" or m.en == m.zh:
            return zh
        cls = "en block" if block else "en"
        return f'{zh}<span class="{cls}">{_e(m.en)}</span>'

    def zh(self, key: str, **kw: Any) -> str:
        return tr(f"print.{key}", "zh", **kw)


# --- dates as the forms write them ------------------------------------------------------

def _local(at: str) -> dt.datetime | None:
    try:
        return parse_datetime(at).in_timezone(TZ)
    except (ValueError, TypeError):
        return None


def roc_ymd(value: dt.date) -> str:
    """115 年 11 月 26 日: the form's 年 月 日 filled in (民國 years)."""
    return f"{value.year - 1911} 年 {value.month} 月 {value.day} 日"


def roc_ymdhm(value: dt.datetime) -> str:
    """115 年 11 月 26 日 10 時 05 分: the telephone form's 測試時間."""
    return f"{roc_ymd(value)} {value.hour} 時 {value.minute:02d} 分"


def _clock(value: dt.datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"


# --- the form's numbering -----------------------------------------------------------------

def _cjk_number(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else CJK_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CJK_DIGITS[tens] if tens > 1 else "") + "十" + (CJK_DIGITS[ones] if ones else "")


def _styles(depth: int) -> list[str]:
    """Numbering per level: 一、 / （一） / １ as the appendix numbers its forms."""
    if depth <= 1:
        return ["paren"]
    if depth == 2:
        return ["paren", "dotted"]  # 附表一: （一） then 1.
    return ["part", "paren", *["fullwidth"] * (depth - 2)]  # 附表三: 一、（一）１


def _number(style: str, n: int) -> str:
    if style == "part":
        return f"{_cjk_number(n)}、"
    if style == "paren":
        return f"（{_cjk_number(n)}）"
    if style == "dotted":
        return f"{n}. "
    return str(n).translate(FULLWIDTH)


# --- the rows of a form -------------------------------------------------------------------

@dataclass
class _Option:
    label: Msg
    points: str
    chosen: bool
    heading: bool = False
    """A branch heading (甲、乙) above its bands."""


@dataclass
class _Row:
    kind: str
    """"part" (a top-level group with subgroups), "group" or "item"."""
    number: str
    label: Msg
    note: Msg | None = None
    max: int | None = None
    points: str = ""
    boxes: bool | None = None
    """□是□否 ticked: True/False; None when the form has no boxes on this row."""
    has_boxes: bool = False
    box_label: Msg | None = None
    """The text after the boxes, when the boxes belong to a note (設電話語音系統…)."""
    options: list[_Option] = field(default_factory=list)
    record: list[str] = field(default_factory=list)
    """Already-escaped HTML fragments for the 評核紀錄事項 column."""
    depth: int = 0
    new_page: bool = False
    """A part after the first starts a new page (a clean break, the header repeated)."""


def _span(b: Band) -> str:
    return str(b.min) if b.min == b.max else f"{b.min}~{b.max}"


def _band_of(bands: Sequence[Band], points: int | None) -> Band | None:
    if points is None:
        return None
    return next((b for b in bands if b.min <= points <= b.max), None)


def _tenths_text(tenths: int) -> str:
    whole, frac = divmod(tenths, 10)
    return f"{whole}.{frac}"


def _phase_text(o: _Out, rings: int | None, tenths: int | None) -> str:
    parts = []
    if rings is not None:
        parts.append(o.zh("rings", n=rings) if o.lang != "en"
                     else f"{o.zh('rings', n=rings)} ({tr('print.rings', 'en', n=rings)})")
    if tenths is not None:
        s = _tenths_text(tenths)
        parts.append(o.zh("seconds", s=s) if o.lang != "en"
                     else f"{o.zh('seconds', s=s)} ({tr('print.seconds', 'en', s=s)})")
    return " / ".join(parts)


class _FormBuilder:
    """Builds the rows of one session's form from its rubric and result."""

    def __init__(self, rubric: Rubric, session: Session, result: Mapping[str, Any] | None,
                 out: _Out) -> None:
        self.rubric = rubric
        self.session = session
        self.result = result
        self.items: Mapping[str, Any] = (result or {}).get("items", {})
        self.o = out
        self.phases: dict[str, PhaseObs] = {}
        if rubric.uses_calls and session.attempts:
            try:
                self.phases = phases_from_attempts(rubric, session)
            except (CallcheckError, ValueError, KeyError):
                self.phases = {}
        self.boxes_everywhere = not rubric.uses_calls
        ids = [g.id for g in rubric.groups] + [i.id for i in rubric.items]
        self.depth = max(i.count(".") + 1 for i in ids)
        self.styles = _styles(self.depth)

    # -- answers -------------------------------------------------------------------------
    def answer(self, item: Item) -> Any:
        raw = self.session.answers.get(item.id)
        if raw is None:
            return None
        try:
            return parse_answer(raw, f"answers.{item.id}")
        except InputError:
            return None

    def given(self, item_id: str) -> int | None:
        r = self.items.get(item_id)
        return None if r is None else r.get("points")

    def status(self, item_id: str) -> str | None:
        r = self.items.get(item_id)
        return None if r is None else r.get("status")

    # -- options per kind ------------------------------------------------------------------
    def options(self, item: Item) -> list[_Option]:
        ans = self.answer(item)
        pts = self.given(item.id)
        scored = self.status(item.id) == "scored"
        if item.kind == "choice":
            chosen_idx = None
            if scored and isinstance(ans, ChoiceAnswer) and ans.option:
                chosen_idx = ans.option - 1
            elif scored and isinstance(ans, int) and not isinstance(ans, bool):
                chosen_idx = next((k for k, opt in enumerate(item.options)
                                   if opt.points == ans), None)
            return [_Option(opt.label, f"({opt.points})", k == chosen_idx)
                    for k, opt in enumerate(item.options)]
        if item.kind == "yesno":
            chosen_idx = ans.option - 1 if isinstance(ans, ChoiceAnswer) and ans.option else None
            return [_Option(opt.label, f"({opt.points})", k == chosen_idx)
                    for k, opt in enumerate(item.options) if k == chosen_idx]
        if item.kind == "band":
            if item.measure == "days" and isinstance(ans, DaysAnswer) and scored:
                band: Band | None = days_band(item, ans.days)
            else:
                band = _band_of(item.bands, pts) if scored else None
            return [_Option(b.label, f"({_span(b)})", b is band) for b in item.bands]
        if item.kind == "branch":
            out: list[_Option] = []
            chosen_branch = ans.branch if isinstance(ans, BranchAnswer) and scored else None
            for br in item.branches:
                out.append(_Option(Msg(f"{br.id}、{br.label.zh}", f"{br.id}: {br.label.en}"),
                                   "", br.id == chosen_branch, heading=True))
                band = _band_of(br.bands, pts) if br.id == chosen_branch else None
                out.extend(_Option(b.label, f"({_span(b)})", b is band) for b in br.bands)
            return out
        if item.kind in ("timed", "derived"):
            return self.outcome_options(item, pts if scored else None)
        return []

    def outcome_options(self, item: Item, pts: int | None) -> list[_Option]:
        p = self.phases.get(item.phase or "")
        chosen_key: str | None = None
        if p is not None and pts is not None:
            if p.outcome == "answered":
                chosen_key = "answered"
            else:
                chosen_key = "auto_transfer" if p.auto_transfer and item.outcome(
                    "auto_transfer") else p.outcome
        out: list[_Option] = []
        picked_band = False
        factor = 2 if self.doubled(item) else 1
        for b in item.speed_bands:
            chosen = (chosen_key == "answered" and not picked_band and pts is not None
                      and b.points * factor == pts)
            picked_band = picked_band or chosen
            out.append(_Option(b.label, f"({b.points})", chosen))
        for oc in item.outcomes:
            if oc.label.zh == item.label.zh:
                continue  # the item's own wording (2.1.1): the points column says it
            if oc.outcome == "answered" and item.speed_bands:
                continue
            chosen = chosen_key == oc.outcome and not picked_band
            out.append(_Option(oc.label, f"({oc.points})", chosen))
        return out

    def doubled(self, item: Item) -> bool:
        r = self.items.get(item.id)
        return bool(r and r.get("max") and r["max"] == item.points * 2)

    # -- record column ----------------------------------------------------------------------
    def record(self, item_id: str, item: Item | None) -> list[str]:
        o = self.o
        out: list[str] = []
        r = self.items.get(item_id)
        na_reason = self.session.na.get(item_id)
        if r is not None and r.get("status") == "na":
            reason = na_reason or r.get("note", "")
            en = r.get("note_en") or reason
            out.append(f'<span class="na">{o.w("na")}：</span>'
                       + o.both(Msg(reason, en if not na_reason else reason)))
        elif r is not None and item is not None and r.get("note") and self.shows_basis(item, r):
            note = Msg(r["note"], r.get("note_en") or r["note"])
            out.append(f'<span class="basis">{o.w("basis")}：</span>{o.both(note)}')
        elif na_reason:
            out.append(f'<span class="na">{o.w("na")}：</span>{_e(na_reason)}')
        if item is not None and item.kind == "timed" and self.rubric.uses_calls:
            out.extend(self.retests(item))
        if item is not None and item.measure == "days":
            ans = self.answer(item)
            if isinstance(ans, DaysAnswer) and ans.cases:
                cases = "；".join(f"{roc_ymd(a)} → {roc_ymd(b)}" for a, b in ans.cases)
                out.append(f'<span class="basis">{o.w("cases")}：</span>{_e(cases)}')
        tester_note = self.session.notes.get(item_id)
        if tester_note:
            out.append(f'<span class="note">{o.w("note")}：</span>'
                       f'<span class="tester-note">{_e(tester_note)}</span>')
        return out

    def shows_basis(self, item: Item, r: Mapping[str, Any]) -> bool:
        """The engine's reason, where the ticked box does not already say it all."""
        if r.get("status") != "scored":
            return True  # unreached, or a rule of the form: say why
        if item.kind == "timed" or item.measure is not None:
            return True  # rings and seconds; days
        if item.kind == "yesno":
            return not self.boxes_everywhere  # the telephone form has no boxes there
        return False

    def retests(self, item: Item) -> list[str]:
        """The attempts' start times for a phase that was retested (一(二)2)."""
        p = self.phases.get(item.phase or "")
        if p is None or len(p.attempts) < 2:
            return []
        times = "、".join(f"{self.o.zh('attempt', n=n)} {_clock(a.in_timezone(TZ))}"
                         for n, a in enumerate(p.attempts, 1))
        return [f'<span class="retest">{_e(times)}</span>']

    # -- rows -------------------------------------------------------------------------------
    def box_rule(self, group: Group) -> tuple[bool, bool | None]:
        """A group a context rule switches off has a □是□否 box: (has a box, the flag's value).

        The box stays empty when the call never went where the group is asked
        (a direct line never reached the switchboard's voice system).
        """
        ctx = self.session.context
        if ctx is None or group.note is None:
            return False, None
        for rule in self.rubric.rules:
            if rule.effect != "na" or group.id not in rule.targets:
                continue
            flags = [k for k in rule.when if k.startswith("has_")]
            if len(flags) == 1 and rule.when[flags[0]] is False:
                routes = {ph.route for i in self.rubric.covered(group.id)
                          if i.phase and (ph := self.rubric.phase(i.phase)) and ph.route}
                if routes and ctx.route not in routes:
                    return True, None
                return True, bool(getattr(ctx, flags[0]))
        return False, None

    def subtotal(self, group_id: str) -> tuple[int, int, int]:
        """(points, counted max, printed max) of a group's items in the result."""
        under = [i for i in self.rubric.items if i.id.startswith(group_id + ".")]
        pts = counted = 0
        for i in under:
            r = self.items.get(i.id) or {}
            if r.get("status") == "na":
                continue
            pts += r.get("points") or 0
            counted += r.get("max") or 0
        return pts, counted, sum(i.points for i in under)

    def rows(self) -> list[_Row]:
        rubric = self.rubric
        entries: list[tuple[str, Group | Item]] = [(g.id, g) for g in rubric.groups]
        entries += [(i.id, i) for i in rubric.items]
        order = {i.id: n for n, i in enumerate(rubric.items)}

        def first_item(eid: str) -> int:
            return min(n for iid, n in order.items() if iid == eid or iid.startswith(eid + "."))

        entries.sort(key=lambda e: (first_item(e[0]), e[0].count(".")))
        rows: list[_Row] = []
        for eid, thing in entries:
            level = eid.count(".")
            n = int(eid.rsplit(".", 1)[-1])
            number = _number(self.styles[min(level, len(self.styles) - 1)], n)
            if isinstance(thing, Group):
                has_sub = any(g.id.startswith(eid + ".") for g in rubric.groups)
                pts, counted, printed = self.subtotal(eid)
                row = _Row("part" if has_sub else "group", number, thing.label,
                           max=thing.points, depth=level)
                if has_sub and level == 0:
                    row.new_page = any(r.kind == "part" for r in rows)
                if self.result is not None:
                    row.points = str(pts)
                    if counted != printed:
                        row.record.append(f'<span class="counted">'
                                          f'{self.o.w("counted", max=counted)}</span>')
                has_box, box = self.box_rule(thing)
                if has_box:
                    row.has_boxes, row.boxes, row.box_label = True, box, thing.note
                else:
                    row.note = thing.note
                rows.append(row)
                continue
            item = thing
            row = _Row("item", number, item.label, note=item.note, max=item.points, depth=level)
            r = self.items.get(item.id)
            if r is not None:
                row.points = "—" if r.get("status") == "na" else str(r.get("points"))
                if r.get("max") and r["max"] != item.points and r.get("status") != "na":
                    row.record.append(f'<span class="counted">'
                                      f'{self.o.w("counted", max=r["max"])}</span>')
            if item.kind == "yesno" and self.boxes_everywhere:
                row.has_boxes = True
                ans = self.answer(item)
                if r is not None and r.get("status") == "scored":
                    row.boxes = bool(ans) if isinstance(ans, bool) else (
                        True if isinstance(ans, ChoiceAnswer) else None)
            row.options = self.options(item)
            row.record.extend(self.record(item.id, item))
            rows.append(row)
        return rows


# --- HTML ---------------------------------------------------------------------------------

CSS = """
@page { size: A4 portrait; margin: 10mm 11mm 10mm 11mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #000; font-size: 8.6pt; line-height: 1.28;
  font-family: "Noto Serif CJK TC", "Noto Sans CJK TC", "Noto Serif CJK JP",
    "PMingLiU", "MingLiU", "Microsoft JhengHei", "PingFang TC", serif; }
.sheet { position: relative; break-after: page; page-break-after: always; }
.sheet:last-child { break-after: auto; page-break-after: auto; }
h1 { font-size: 12.5pt; text-align: center; margin: 0 0 0.5mm; letter-spacing: 0.05em; }
h2 { font-size: 12pt; text-align: center; margin: 0 0 1.5mm; }
.en { color: #333; font-size: 0.88em; margin-left: 0.4em; }
.en.block { display: block; margin-left: 0; }
.head { margin: 0 0 1.2mm; }
.head p { margin: 0.6mm 0; display: flex; flex-wrap: wrap; gap: 0 6mm; }
.head .field { white-space: nowrap; }
.head .value { display: inline-block; min-width: 32mm; border-bottom: 0.6pt solid #000;
  padding: 0 1mm; white-space: normal; }
table.form { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.form col.c-content { width: 57%; }
table.form col.c-max, table.form col.c-points { width: 6.5%; }
table.form col.c-record { width: 30%; }
.form th, .form td { border: 0.6pt solid #000; padding: 0.45mm 1.1mm; vertical-align: top; }
.form thead { display: table-header-group; }
.form th { font-weight: bold; text-align: center; background: #f2f2f2; }
.form tr { break-inside: avoid; page-break-inside: avoid; }
.form tr.new-page { break-before: page; page-break-before: always; }
.form td.num { text-align: center; white-space: nowrap; }
.form td.pts { font-weight: bold; font-size: 1.1em; }
.form tr.part td { background: #ececec; font-weight: bold; }
.form tr.group td.content { font-weight: bold; }
.form tr.total td { font-weight: bold; background: #ececec; }
.lab { display: inline; }
.itemnote { display: block; color: #222; font-size: 0.92em; }
.opts { list-style: none; margin: 0.2mm 0 0; padding: 0 0 0 3.5mm; }
.opts li { display: flex; gap: 1mm; }
.opts li .t { flex: 1; }
.opts li .p { white-space: nowrap; }
.opts li.chosen { font-weight: bold; }
.opts li.heading { margin-top: 0.4mm; padding-left: 0; }
.opts li.sub { padding-left: 3mm; }
.box { font-family: "DejaVu Sans", "Noto Sans CJK TC", sans-serif; }
.record div { margin: 0 0 0.3mm; }
.record .tester-note { font-weight: bold; }
.record .basis, .record .note, .record .na, .record .counted { color: #222; }
.after { margin-top: 1mm; font-size: 0.95em; }
.after p { margin: 0.4mm 0; }
.after ul { margin: 0.2mm 0 0.2mm 4mm; padding: 0; }
.sign { display: flex; justify-content: space-between; gap: 6mm; margin-top: 3mm; }
.sign span { flex: 1; border-bottom: 0.6pt solid #000; padding-bottom: 5mm; }
.digest { font-family: "DejaVu Sans Mono", monospace; }
.draft-mark { position: absolute; top: 70mm; left: 0; right: 0; text-align: center;
  font-size: 90pt; font-weight: bold; color: rgba(200, 0, 0, 0.16);
  transform: rotate(-28deg); pointer-events: none; z-index: 5; }
.draft-flag { color: #b00; }
@media screen {
  body { background: #ddd; }
  .sheet { background: #fff; width: 210mm; margin: 8mm auto; padding: 10mm 11mm;
    box-shadow: 0 0 3mm rgba(0, 0, 0, 0.3); }
}
"""


def _form_title(rubric: Rubric) -> tuple[str, str]:
    """The appendix's title and the form's section line, from the rubric's source."""
    src = rubric.source
    if "附表" in src:
        tail = src.split("附表", 1)[1].strip()
        sheet, _, section = tail.rpartition(" ")
        if sheet and section:
            return sheet.strip(), section.strip()
    return "", rubric.title.zh


def _header_value(rubric: Rubric, session: Session, key: str, kind: str, out: _Out) -> str:
    h = session.header
    if kind in ("date", "datetime"):
        local = _local(h.get(key) or session.at)
        if local is None:
            return _e(h.get(key, ""))
        text = roc_ymdhm(local) if kind == "datetime" else roc_ymd(local)
        iso_text = local.strftime("%Y-%m-%d %H:%M" if kind == "datetime" else "%Y-%m-%d")
        extra = f'<span class="en">({_e(iso_text)})</span>' if out.lang == "en" else ""
        return _e(text) + extra
    value = h.get(key, "")
    if key == "agency":
        unit_field = rubric.header_field("unit")
        unit = h.get("unit", "")
        if unit and (unit_field is None or not unit_field.on_form):
            value = f"{value}　{unit}" if value else unit
    return _e(value)


def _header_html(rubric: Rubric, session: Session, out: _Out) -> str:
    lines: list[list[str]] = [[]]
    for f in rubric.header:
        if not f.on_form:
            continue
        if f.type in ("date", "datetime") and lines[-1]:
            lines.append([])
        value = _header_value(rubric, session, f.key, f.type, out)
        lines[-1].append(f'<span class="field" data-key="{_e(f.key)}">{out.both(f.label)}：'
                         f'<span class="value">{value}</span></span>')
    return "".join(f"<p>{''.join(line)}</p>" for line in lines if line)


def _boxes(answer: bool | None) -> str:
    yes = TICK if answer is True else BOX
    no = TICK if answer is False else BOX
    return (f'<span class="box">{yes}</span>{tr("print.yes", "zh")}'
            f'<span class="box">{no}</span>{tr("print.no", "zh")}')


def _row_html(row: _Row, out: _Out) -> str:
    parts = [f'<span class="n">{_e(row.number)}</span>']
    if row.has_boxes and row.box_label is None:
        parts.append(_boxes(row.boxes) + " ")
    parts.append(f'<span class="lab">{out.both(row.label)}</span>')
    if row.kind in ("part", "group") and row.max is not None and row.depth == 0 \
            and row.kind == "part":
        parts.append(tr("print.part_max", "zh", max=row.max))
    if row.note is not None:
        parts.append(f'<span class="itemnote">{out.both(row.note)}</span>')
    if row.box_label is not None:
        parts.append(f'<span class="itemnote">{_boxes(row.boxes)} {out.both(row.box_label)}'
                     "</span>")
    if row.options:
        lis = []
        for opt in row.options:
            mark = TICK if opt.chosen else BOX
            cls = ["chosen"] if opt.chosen else []
            if opt.heading:
                cls.append("heading")
                lis.append(f'<li class="{" ".join(cls)}"><span class="t">'
                           f'{out.both(opt.label)}</span></li>')
                continue
            if any(o.heading for o in row.options):
                cls.append("sub")
            lis.append(f'<li class="{" ".join(cls)}"><span class="box">{mark}</span>'
                       f'<span class="t">{out.both(opt.label)}</span>'
                       f'<span class="p">{_e(opt.points)}</span></li>')
        parts.append(f'<ul class="opts">{"".join(lis)}</ul>')
    record = "".join(f"<div>{frag}</div>" for frag in row.record)
    row_class = f"{row.kind} new-page" if row.new_page else row.kind
    return (f'<tr class="{row_class}"><td class="content">{"".join(parts)}</td>'
            f'<td class="num">{"" if row.max is None else row.max}</td>'
            f'<td class="num pts">{_e(row.points)}</td>'
            f'<td class="record">{record}</td></tr>')


def _call_record(rubric: Rubric, session: Session, out: _Out) -> str:
    """The call's evidence: route, and per attempt its start and each phase's measures."""
    ctx = session.context
    if not rubric.uses_calls or ctx is None:
        return ""
    o = out
    route = o.w(f"route.{ctx.route}")
    if ctx.route == "switchboard":
        route += "（" + "、".join(
            f"{o.w(flag)}：{o.w('present' if getattr(ctx, flag) else 'absent')}"
            for flag in ("has_ivr", "has_operator")) + "）"
    items = []
    for n, attempt in enumerate(session.attempts, 1):
        local = _local(attempt.started_at)
        when = roc_ymdhm(local) if local else attempt.started_at
        try:
            state = replay_attempt(rubric, session, attempt)
        except (CallcheckError, ValueError):
            state = None
        phases = []
        for ph in state.phases if state else []:
            spec = rubric.phase(ph.phase)
            name = spec.label.zh if spec else ph.phase
            if ph.outcome is None and not ph.rings:
                continue
            rings, tenths = ph.measured()
            if ph.outcome is None:
                rings, tenths = ph.ring_count or None, None
            what = o.zh(f"outcome.{ph.outcome or 'open'}")
            if ph.auto_transfer:
                what += f"，{o.zh('auto_transfer')}"
            measure = _phase_text(o, rings, tenths)
            phases.append(f"{name}：{what}" + (f"（{measure}）" if measure else ""))
        items.append(f"<li>{_e(o.zh('attempt', n=n))}　{_e(when)}："
                     f"{_e('；'.join(phases) or '—')}</li>")
    question = session.header.get("question")
    q = f"<p>{o.w('question')}：{_e(question)}</p>" if question else ""
    return (f'<div class="call-record"><p><b>{o.w("record.call")}</b>：{route}</p>'
            f'<ul>{"".join(items)}</ul>{q}</div>')


def _revisions(session: Session, out: _Out) -> str:
    if not session.revisions:
        return ""
    lis = []
    for rev in session.revisions:
        local = _local(rev.at)
        when = f"{roc_ymd(local)} {local.hour:02d}:{local.minute:02d}" if local else rev.at
        changes = "；".join(f"{c.get('field')}：{_plain(c.get('old'))} → {_plain(c.get('new'))}"
                           for c in rev.changes)
        lis.append(f"<li>{_e(when)} {_e(rev.by)}：{_e(rev.reason)}（{_e(changes)}）</li>")
    return f'<div class="revisions"><p><b>{out.w("revisions")}</b></p><ul>{"".join(lis)}</ul></div>'


def _en_only(m: Msg) -> str:
    return f'<span class="en">{_e(m.en)}</span>' if m.en != m.zh else ""


def _plain(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return tr("print.yes", "zh")
    if value is False:
        return tr("print.no", "zh")
    if isinstance(value, dict):
        return "、".join(f"{k} {v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class PrintedForm:
    """One form as rendered: the HTML of its page and the figures it shows."""

    session_id: str
    html: str
    points: int | None
    max: int | None
    score: float | None


def render_form(rubric: Rubric, session: Session, lang: Lang = "zh",
                draft: bool = False) -> PrintedForm:
    """One session's form as an HTML `<section>` (one A4 page or more)."""
    out = _Out(lang)
    result = session.result
    if result is None and draft:
        try:
            result = score_session(rubric, session).as_stored()
        except (CallcheckError, ValueError, KeyError):
            result = None
    builder = _FormBuilder(rubric, session, result, out)
    rows = builder.rows()
    sheet, section = _form_title(rubric)
    is_draft = not session.finished
    head_word = out.w("content") + (out.w("content.boxes") if builder.boxes_everywhere
                                    else out.w("content.total", max=rubric.max))
    total = (result or {}).get("total") or {}
    t_points, t_max, t_score = total.get("points"), total.get("max"), total.get("score")
    total_record = ""
    if t_max is not None:
        score_text = "—" if t_score is None else f"{t_score:.1f}"
        total_record = out.w("score.line", points=t_points, max=t_max, score=score_text)
    total_row = (f'<tr class="total"><td class="content">{out.w("total")}</td>'
                 f'<td class="num">{rubric.max}</td>'
                 f'<td class="num pts">{"" if t_points is None else t_points}</td>'
                 f'<td class="record">{total_record}</td></tr>')
    score_row = ""
    if t_score is not None:
        score_row = (f'<tr class="total score"><td class="content">{out.w("score")}</td>'
                     f'<td class="num">100</td><td class="num pts">{t_score:.1f}</td>'
                     f"<td></td></tr>")
    body = "".join(_row_html(r, out) for r in rows)
    title = f"<h1>{_e(sheet)}</h1>" if sheet else ""
    flag = f'<span class="draft-flag">（{out.w("draft")}）</span>' if is_draft else ""
    if result is None:
        flag += out.w("unscored")
    mark = f'<div class="draft-mark">{_e(tr("print.draft", "zh"))}</div>' if is_draft else ""
    tester = rubric.header_field("tester")
    tester_label = out.both(tester.label) if tester else out.w("reviewer")
    digest = session.digest
    digest_html = (f'<span class="digest">{_e(short(digest))}</span>' if digest
                   else out.w("digest.none"))
    footnote = (f'<p class="footnote">{out.w("footnote")}{out.both(rubric.footnote)}</p>'
                if rubric.footnote else "")
    after = (f'<div class="after">{footnote}{_call_record(rubric, session, out)}'
             f"{_revisions(session, out)}"
             f'<p>{out.w("session")}：<span class="digest">{_e(session.id)}</span>　'
             f'{out.w("digest")}：{digest_html}</p></div>')
    sign = (f'<div class="sign"><span>{tester_label}{out.w("signature")}：</span>'
            f'<span>{out.w("reviewer")}{out.w("signature")}：</span></div>')
    html = (f'<section class="sheet" id="s-{_e(session.id)}" data-session="{_e(session.id)}" '
            f'data-rubric="{_e(rubric.id)}">{mark}{title}'
            f'<h2>{_e(section)}{_en_only(rubric.title) if lang == "en" else ""}'
            f"{flag}</h2>"
            f'<div class="head">{_header_html(rubric, session, out)}</div>'
            f'<table class="form"><colgroup><col class="c-content"><col class="c-max">'
            f'<col class="c-points"><col class="c-record"></colgroup>'
            f'<thead><tr><th>{head_word}</th><th>{out.w("max")}</th>'
            f'<th>{out.w("points")}</th><th>{out.w("record")}</th></tr></thead>'
            f"<tbody>{body}{total_row}{score_row}</tbody></table>{after}{sign}</section>")
    return PrintedForm(session.id, html, t_points, t_max, t_score)


def page(title: str, body: str, css: str = CSS, lang: Lang = "zh") -> str:
    """A whole self-contained HTML document: inline styles, no scripts, no links."""
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-Hant-TW"><head>'
            '<meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{css}</style></head>"
            f"<body>{body}</body></html>\n")


def check_printable(sessions: Iterable[Session], draft: bool) -> None:
    """Refuse a session that is not finished unless `draft` (then marked 草稿)."""
    if draft:
        return
    unfinished = [s for s in sessions if not s.finished]
    if unfinished:
        listed = ", ".join(f"{s.id[:8]} ({s.status})" for s in unfinished)
        raise PrintError(f"only finished sessions are printed; not finished: {listed} "
                         "(--draft prints them marked 草稿)")


def render_forms(sessions: Sequence[Session], rubrics: Mapping[str, Rubric],
                 lang: Lang = "zh", draft: bool = False) -> tuple[str, list[PrintedForm]]:
    """One HTML document, one form per page, for the given sessions."""
    if not sessions:
        raise PrintError("no sessions to print")
    check_printable(sessions, draft)
    forms = []
    for s in sessions:
        rubric = rubrics.get(s.rubric)
        if rubric is None:
            raise PrintError(f"session {s.id}: unknown form {s.rubric!r} "
                             f"(known: {', '.join(rubrics)})")
        forms.append(render_form(rubric, s, lang, draft))
    first = sessions[0]
    title = f"{tr('print.doc.title', 'zh')} {first.header.get('agency', '')}".strip()
    if len(sessions) > 1:
        title += tr("print.doc.count", "zh", n=len(sessions))
    return page(title, "".join(f.html for f in forms), lang=lang), forms
