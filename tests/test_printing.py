"""The filled forms as HTML: every bundled form, every route, the evidence, escaping, refusals."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from callcheck.observations import parse_observations
from callcheck.printing import PrintError, render_forms
from callcheck.rubric import Rubric
from callcheck.scoring import score
from callcheck.session import Session, revise, session_from_observations
from callcheck.store import Store

from .conftest import perfect_call
from .test_cli import run


def session_of(rubrics: dict[str, Rubric], data: dict[str, Any]) -> Session:
    obs = parse_observations(data)
    rubric = rubrics[obs.rubric]
    return session_from_observations(rubric, obs, score(rubric, obs))


def call(**changes: Any) -> dict[str, Any]:
    data = perfect_call()
    for key, value in changes.items():
        data[key] = value
    return data


def direct_call() -> dict[str, Any]:
    data = perfect_call()
    data["context"] = {"route": "direct", "has_ivr": False, "has_operator": False}
    data["phases"] = {"unit": data["phases"]["unit"]}
    data["answers"] = {k: v for k, v in data["answers"].items() if k.startswith("2.")}
    return data


def no_ivr_call() -> dict[str, Any]:
    data = perfect_call()
    data["context"]["has_ivr"] = False
    del data["phases"]["ivr"]
    del data["answers"]["1.1.2"]
    data["phases"]["operator"] = {"outcome": "answered", "rings": 6, "seconds": 16.2}
    return data


def no_operator_call() -> dict[str, Any]:
    data = perfect_call()
    data["context"]["has_operator"] = False
    del data["phases"]["operator"]
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("1.3")}
    return data


def unanswered_twice() -> dict[str, Any]:
    data = perfect_call()
    data["phases"]["operator"] = {"outcome": "unanswered", "rings": 9, "seconds": 25.0,
                                  "attempts": ["2026-11-26T10:00:00+08:00",
                                               "2026-11-26T10:12:00+08:00"]}
    del data["phases"]["unit"]
    data["answers"] = {"1.1.2": 5}
    data["notes"] = {"1.2": "兩次皆響九聲以上無人接聽"}
    return data


def part_not_applicable() -> dict[str, Any]:
    data = perfect_call()
    data["na"] = {"1.3": "總機為自動語音，無人員接聽可評"}
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("1.3")}
    data["notes"] = {"2.3": "承辦人說明清楚"}
    return data


def registration_visit(rubrics: dict[str, Rubric]) -> dict[str, Any]:
    answers: dict[str, Any] = {i.id: True for i in rubrics["registration"].items}
    answers["1.5"] = False
    del answers["2.2"]
    return {"rubric": "registration",
            "meta": {"agency": "基隆市選舉委員會", "unit": "第一組", "tester": "張雅婷",
                     "at": "2026-10-02T09:00:00+08:00"},
            "answers": answers, "na": {"2.2": "臨時登記場地無盥洗室"},
            "notes": {"1.5": "一樓無導引標示"}}


def petition_visit() -> dict[str, Any]:
    return {"rubric": "petition",
            "meta": {"agency": "基隆市政府", "unit": "民政處", "tester": "李建宏",
                     "at": "2026-03-10T14:00:00+08:00"},
            "answers": {"1": True, "2": False, "4": True,
                        "3": {"cases": [["2026-03-01", "2026-03-03"],
                                        ["2026-03-02", "2026-03-07"]], "points": 8}},
            "notes": {"3": "抽樣兩件"}}


CASES = {
    "switchboard": lambda r: call(),
    "direct": lambda r: direct_call(),
    "no_ivr": lambda r: no_ivr_call(),
    "no_operator": lambda r: no_operator_call(),
    "unanswered_twice": lambda r: unanswered_twice(),
    "part_na": lambda r: part_not_applicable(),
    "registration": registration_visit,
    "petition": lambda r: petition_visit(),
}


def rows_of(page: str) -> list[tuple[str, str]]:
    """(row class, points shown) of every row of the form's table."""
    return re.findall(r'<tr class="([a-z -]+)"><td class="content">.*?'
                      r'<td class="num pts">([^<]*)</td>', page)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bundled_form_prints_its_wording_points_header_and_total(
        rubrics: dict[str, Rubric], case: str, lang: str) -> None:
    session = session_of(rubrics, CASES[case](rubrics))
    rubric = rubrics[session.rubric]
    page, (form,) = render_forms([session], rubrics, lang=lang)  # type: ignore[arg-type]
    for item in rubric.items:
        assert html.escape(item.label.zh) in page, item.id
        if lang == "en":
            assert html.escape(item.label.en) in page, item.id
    for group in rubric.groups:
        assert html.escape(group.label.zh) in page
    rows = rows_of(page)
    items = [pts for cls, pts in rows if cls == "item"]
    assert len(items) == len(rubric.items)
    shown_total = int(next(pts for cls, pts in rows if cls == "total"))
    assert sum(int(p) for p in items if p != "—") == shown_total == session.total["points"]
    assert items.count("—") == sum(1 for r in session.result["items"].values()
                                   if r["status"] == "na")
    for f in rubric.header:
        if f.on_form and f.key in session.header and f.type == "text":
            assert html.escape(session.header[f.key]) in page, f.key
        if f.on_form:
            assert f'data-key="{f.key}"><span class="zh">{f.label.zh}</span>' in page
    assert f"{session.total['score']:.1f}" in page
    assert form.points == session.total["points"]


def test_roc_dates_are_taipei_dates_as_the_form_writes_them(rubrics: dict[str, Rubric]) -> None:
    data = call()
    data["meta"]["at"] = "2026-11-25T17:30:00Z"  # 01:30 the next day in Taipei
    page, _ = render_forms([session_of(rubrics, data)], rubrics)
    assert "測試時間" in page and "115 年 11 月 26 日 1 時 30 分" in page
    reg = session_of(rubrics, registration_visit(rubrics))
    page, _ = render_forms([reg], rubrics)
    assert "評核日期" in page and "115 年 10 月 2 日" in page and "時" not in \
        page.split("評核日期")[1].split("</span></span>")[0]


def test_unanswered_twice_shows_both_attempts_and_ticks_the_outcome(
        rubrics: dict[str, Rubric]) -> None:
    page, _ = render_forms([session_of(rubrics, unanswered_twice())], rubrics)
    assert "第 1 次撥打 10:00:00、第 2 次撥打 10:12:00" in page
    assert re.search(r'<li class="chosen"><span class="box">■</span><span class="t">'
                     r'<span class="zh">連打二次無人接聽。', page)
    assert "兩次皆響九聲以上無人接聽" in page
    assert "未能進行" in page  # later items were never reached, and the form says why


def test_not_applicable_part_prints_the_reason_and_no_points(rubrics: dict[str, Rubric]) -> None:
    page, _ = render_forms([session_of(rubrics, part_not_applicable())], rubrics)
    assert page.count("總機為自動語音，無人員接聽可評") == 8  # each of 1.3.1–1.3.8
    assert "計分上限 20 分" in page  # part 一 without its 20 points of 1.3
    assert "計分上限 80 × 100" in page


def test_choices_bands_and_boxes_are_ticked(rubrics: dict[str, Rubric]) -> None:
    reg = session_of(rubrics, registration_visit(rubrics))
    page, _ = render_forms([reg], rubrics)
    assert page.count('<span class="box">■</span>是<span class="box">□</span>否') == 10
    assert page.count('<span class="box">□</span>是<span class="box">■</span>否') == 1
    assert page.count('<span class="box">□</span>是<span class="box">□</span>否') == 1  # n/a
    pet = session_of(rubrics, petition_visit())
    page, _ = render_forms([pet], rubrics)
    assert re.search(r'class="chosen"><span class="box">■</span><span class="t"><span '
                     r'class="zh">四至六天。', page)  # mean 3.5 days
    assert "115 年 3 月 1 日 → 115 年 3 月 3 日" in page
    tel = session_of(rubrics, no_ivr_call())
    page, _ = render_forms([tel], rubrics)
    assert '<span class="box">□</span>是<span class="box">■</span>否 <span class="zh">設電話語音' \
        in page
    assert "（20）" not in page and ">16<" in page  # 1.2 doubled: 8 × 2
    direct = session_of(rubrics, direct_call())
    page, _ = render_forms([direct], rubrics)
    assert '<span class="box">□</span>是<span class="box">□</span>否 <span class="zh">設電話語音' \
        in page  # a direct line never met the voice system: the box stays empty


NASTY = "<script>alert(1)</script> </td> &amp; \"q\""


def test_user_text_is_printed_as_text_never_markup(rubrics: dict[str, Rubric]) -> None:
    data = call()
    for key in ("agency", "unit", "number", "tester"):
        data["meta"][key] = f"{key} {NASTY}"
    data["notes"] = {"1.3.1": NASTY, "2.3": NASTY}
    data["na"] = {"1.1.2": NASTY}
    del data["answers"]["1.1.2"]
    session = session_of(rubrics, data)
    session.header["question"] = NASTY
    session = revise(rubrics["telephone"], session, {"notes.2.2.1": NASTY}, NASTY, NASTY)
    page, _ = render_forms([session], rubrics, lang="en")
    assert "<script" not in page.lower()
    escaped = html.escape(NASTY)
    assert page.count(escaped) >= 9
    assert "&amp;amp;" in page and "&lt;/td&gt;" in page
    tel = rubrics["telephone"]
    assert len(rows_of(page)) == len(tel.items) + len(tel.groups) + 2  # the table is whole


def test_the_page_is_self_contained_and_print_ready(rubrics: dict[str, Rubric]) -> None:
    page, _ = render_forms([session_of(rubrics, call())], rubrics)
    assert "@page { size: A4 portrait" in page
    for outside in ("<script", "<link", "src=", "url(", "@import", "http://", "https://"):
        assert outside not in page
    assert '<meta charset="utf-8">' in page


def test_several_sessions_give_one_form_per_page(rubrics: dict[str, Rubric]) -> None:
    sessions = [session_of(rubrics, CASES[c](rubrics)) for c in CASES]
    page, forms = render_forms(sessions, rubrics)
    assert page.count('<section class="sheet"') == len(sessions) == len(forms)
    assert "break-after: page" in page


def test_a_draft_is_refused_unless_asked_and_then_marked(rubrics: dict[str, Rubric]) -> None:
    draft = Session.new(rubrics["registration"], header={"agency": "基隆市政府",
                                                         "at": "2026-10-02T09:00:00+08:00"})
    with pytest.raises(PrintError, match="only finished sessions"):
        render_forms([draft], rubrics)
    page, _ = render_forms([draft], rubrics, draft=True)
    assert "草稿" in page and "draft-mark" in page


# --- the command -------------------------------------------------------------------------

@pytest.fixture
def db(tmp_path: Path, rubrics: dict[str, Rubric]) -> Path:
    path = tmp_path / "db.json"
    with Store(path) as store:
        for case in CASES:
            store.save(session_of(rubrics, CASES[case](rubrics)))
        store.save(Session.new(rubrics["telephone"], id="dddddddd-0000-4000-8000-000000000000",
                               header={"agency": "基隆市政府", "unit": "第一組",
                                       "at": "2026-11-26T10:00:00+08:00"}))
    return path


def test_print_by_id_and_by_filter_writes_one_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "forms.html"
    code, _, err = run(["--db", str(db), "print", "--unit", "民政處", "-o", str(out)])
    assert code == 0 and "printed 1 form" in err
    assert "人民陳情之處理" in out.read_text(encoding="utf-8")
    sid = run(["--db", str(db), "list", "--rubric", "registration"])[1].split()[0]
    code, _, err = run(["--db", str(db), "print", sid, "-o", str(out), "--lang", "en"])
    assert code == 0
    assert "Candidate registration service" in out.read_text(encoding="utf-8")
    code, _, _ = run(["--db", str(db), "print", "--rubric", "telephone", "-o", str(out)])
    assert code == 0 and out.read_text(encoding="utf-8").count('class="sheet"') == 6


@pytest.mark.parametrize("argv, message", [
    (["print", "ffffffff"], "no session 'ffffffff'"),
    (["print", "--unit", "不存在的單位"], "no finished session matches"),
    (["print", "--since", "2030-01-01"], "no finished session matches"),
    (["print", "dddddddd"], "only finished sessions are printed"),
    (["print"], "give session ids"),
    (["print", "--rubric", "nope"], "unknown rubric"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(db: Path, tmp_path: Path,
                                                       argv: list[str], message: str) -> None:
    out = tmp_path / "never.html"
    code, stdout, err = run(["--db", str(db), *argv, "-o", str(out)])
    assert code == 1 and message in err and stdout == ""
    assert not out.exists()


def test_an_unwritable_path_is_a_clear_error(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "forms.html"
    code, _, err = run(["--db", str(db), "print", "--unit", "民政處", "-o", str(target)])
    assert code == 1 and "cannot write" in err and str(target) in err
    assert not target.parent.exists()
    code, _, err = run(["--db", str(db), "print", "--unit", "民政處", "-o", str(tmp_path)])
    assert code == 1 and "is a folder" in err


def test_a_draft_prints_with_draft_marked(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.html"
    code, _, err = run(["--db", str(db), "print", "dddddddd", "--draft", "-o", str(out)])
    assert code == 0, err
    assert "草稿" in out.read_text(encoding="utf-8")


def test_open_hands_the_written_file_to_the_browser(db: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    out = tmp_path / "f.html"
    code, _, _ = run(["--db", str(db), "print", "--unit", "民政處", "-o", str(out), "--open"])
    assert code == 0 and opened == [out.resolve().as_uri()]
    report = tmp_path / "r.html"
    code, _, _ = run(["--db", str(db), "report", "-o", str(report), "--open"])
    assert code == 0 and opened[-1] == report.resolve().as_uri()
