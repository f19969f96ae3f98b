"""Every rubric label and every item's points are the appendix's own, so a transcription slip fails.

The appendix (附表) of the source document is kept in `docs/appendix.txt`.
"""

from __future__ import annotations

import re

import pytest

from callcheck.rubric import Rubric

from .conftest import APPENDIX


def squash(text: str) -> str:
    """The text without white space and line breaks, as the form wraps them."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def appendix() -> dict[str, str]:
    text = APPENDIX.read_text(encoding="utf-8")
    start = text.index("附表")
    body = text[start:]
    parts = {
        "registration": body[body.index("一、提供候選人登記服務"):body.index("二、人民陳情之處理")],
        "petition": body[body.index("二、人民陳情之處理"):body.index("三、電話禮貌")],
        "telephone": body[body.index("三、電話禮貌"):],
    }
    return {k: squash(v) for k, v in parts.items()}


def labels(rubric: Rubric) -> list[tuple[str, str]]:
    out = [(f"group {g.id}", g.label.zh) for g in rubric.groups]
    for g in rubric.groups:
        if g.note:
            out.append((f"group {g.id} note", g.note.zh))
    out += [(f"header {h.key}", h.label.zh) for h in rubric.header if h.on_form]
    for i in rubric.items:
        out.append((f"item {i.id}", i.label.zh))
        if i.note and i.kind != "yesno":
            out.append((f"item {i.id} note", i.note.zh))
        out += [(f"item {i.id} option {n}", o.label.zh) for n, o in enumerate(i.options, 1)]
        out += [(f"item {i.id} band {n}", b.label.zh) for n, b in enumerate(i.bands, 1)]
        out += [(f"item {i.id} band {n}", b.label.zh) for n, b in enumerate(i.speed_bands, 1)]
        out += [(f"item {i.id} outcome {o.outcome}", o.label.zh) for o in i.outcomes]
        for b in i.branches:
            out.append((f"item {i.id} branch {b.id}", b.label.zh))
            out += [(f"item {i.id} branch {b.id} band {n}", x.label.zh)
                    for n, x in enumerate(b.bands, 1)]
    return out


@pytest.mark.parametrize("rubric_id", ["telephone", "registration", "petition"])
def test_every_label_is_copied_from_the_appendix(rubrics: dict[str, Rubric],
                                                 appendix: dict[str, str],
                                                 rubric_id: str) -> None:
    form = appendix[rubric_id]
    missing = [(where, text) for where, text in labels(rubrics[rubric_id])
               if squash(text) not in form]
    assert not missing, f"not in the seed's appendix: {missing}"


def test_a_slip_of_one_character_is_caught(appendix: dict[str, str]) -> None:
    assert squash("接話時，首先清晰報明單位。") in appendix["telephone"]
    assert squash("接話時，首先清楚報明單位。") not in appendix["telephone"]


POINTS_AFTER_LABEL = re.compile(r"^(?:（[^）]*）|[^0-9（(□配])*?([0-9]+)(?![.0-9])")
"""The points printed right after an item's label (telephone: `…報明單位。3`), past any
（note） and words; not the next item's number (`2.□是□否`) nor a 配分 statement."""
POINTS_STATED = re.compile(r"(?:本項配分[0-9]+分，)?每項配分([0-9]+)分|本項配分([0-9]+)分")
"""Or the first points statement after it (registration: `本項配分60分，每項配分10分`)."""


def points_in_form(form: str, label: str) -> int:
    """The points the appendix gives the item whose label is `label`."""
    at = form.index(squash(label)) + len(squash(label))
    after = form[at:]
    found = POINTS_AFTER_LABEL.match(after)
    if found:
        return int(found.group(1))
    stated = POINTS_STATED.search(after)
    assert stated, f"no points after {label!r}"
    return int(stated.group(1) or stated.group(2))


def test_points_are_read_from_each_layout_of_the_form() -> None:
    """The reader itself: points after the label, after a note, or stated per item."""
    assert points_in_form(squash("１接話時，首先清晰報明單位。 3   ２說"), "接話時，首先清晰報明單位。") == 3
    assert points_in_form(squash("７忙線：（本項給分） 2 （１）"), "忙線：") == 2
    assert points_in_form(squash("1.□是□否 甲。2.□是□否 乙。本項配分 60 分，每項配分 10 分。"),
                          "甲。") == 10
    assert points_in_form(squash("（三）速度：1.□ 一至三天。（11-15 分）本項配分15分"),
                          "速度：") == 15


@pytest.mark.parametrize("rubric_id", ["telephone", "registration", "petition"])
def test_points_match_the_appendix(rubrics: dict[str, Rubric], appendix: dict[str, str],
                                   rubric_id: str) -> None:
    """Every item's points, and every group's, are the ones the appendix prints."""
    form = appendix[rubric_id]
    rubric = rubrics[rubric_id]
    items = {i.id: (i.points, points_in_form(form, i.label.zh)) for i in rubric.items}
    assert len(items) == {"telephone": 17, "registration": 12, "petition": 4}[rubric_id]
    assert {k: v for k, v in items.items() if v[0] != v[1]} == {}
    for g in rubric.groups:
        stated = re.findall(rf"{re.escape(squash(g.label.zh))}(?:（[^）]*）)?[：:]?(\d+)分", form)
        per_item = re.findall(r"本項配分(\d+)分", form)
        assert str(g.points) in stated or str(g.points) in per_item, g.id
