"""Every rubric label is the seed appendix's own wording, so a transcription slip fails."""

from __future__ import annotations

import re

import pytest

from callcheck.rubric import Rubric

from .conftest import SEED

pytestmark = pytest.mark.skipif(
    not SEED.is_file(),
    reason=f"the source document is not at {SEED} (it sits in ../shared/seeds beside the "
           "checkout); wording cannot be compared",
)


def squash(text: str) -> str:
    """The text without white space and line breaks, as the form wraps them."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def appendix() -> dict[str, str]:
    text = SEED.read_text(encoding="utf-8")
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


@pytest.mark.parametrize("rubric_id", ["telephone", "registration", "petition"])
def test_points_match_the_appendix(rubrics: dict[str, Rubric], appendix: dict[str, str],
                                   rubric_id: str) -> None:
    form = appendix[rubric_id]
    rubric = rubrics[rubric_id]
    for g in rubric.groups:
        stated = re.findall(rf"{re.escape(squash(g.label.zh))}(?:（[^）]*）)?[：:]?(\d+)分", form)
        per_item = re.findall(r"本項配分(\d+)分", form)
        assert str(g.points) in stated or str(g.points) in per_item, g.id
