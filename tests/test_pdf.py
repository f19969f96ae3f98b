"""Headless Chromium prints the forms to A4 PDF, and the PDF says what the form says."""

from __future__ import annotations

from pathlib import Path

import pytest

from callcheck.printing import render_forms
from callcheck.rubric import Rubric
from callcheck.session import Session

from .pdf_support import page_size_mm, pdf_pages, print_to_pdf, squeeze
from .test_printing import CASES, session_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def printed(rubrics: dict[str, Rubric], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[list[Session], Path, list[list[str]]]:
    """Every case printed in one file; the PDF's pages grouped by form."""
    tmp = tmp_path_factory.mktemp("pdf")
    sessions = [session_of(rubrics, CASES[c](rubrics)) for c in CASES]
    page, _ = render_forms(sessions, rubrics)
    html = tmp / "forms.html"
    html.write_text(page, encoding="utf-8")
    pdf = print_to_pdf(html, tmp / "forms.pdf", tmp / "profile")
    forms: list[list[str]] = []
    for text in pdf_pages(pdf):
        if squeeze(text).startswith("基隆市選舉委員會提升服務品質評核項目表"):
            forms.append([])
        forms[-1].append(text)
    return sessions, pdf, forms


def test_pages_are_a4_portrait(printed: tuple[list[Session], Path, list[list[str]]]) -> None:
    width, height = page_size_mm(printed[1])
    assert abs(width - 210) < 1 and abs(height - 297) < 1


def test_each_form_starts_its_own_page(printed: tuple[list[Session], Path, list[list[str]]]
                                       ) -> None:
    sessions, _, forms = printed
    assert len(forms) == len(sessions)


def test_the_pdf_holds_the_wording_the_note_and_the_total(
        rubrics: dict[str, Rubric], printed: tuple[list[Session], Path, list[list[str]]]) -> None:
    sessions, _, forms = printed
    for session, pages in zip(sessions, forms, strict=True):
        rubric = rubrics[session.rubric]
        text = squeeze("".join(pages))
        for item in rubric.items:
            assert squeeze(item.label.zh) in text, (session.rubric, item.id)
        for note in session.notes.values():
            assert squeeze(note) in text
        total = session.total
        assert f"評分合計{rubric.max}{total['points']}" in text
        assert f"成績100{total['score']:.1f}" in text
        assert squeeze(session.header["tester"]) in text


def test_a_telephone_form_takes_two_pages_broken_cleanly_between_its_parts(
        rubrics: dict[str, Rubric], printed: tuple[list[Session], Path, list[list[str]]]) -> None:
    """Part 一 on the first page, part 二 on the second under the repeated column heads."""
    sessions, _, forms = printed
    telephone = [p for s, p in zip(sessions, forms, strict=True) if s.rubric == "telephone"]
    assert len(telephone) == 6
    for pages in telephone:
        assert len(pages) == 2
        first, second = (squeeze(p) for p in pages)
        assert "一、總機接聽：40分" in first and "二、業務單位接聽電話" not in first
        assert second.startswith("評核內容（總分100分）配分評分評核紀錄事項二、業務單位接聽電話")
        assert "測試人員（簽章）" in second and "複核人員（簽章）" in second


def test_registration_and_petition_forms_fit_one_page(
        printed: tuple[list[Session], Path, list[list[str]]]) -> None:
    sessions, _, forms = printed
    for session, pages in zip(sessions, forms, strict=True):
        if session.rubric != "telephone":
            assert len(pages) == 1, session.rubric
            assert "評核人員（簽章）" in squeeze(pages[0])


def test_the_report_prints_with_its_chart_ranking_and_counts(
        rubrics: dict[str, Rubric], tmp_path: Path) -> None:
    import pendulum

    from callcheck.demo import realistic_sessions
    from callcheck.report import build_report, render_report

    now = pendulum.datetime(2026, 11, 26, 15, 0, tz="Asia/Taipei")
    docs = [s.to_doc() for s in realistic_sessions(120, seed=5, rubrics=rubrics, now=now)]
    report = build_report(docs, rubrics)
    html = tmp_path / "report.html"
    html.write_text(render_report(report, rubrics), encoding="utf-8")
    pdf = print_to_pdf(html, tmp_path / "report.pdf", tmp_path / "profile")
    text = squeeze("".join(pdf_pages(pdf)))
    assert "服務品質評核期間報告" in text and "失分項目排行" in text and "成績趨勢" in text
    worst = report.losses["telephone"][0]
    assert squeeze(rubrics["telephone"].item(worst.item).label.zh) in text
    assert f"共{len(docs)}件已完成之評核" in text
    assert page_size_mm(pdf) == pytest.approx((210, 297), abs=1)
