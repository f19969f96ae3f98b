"""Rubric files load, add up, and refuse typos with the file, item and field named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from callcheck.errors import RubricError
from callcheck.rubric import Rubric, load_rubric, load_rubrics

from .conftest import RUBRICS


def test_three_forms_of_100_points(rubrics: dict[str, Rubric]) -> None:
    assert list(rubrics) == ["telephone", "registration", "petition"]
    assert {r.max for r in rubrics.values()} == {100}
    for r in rubrics.values():
        assert sum(i.points for i in r.items) == 100
        assert r.version and r.source.startswith("基隆市選舉委員會")
        assert len(r.sha256) == 64


def test_telephone_ids_follow_the_forms_numbering(telephone: Rubric) -> None:
    assert [i.id for i in telephone.items] == [
        "1.1.1", "1.1.2", "1.2", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.3.6",
        "1.3.7", "1.3.8", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "2.2.3", "2.3"]
    kinds = {i.id: i.kind for i in telephone.items}
    assert kinds["1.1.1"] == kinds["1.2"] == kinds["2.1.1"] == "timed"
    assert kinds["2.1.2"] == "derived" and kinds["2.3"] == "branch" and kinds["2.2.3"] == "band"


def test_the_numbers_the_rules_use_live_in_the_rubric(telephone: Rubric) -> None:
    t = telephone.timing
    assert (t.full_marks_rings, t.full_marks_tenths, t.deduction_tenths) == (4, 100, 30)
    assert (t.unanswered_rings, t.unanswered_tenths, t.retest_after_minutes) == (9, 200, 10)
    assert t.deduction_policy == "lesser"
    assert telephone.item("1.1.1").speed_bands[1].tenths == 150


def test_header_fields_of_each_form(rubrics: dict[str, Rubric]) -> None:
    tel = [h.label.zh for h in rubrics["telephone"].header if h.on_form]
    assert tel == ["受測機關或單位", "總機/電話", "測試時間", "測試人員"]
    for rid in ("registration", "petition"):
        assert [h.label.zh for h in rubrics[rid].header if h.on_form] == [
            "受評核機關或單位名稱", "評核日期", "評核人員"]


def broken(tmp_path: Path, old: str, new: str, name: str = "telephone.toml") -> Path:
    text = (RUBRICS / name).read_text(encoding="utf-8")
    assert old in text, old
    out = tmp_path / name
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


def refused(path: Path) -> RubricError:
    with pytest.raises(RubricError) as info:
        load_rubric(path)
    assert str(path) in str(info.value)
    return info.value


def test_unknown_kind_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'kind = "yesno"\nphase = "operator"',
                       'kind = "yesnoo"\nphase = "operator"'))
    assert (e.where, e.field) == ("item 1.3.1", "kind")
    assert "yesnoo" in e.message


def test_items_not_adding_up_to_the_group_are_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'id = "1.3.4"\nlabel = "結束時有道再見或其他禮貌性結束語。"\n'
                       'label_en = "Ends with goodbye or another courteous closing."\npoints = 2',
                       'id = "1.3.4"\nlabel = "結束時有道再見或其他禮貌性結束語。"\n'
                       'label_en = "Ends with goodbye or another courteous closing."\npoints = 3'))
    assert (e.where, e.field) == ("group 1.3", "points")
    assert "21" in e.message and "20" in e.message


def test_total_not_matching_the_stated_maximum_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, "max = 100", "max = 90", "registration.toml"))
    assert e.field == "max"


def test_overlapping_bands_are_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, "min = 5\n  max = 7", "min = 5\n  max = 8"))
    assert e.where.startswith("item 2.2.3")
    assert "overlaps" in e.message


def test_duplicate_id_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'id = "3.4"', 'id = "3.3"', "registration.toml"))
    assert e.field == "id"
    assert "duplicate" in e.message


def test_misspelt_field_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'id = "4"\nlabel =', 'id = "4"\nlable =', "petition.toml"))
    assert (e.where, e.field) == ("item 4", "lable")


def test_choice_best_option_must_match_points(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, "label_en = \"Modest, warm tone.\"\n  points = 2",
                       "label_en = \"Modest, warm tone.\"\n  points = 1"))
    assert e.where == "item 1.3.8" and e.field == "options"


def test_rule_naming_an_unknown_item_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'targets = ["1.2"]', 'targets = ["1.9"]'))
    assert e.where.startswith("rule") and e.field == "targets"


def test_timed_item_with_unknown_phase_is_refused(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'phase = "ivr"\nscale', 'phase = "voice"\nscale'))
    assert (e.where, e.field) == ("item 1.1.1", "phase")


def test_not_toml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("id = [", encoding="utf-8")
    assert "not valid TOML" in refused(bad).message


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_bytes((RUBRICS / "petition.toml").read_bytes())
    with pytest.raises(RubricError, match="also used by"):
        load_rubrics(tmp_path)


def test_every_error_message_names_the_file(tmp_path: Path) -> None:
    e = refused(broken(tmp_path, 'kind = "band"\nmeasure', 'kind = "band"\nmeasure = "weeks"\nx',
                       "petition.toml"))
    assert re.match(rf"^{re.escape(str(tmp_path))}.*petition\.toml: item 3", str(e))


def test_the_forms_order_is_read_from_the_folders_order_file(tmp_path: Path) -> None:
    """No code names the forms' order: rubrics/order.txt does, and a folder may change it."""
    for f in RUBRICS.glob("*.toml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    assert list(load_rubrics(RUBRICS)) == ["telephone", "registration", "petition"]
    assert list(load_rubrics(tmp_path)) == ["petition", "registration", "telephone"]  # by id
    (tmp_path / "order.txt").write_text("# ours\nregistration\n\npetition  # then\n",
                                        encoding="utf-8")
    assert list(load_rubrics(tmp_path)) == ["registration", "petition", "telephone"]


@pytest.mark.parametrize(("text", "message"), [
    ("telephone\nphone\n", "line 2: no rubric file has the id 'phone'"),
    ("petition\npetition\n", "line 2: 'petition' is named twice"),
])
def test_an_order_file_naming_a_missing_or_repeated_id_is_refused(
        tmp_path: Path, text: str, message: str) -> None:
    for f in RUBRICS.glob("*.toml"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "order.txt").write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=re.escape(f"order.txt: {message}")):
        load_rubrics(tmp_path)
