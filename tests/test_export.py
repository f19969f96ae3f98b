"""Export to JSON/CSV and import from other machines: round trips, conflicts, refusals."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from callcheck.export import (
    ImportRefused,
    Selection,
    export_csv,
    export_json,
    export_schema,
    import_files,
    select,
)
from callcheck.observations import parse_observations
from callcheck.rubric import Rubric
from callcheck.scoring import score
from callcheck.session import Session, revise, session_from_observations
from callcheck.store import Store

from .conftest import perfect_call


def sample(rubrics: dict[str, Rubric], *, at: str, unit: str, points23: int = 20) -> Session:
    data = perfect_call()
    data["meta"]["at"] = at
    data["meta"]["unit"] = unit
    data["answers"]["2.3"] = {"branch": "甲", "points": points23}
    obs = parse_observations(data)
    return session_from_observations(rubrics["telephone"], obs, score(rubrics["telephone"], obs))


def registration(rubrics: dict[str, Rubric]) -> Session:
    data = {"rubric": "registration", "meta": {"agency": "基隆市選舉委員會", "unit": "第四組",
                                               "at": "2026-10-02T09:00:00+08:00"},
            "answers": {i.id: True for i in rubrics["registration"].items}}
    obs = parse_observations(data)
    return session_from_observations(rubrics["registration"], obs,
                                     score(rubrics["registration"], obs))


@pytest.fixture
def filled(tmp_path: Path, rubrics: dict[str, Rubric]) -> Path:
    db = tmp_path / "a.json"
    with Store(db) as store:
        store.save(sample(rubrics, at="2026-10-01T10:00:00+08:00", unit="第一組"))
        store.save(sample(rubrics, at="2026-11-20T10:00:00+08:00", unit="第一組", points23=12))
        store.save(sample(rubrics, at="2026-11-21T10:00:00+08:00", unit="行政室"))
        store.save(registration(rubrics))
    return db


def docs_of(db: Path) -> list[dict]:
    with Store(db, readonly=True) as store:
        return select(store.docs(), Selection())


def test_json_export_matches_the_schema_kept_in_the_repo(filled: Path) -> None:
    data = json.loads(export_json(docs_of(filled)))
    jsonschema.validate(data, export_schema())
    assert data["format"] == "callcheck-export" and data["format_version"] == 1
    assert len(data["sessions"]) == 4
    assert data["sessions"][0]["attempts"][0]["marks"]  # timelines are in it


def test_round_trip_through_an_empty_store_gives_the_same_sessions(filled: Path,
                                                                   tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(export_json(docs_of(filled)), encoding="utf-8")
    empty = tmp_path / "b.json"
    with Store(empty) as store:
        report = import_files(store, [first])
    assert len(report.added) == 4
    again = json.loads(export_json(docs_of(empty)))["sessions"]
    assert again == json.loads(first.read_text(encoding="utf-8"))["sessions"]


def test_importing_the_same_file_twice_adds_nothing(filled: Path, tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text(export_json(docs_of(filled)), encoding="utf-8")
    with Store(tmp_path / "b.json") as store:
        import_files(store, [f])
        report = import_files(store, [f])
        assert (len(report.added), len(report.identical)) == (0, 4)
        assert store.count() == 4


def test_conflicting_copy_is_reported_and_not_overwritten(filled: Path, tmp_path: Path,
                                                          rubrics: dict[str, Rubric]) -> None:
    data = json.loads(export_json(docs_of(filled)))
    theirs = Session.from_doc(data["sessions"][0])  # corrected on another machine
    data["sessions"][0] = revise(rubrics[theirs.rubric], theirs, {"header.tester": "別人"},
                                 "依排班表更正", "別人").to_doc()
    f = tmp_path / "other.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Store(filled) as store:
        before = store.get(data["sessions"][0]["id"]).header["tester"]
        report = import_files(store, [f])
        assert [c[0] for c in report.conflicts] == [data["sessions"][0]["id"]]
        assert store.get(data["sessions"][0]["id"]).header["tester"] == before


@pytest.mark.parametrize("breakage", [
    lambda d: d.update(format="something-else"),
    lambda d: d["sessions"][1].update(status="done"),
    lambda d: d["sessions"][2]["attempts"][0]["marks"][0].update(kind="sneeze"),
    lambda d: d["sessions"][0].pop("id"),
])
def test_malformed_import_changes_nothing(filled: Path, tmp_path: Path, breakage) -> None:
    good = tmp_path / "good.json"
    good.write_text(export_json(docs_of(filled)), encoding="utf-8")
    data = json.loads(good.read_text(encoding="utf-8"))
    breakage(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "target.json"
    with Store(target) as store:
        with pytest.raises(ImportRefused) as info:
            import_files(store, [good, bad])
        assert "bad.json" in str(info.value)
        assert store.count() == 0


def test_not_json_is_refused_with_the_reason(tmp_path: Path) -> None:
    f = tmp_path / "x.json"
    f.write_text("{nope", encoding="utf-8")
    with Store(tmp_path / "db.json") as store, pytest.raises(ImportRefused, match="not a JSON"):
        import_files(store, [f])


def test_csv_has_a_row_per_session_and_a_column_per_item(filled: Path,
                                                          rubrics: dict[str, Rubric]) -> None:
    docs = select(docs_of(filled), Selection(rubric="telephone"))
    text = export_csv(docs, rubrics)
    assert text.startswith("\ufeff")  # Excel reads the Chinese as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 3
    assert rows[0]["agency"] == "基隆市選舉委員會"
    assert rows[0]["date_roc"] == "民國 115 年 10 月 1 日"
    assert {r["2.3"] for r in rows} == {"20", "12"}
    assert [c for c in rows[0] if c.startswith("1.3.")] == [f"1.3.{n}" for n in range(1, 9)]


def test_csv_of_mixed_forms_prefixes_item_columns(filled: Path, rubrics: dict[str, Rubric]) -> None:
    header = export_csv(docs_of(filled), rubrics).lstrip("\ufeff").splitlines()[0]
    assert "telephone 1.2" in header and "registration 3.4" in header


def test_selection_by_form_dates_and_unit(filled: Path) -> None:
    import datetime as dt

    docs = docs_of(filled)
    assert len(select(docs, Selection(rubric="registration"))) == 1
    nov = Selection(since=dt.date(2026, 11, 1), until=dt.date(2026, 11, 30))
    assert len(select(docs, nov)) == 2
    assert len(select(docs, Selection(unit="第一組"))) == 2


def retested_with_notes(rubrics: dict[str, Rubric]) -> Session:
    """A finished call whose operator went unanswered first and was dialled again 15 minutes
    later (the retest is scored), with notes on an item and a part and an NA part."""
    from callcheck.session import finish, reconstruct_attempts

    telephone = rubrics["telephone"]
    first = perfect_call()
    first["phases"]["operator"] = {"outcome": "unanswered", "rings": 9, "seconds": 26.0,
                                   "attempts": ["2026-11-26T09:45:00+08:00"]}
    del first["phases"]["unit"]
    unanswered = reconstruct_attempts(telephone, parse_observations(first),
                                      "2026-11-26T09:45:00+08:00")
    session = sample(rubrics, at="2026-11-26T10:00:00+08:00", unit="第二組")
    session.attempts = [*unanswered, *session.attempts]
    session.notes = {"1.2": "總機說明\n分機忙線", "1.3": "=HYPERLINK(\"http://x\")"}
    session.na = {"2.2": "本次未詢問承辦事項"}
    session.answers = {k: v for k, v in session.answers.items() if not k.startswith("2.2.")}
    return finish(telephone, session)


def test_csv_carries_notes_na_reasons_and_the_scored_attempts_rings_and_seconds(
        rubrics: dict[str, Rubric]) -> None:
    session = retested_with_notes(rubrics)
    assert len(session.attempts) == 2
    text = export_csv([session.to_doc()], rubrics).lstrip("\ufeff")
    header = next(csv.reader(io.StringIO(text)))
    fixed_and_items = header[:16 + len(rubrics["telephone"].items)]
    assert fixed_and_items[:3] == ["id", "form", "rubric_version"]
    assert fixed_and_items[16:] == [i.id for i in rubrics["telephone"].items]
    assert header[len(fixed_and_items):len(fixed_and_items) + 6] == [
        "ivr rings", "ivr seconds", "operator rings", "operator seconds", "unit rings",
        "unit seconds"]
    row = next(csv.DictReader(io.StringIO(text)))
    # the retest (second attempt) is what counts, not the unanswered first dialling
    assert (row["ivr rings"], row["ivr seconds"]) == ("2", "4.1")
    assert (row["operator rings"], row["operator seconds"]) == ("3", "7.0")
    assert (row["unit rings"], row["unit seconds"]) == ("1", "1.5")
    assert row["note 1.2"] == "總機說明\n分機忙線"
    assert row["note 1.3"] == "'=HYPERLINK(\"http://x\")"  # still no formula
    assert row["note 1.1.1"] == ""
    assert row["na 2.2"] == "本次未詢問承辦事項"
    assert row["na 2.2.1"] == "" and row["2.2.1"] == ""


def test_csv_leaves_the_phases_a_call_never_reached_empty(rubrics: dict[str, Rubric]) -> None:
    data = perfect_call()
    data["context"] = {"route": "direct", "has_ivr": False, "has_operator": False}
    del data["phases"]["ivr"], data["phases"]["operator"]
    data["answers"] = {k: v for k, v in data["answers"].items() if not k.startswith("1.")}
    obs = parse_observations(data)
    session = session_from_observations(rubrics["telephone"], obs,
                                        score(rubrics["telephone"], obs))
    row = next(csv.DictReader(io.StringIO(export_csv([session.to_doc()], rubrics)
                                          .lstrip("\ufeff"))))
    assert [row[f"{p} {m}"] for p in ("ivr", "operator") for m in ("rings", "seconds")] == \
        ["", "", "", ""]
    assert (row["unit rings"], row["unit seconds"]) == ("1", "1.5")
