"""An import checks each session without copying it (the check leaves the document as it
came, and the stored copy is the session's own)."""

from __future__ import annotations

import copy

from callcheck.export import check_incoming
from callcheck.rubric import Rubric
from callcheck.session import check_document

from .test_export import registration, sample


def test_the_import_check_leaves_the_document_unchanged_and_stores_its_own_copy(
        rubrics: dict[str, Rubric]) -> None:
    for made in (sample(rubrics, at="2026-10-01T10:00:00+08:00", unit="第一組"),
                 registration(rubrics)):
        made.seal()
        raw = made.to_doc()
        before = copy.deepcopy(raw)
        doc, session, marked = check_incoming(raw, rubrics, "in.json")
        assert raw == before and doc is raw and not marked
        assert session.answers is raw["answers"]  # shared, not copied, while checking
        stored = session.to_doc()
        assert stored == before
        stored["answers"].clear()
        stored["result"]["items"].clear()
        assert raw == before  # what is stored is a copy of its own


def test_check_document_copies_unless_told_not_to(rubrics: dict[str, Rubric]) -> None:
    raw = sample(rubrics, at="2026-10-01T10:00:00+08:00", unit="第一組").to_doc()
    assert check_document(raw, rubrics).answers is not raw["answers"]
    assert check_document(raw, rubrics).result is not raw["result"]
    assert check_document(raw, rubrics, copy=False).result is raw["result"]
