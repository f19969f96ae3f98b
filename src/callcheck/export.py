"""Export sessions to JSON or CSV, and import (merge) JSON exports from other machines.

The JSON export carries full sessions and a format version; it is described by
`schemas/export-v1.schema.json` (kept in the repository, shipped in the
package) and every import is validated against it before anything is written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import itertools
import json
import math
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .archive import paused_gc
from .dates import TZ, iso, now, parse_datetime, roc_date
from .errors import CallcheckError, InputError
from .i18n import Lang
from .observations import Context, PhaseObs, unfit_json
from .rubric import Rubric
from .scoring import ring_count
from .session import Session, call_phases, check_document
from .store import Store
from .text import csv_cell, json_bytes
from .timing import Mark, fmt_tenths, replay

if TYPE_CHECKING:
    from .archive import Row

FORMAT = "callcheck-export"
FORMAT_VERSION = 1
VOLATILE = ("rev", "updated_at")
"""Fields that differ between copies of the same session without changing its content."""


class ImportRefused(CallcheckError):
    """An import file that cannot be merged; nothing was written."""


def export_schema() -> dict[str, Any]:
    text = resources.files("callcheck").joinpath("schemas/export-v1.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True)
class Selection:
    """Which sessions to export (every field optional)."""

    rubric: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    unit: str | None = None
    status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, dt.date) else v)
                for k, v in self.__dict__.items() if v is not None}

    def matches(self, doc: dict[str, Any]) -> bool:
        if self.rubric and doc.get("rubric") != self.rubric:
            return False
        if self.status and doc.get("status") != self.status:
            return False
        if self.unit and (doc.get("header", {}).get("unit") or "").strip().casefold() \
                != self.unit.strip().casefold():
            return False
        if self.since or self.until:
            day = session_date(doc)
            if self.since and day < self.since:
                return False
            if self.until and day > self.until:
                return False
        return True

    def keeps(self, row: Row) -> bool:
        """`matches` for a row of the store's index (no document is read)."""
        if self.rubric and row.rubric != self.rubric:
            return False
        if self.status and row.status != self.status:
            return False
        if self.unit and row.unit.strip().casefold() != self.unit.strip().casefold():
            return False
        if self.since or self.until:
            day = local_day(row.at)
            if day is None:
                return False
            if self.since and day < self.since:
                return False
            if self.until and day > self.until:
                return False
        return True


def local_day(at: str) -> dt.date | None:
    """The Asia/Taipei date of an ISO time (quickly when it already is +08:00)."""
    if len(at) >= 25 and at[10] == "T" and at.endswith("+08:00"):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(at[:10])
    try:
        return parse_datetime(at).in_timezone(TZ).date()
    except ValueError:
        return None


def select_rows(rows: Iterable[Row], selection: Selection) -> list[Row]:
    """The index rows a selection keeps, by test time (the order of every export)."""
    by_time = operator.attrgetter("at", "id")
    if selection == Selection():
        return sorted(rows, key=by_time)
    return sorted((r for r in rows if selection.keeps(r)), key=by_time)


def session_date(doc: dict[str, Any]) -> dt.date:
    """The local (Asia/Taipei) date of a session's test time."""
    at = doc.get("header", {}).get("at") or doc.get("created_at")
    return parse_datetime(str(at)).in_timezone(TZ).date()


def select(docs: Iterable[dict[str, Any]], selection: Selection) -> list[dict[str, Any]]:
    chosen = [d for d in docs if selection.matches(d)]
    return sorted(chosen, key=lambda d: (d.get("header", {}).get("at") or d.get("created_at", ""),
                                         d["id"]))


def _export_head(selection: Selection | None) -> str:
    head = {"format": FORMAT, "format_version": FORMAT_VERSION, "exported_at": iso(now()),
            "generator": f"callcheck {__version__}"}
    if selection is not None and selection.as_dict():
        head["filter"] = selection.as_dict()
    return json.dumps(head, ensure_ascii=False, indent=1)[:-2]


def stream_json(out: IO[bytes], bodies: Iterable[bytes], selection: Selection | None = None,
                total: int = 0, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the JSON export of sessions given as JSON bytes, one a line, as they come.

    Constant memory: each session is written as it is read. Returns how many.
    """
    out.write(_export_head(selection).encode("utf-8") + b',\n "sessions": [')
    n = 0
    chunk: list[bytes] = []

    def flush() -> None:
        # DEL and C1 controls escaped (nothing a terminal obeys), a few hundred sessions at
        # a time: each body is whole JSON, so no escape can straddle two of them.
        out.write((b"\n" if n <= len(chunk) else b",\n") + json_bytes(b",\n".join(chunk)))
        chunk.clear()

    for n, raw in enumerate(bodies, 1):
        chunk.append(raw)
        if len(chunk) == STREAM_CHUNK:
            flush()
        if progress is not None and (n % 500 == 0 or n == total):
            progress(n, total)
    if chunk:
        flush()
    out.write(b"\n]\n}\n" if n else b"]\n}\n")
    return n


STREAM_CHUNK = 250
"""Sessions an export writes at a time."""


def export_json(docs: Sequence[dict[str, Any]], selection: Selection | None = None,
                progress: Callable[[int, int], None] | None = None) -> str:
    """The JSON export of session documents, one session a line, Chinese unescaped."""
    buf = io.BytesIO()
    stream_json(buf, (json.dumps(d, ensure_ascii=False).encode("utf-8") for d in docs),
                selection, len(docs), progress)
    return buf.getvalue().decode("utf-8")


CSV_FIXED = ["id", "form", "rubric_version", "status", "agency", "unit", "number", "tester",
             "at", "date_roc", "points", "max", "score", "due_at", "revisions", "digest"]


def _targets(rubric: Rubric) -> list[str]:
    """The ids a note or a not-applicable reason may name, in the form's order: each part
    (group) just before its first item, then the item."""
    out: list[str] = []
    for item in rubric.items:
        for group in rubric.groups:
            if group.id not in out and any(i.id == item.id for i in rubric.covered(group.id)):
                out.append(group.id)
        out.append(item.id)
    return out


def scored_measures(rubric: Rubric, doc: dict[str, Any]) -> dict[str, tuple[int | None,
                                                                         int | None]]:
    """Phase → (rings, tenths of a second) of the scored (last) attempt, as scored.

    Nothing stored holds them as numbers (the result keeps only each item's worded note),
    so the last attempt's timeline is replayed, once; earlier attempts are not. The rings
    are those the score uses: a count the tester corrected, or the count the seconds imply
    where fewer were marked (SCORING.md "Rings and seconds agree"). A phase not reached,
    still open or out of order is left out; so is any phase of a timeline that does not
    replay.
    """
    attempts = doc.get("attempts") or []
    if not rubric.uses_calls or rubric.timing is None or not attempts:
        return {}
    last = attempts[-1]
    try:
        context = Context(**(doc.get("context") or {}))
        state = replay([Mark.from_dict(m) for m in last.get("marks", [])],
                       call_phases(rubric, context))
        corrected = {str(k): int(v) for k, v in (last.get("rings") or {}).items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
    out: dict[str, tuple[int | None, int | None]] = {}
    for ph in state.phases:
        rings, tenths = ph.measured()
        if ph.outcome is None or (rings is None and tenths is None):
            continue
        fixed = ph.phase in corrected and rings is not None
        obs = PhaseObs(ph.outcome, corrected[ph.phase] if fixed else (rings or None), tenths,
                       cadence_tenths=ph.cadence_tenths, rings_corrected=fixed)
        out[ph.phase] = (ring_count(rubric, obs).used, tenths)
    return out


def stream_csv(out: IO[str], docs: Iterable[dict[str, Any]], rubrics: dict[str, Rubric],
               forms: Iterable[str], total: int = 0,
               progress: Callable[[int, int], None] | None = None, bom: bool = True) -> int:
    """Write the CSV export as the documents come; `forms` are the rubrics among them.

    The columns: `CSV_FIXED`, each item's points (`1.2`; `telephone 1.2` when several
    forms are exported), then the rings and seconds of each phase of the scored attempt
    (`ivr rings`, `ivr seconds`, …), then the tester's note on each part and item
    (`note 1.2`) and the reason each is not applicable (`na 1.3`). Every text cell is
    neutralised (`csv_cell`).
    """
    present = set(forms)
    used = [r for r in rubrics.values() if r.id in present]
    prefix = len(used) > 1
    item_cols = [(r.id, i.id, f"{r.id} {i.id}" if prefix else i.id)
                 for r in used for i in r.items]
    phase_ids = list(dict.fromkeys(ph.id for r in used if r.uses_calls for ph in r.phases))
    text_cols = [(r.id, t, f"{r.id} {t}" if prefix else t) for r in used for t in _targets(r)]
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIXED + [c[2] for c in item_cols]
                    + [f"{p} {m}" for p in phase_ids for m in ("rings", "seconds")]
                    + [f"note {c[2]}" for c in text_cols] + [f"na {c[2]}" for c in text_cols])
    n = 0
    for n, doc in enumerate(docs, 1):
        header = doc.get("header", {})
        result = doc.get("result") or {}
        tot = result.get("total") or {}
        at = header.get("at") or doc.get("created_at", "")
        day = local_day(at) if at else None  # the Asia/Taipei date, quickly
        roc = roc_date(day) if day is not None else ""
        row = [doc["id"], doc.get("rubric", ""), doc.get("rubric_version", ""),
               doc.get("status", ""), header.get("agency", ""), header.get("unit", ""),
               header.get("number", ""), header.get("tester", ""), at, roc,
               tot.get("points", ""), tot.get("max", ""),
               "" if tot.get("score") is None else tot.get("score"),
               doc.get("due_at") or "", len(doc.get("revisions", [])), doc.get("digest") or ""]
        items = result.get("items", {})
        for rid, item_id, _ in item_cols:
            cell: Any = ""
            if doc.get("rubric") == rid and item_id in items:
                pts = items[item_id].get("points")
                cell = "" if pts is None else pts
            row.append(cell)
        rubric = rubrics.get(str(doc.get("rubric")))
        measures = scored_measures(rubric, doc) if rubric is not None and phase_ids else {}
        for pid in phase_ids:
            rings, tenths = measures.get(pid, (None, None))
            row += ["" if rings is None else rings,
                    "" if tenths is None else fmt_tenths(tenths)]
        for section in ("notes", "na"):
            texts = doc.get(section) or {}
            row += [texts.get(target, "") if texts and doc.get("rubric") == rid else ""
                    for rid, target, _ in text_cols]
        writer.writerow([csv_cell(c) if c != "" else c for c in row])
        if progress is not None and (n % 500 == 0 or n == total):
            progress(n, total)
    return n


def export_csv(docs: Sequence[dict[str, Any]], rubrics: dict[str, Rubric],
               progress: Callable[[int, int], None] | None = None) -> str:
    """One row per session (columns as `stream_csv` says); UTF-8 with BOM for Excel."""
    buf = io.StringIO()
    stream_csv(buf, docs, rubrics, {str(d.get("rubric")) for d in docs}, len(docs), progress)
    return buf.getvalue()


def export_rows(store: Store | None, rows: Sequence[Row], out: IO[bytes], fmt: str,
                rubrics: dict[str, Rubric], selection: Selection | None = None,
                progress: Callable[[int, int], None] | None = None, bom: bool = True) -> int:
    """Export the sessions of `rows` (in that order) from the store, streaming: one
    session in memory at a time (a year file's bytes at most). Returns how many."""
    ids = [r.id for r in rows]
    if fmt == "csv":
        docs = store.iter_docs(ids) if store is not None and ids else iter(())
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
        try:
            n = stream_csv(text, docs, rubrics, {r.rubric for r in rows}, len(ids), progress,
                           bom=bom)
            text.flush()
        finally:
            text.detach()
        return n
    bodies = store.iter_raw(ids) if store is not None and ids else iter(())
    return stream_json(out, bodies, selection, len(ids), progress)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A file written in place of `path` only when complete (fsync'd, then renamed)."""
    from .store import _fsync_dir

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def write_export(path: Path, text: str) -> None:
    """Write an export file atomically (a half-written export is never left behind)."""
    from .store import atomic_write

    atomic_write(path, text.encode("utf-8"))


def default_export_name(fmt: str, when: dt.datetime | None = None) -> str:
    stamp = (when or now()).strftime("%Y%m%d-%H%M")
    return f"callcheck-export-{stamp}.{fmt}"


# --- import -----------------------------------------------------------------------------

@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    identical: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    """(session id, file) pairs whose stored copy differs: reported, not overwritten."""
    modified: list[str] = field(default_factory=list)
    """Sessions whose content did not match their digest, accepted and marked."""
    invalid: list[tuple[str, str]] = field(default_factory=list)
    """(where: file, session number and id; why) of sessions skipped with --skip-invalid."""
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    """(session id, files) of ids given twice with different content: neither imported."""
    deleted: list[str] = field(default_factory=list)
    """Sessions deleted from this database earlier: not brought back (--restore-deleted)."""

    def summary(self, lang: Lang = "en") -> str:
        """One line of counts, in `lang` (the words of `callcheck import`)."""
        from .words import tr

        counts: list[tuple[str, list[Any]]] = [("added", self.added), ("identical", self.identical),
                  ("modified", self.modified), ("conflicts", self.conflicts),
                  ("deleted", self.deleted), ("invalid", self.invalid),
                  ("duplicates", self.duplicates)]
        parts = [tr(f"import.{key}", lang, n=len(found)) for key, found in counts
                 if found or key in ("added", "identical")]
        return tr("import.sep", lang).join(parts)


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in VOLATILE}


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def load_json_file(path: Path) -> Any:
    """A JSON file's data, or ImportRefused naming the file and the problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except IsADirectoryError:
        raise ImportRefused(f"{path}: is a folder, not an export file") from None
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") \
            from None
    import msgspec  # refuses NaN, Infinity, overflowing numbers and lone surrogates

    try:
        return msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        pass  # the reader below names the problem (or reads what msgspec will not)
    unfit: list[str] = []

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            unfit.append(text)
        return value

    try:
        data = json.loads(text, parse_float=number)
    except json.JSONDecodeError as exc:
        raise ImportRefused(f"{path}: not a JSON file: line {exc.lineno} column {exc.colno}: "
                            f"{exc.msg}") from None
    except (ValueError, RecursionError) as exc:
        message = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:200]
        raise ImportRefused(f"{path}: not a usable JSON file ({message})") from None
    # Walking a big file for the place at fault costs seconds: only when the text can hold
    # a value JSON does not allow (NaN/Infinity are literals, a lone surrogate an escape).
    suspect = unfit or _SURROGATE_ESCAPE.search(text) or "NaN" in text or "Infinity" in text
    found = unfit_json(data) if suspect else None
    if found:
        raise ImportRefused(f"{path}: at {found[0]}: {found[1]}")
    return data


def _schema_problem(validator: Any, data: Any) -> str | None:
    errors = iter(validator.iter_errors(data))
    first = next(errors, None)
    if first is None:  # valid: jsonschema (~50 ms to import) is not needed
        return None
    import jsonschema

    error = jsonschema.exceptions.best_match(itertools.chain([first], errors))
    assert error is not None
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    message = error.message if len(error.message) <= 200 else error.message[:200] + "…"
    return f"at {where}: {message}"


def read_export(path: Path) -> list[Any]:
    """The session documents of an export file, its outer shape validated (format,
    version, a list of sessions); ImportRefused says why not. Each session is checked
    on its own by `check_incoming`."""
    data = load_json_file(path)
    if isinstance(data, dict) and data.get("format") == FORMAT and \
            isinstance(data.get("format_version"), int) and \
            data["format_version"] > FORMAT_VERSION:
        raise ImportRefused(f"{path}: written by a newer callcheck (format version "
                            f"{data['format_version']}; this one reads {FORMAT_VERSION})")
    problem = _schema_problem(_export_validator(), data)
    if problem:
        raise ImportRefused(f"{path}: not a callcheck export: {problem}")
    return list(data["sessions"])


class CompiledValidator:
    """The export schema's check of one session, compiled to Python (fastjsonschema): a
    valid session costs a fraction of a millisecond. An invalid one is checked again by
    jsonschema, whose `best_match` names the field (`_schema_problem`)."""

    def __init__(self, schema: dict[str, Any], detailed: bool = False) -> None:
        self.schema = schema
        self._slow: Any = None
        self.fast: Any = None
        try:
            import fastjsonschema
        except ImportError:  # pragma: no cover - a dependency; jsonschema alone still works
            return
        # Its messages are never shown (jsonschema names the field): not worked out, unless
        # `detailed` (fastjsonschema 2.22 cannot compile `const` without them).
        self.fast = fastjsonschema.compile(schema, detailed_exceptions=detailed)
        self._failed = fastjsonschema.JsonSchemaException

    @property
    def slow(self) -> Any:
        """jsonschema's validator, made (and jsonschema imported) at the first refusal."""
        if self._slow is None:
            import jsonschema

            self._slow = jsonschema.Draft202012Validator(self.schema)
        return self._slow

    def iter_errors(self, data: Any) -> Any:
        if self.fast is not None:
            try:
                self.fast(data)
                return iter(())
            except self._failed:
                pass
        return self.slow.iter_errors(data)


@functools.cache
def _session_validator() -> CompiledValidator:
    """One session's check, compiled once per process, at the first import (not at start)."""
    schema = export_schema()
    return CompiledValidator({"$ref": "#/$defs/session", "$defs": schema["$defs"]})


@functools.cache
def _export_validator() -> CompiledValidator:
    """An export file's outer shape (format, version, a list of sessions), compiled once."""
    outer = dict(export_schema())
    outer["properties"] = dict(outer["properties"], sessions={"type": "array"})
    return CompiledValidator(outer, detailed=True)


MODIFIED_BY = "callcheck import"
MODIFIED_REASON = "匯入時內容與其摘要不符（經 --accept-modified 接受）"
"""The revision that marks a session imported although its content was changed."""


def check_import_digest(doc: dict[str, Any], source: str | Path,
                        accept_modified: bool = False) -> tuple[dict[str, Any], bool]:
    """Check an incoming session's content against its digest.

    Returns (document, marked). A finished session whose content does not
    match its digest (or that carries none) is refused with ImportRefused
    naming the session and the file, unless `accept_modified`: then it comes
    back marked by a revision that keeps the claimed and the actual digest,
    and is sealed again. Drafts and pending retests carry no digest.
    """
    from .digest import check

    mismatch = check(doc)
    if mismatch is None:
        return doc, False
    if not accept_modified:
        raise ImportRefused(f"{source}: {mismatch.describe()}; nothing was imported "
                            "(--accept-modified imports it, marked as modified)")
    session = Session.from_doc(json.loads(json.dumps(doc)))
    from .session import Revision

    session.revisions.append(Revision(
        iso(now()), MODIFIED_BY, f"{MODIFIED_REASON}: {source}",
        [{"field": "digest", "old": mismatch.stored, "new": mismatch.actual}]))
    session.seal()
    return session.to_doc(), True


def check_incoming(raw: Any, rubrics: dict[str, Rubric], source: str | Path,
                   accept_modified: bool = False,
                   validator: Any = None) -> tuple[dict[str, Any], Session, bool]:
    """The one check every imported session passes, in order: the export schema's shape,
    its digest (`check_import_digest`), then its meaning (`session.check_document`:
    times, marks, rubric by id, version and SHA-256, answers, the result scored
    again — a session accepted although modified must still score as it says).

    Returns (document, the session it makes, sharing the document's answers and result,
    marked as modified); raises ImportRefused naming the field.
    """
    problem = _schema_problem(validator or _session_validator(), raw)
    if problem:
        raise ImportRefused(problem)
    try:
        doc, marked = check_import_digest(raw, source, accept_modified)
    except ImportRefused as exc:
        raise ImportRefused(str(exc).removeprefix(f"{source}: ")) from None
    except (CallcheckError, KeyError, TypeError, ValueError) as exc:
        raise ImportRefused(f"not a session document ({str(exc)[:200]})") from None
    try:
        session = check_document(doc, rubrics, copy=False)  # stored as `session.to_doc()`
    except InputError as exc:
        raise ImportRefused(str(exc)) from None
    return doc, session, marked


def import_files(store: Store, paths: Sequence[Path], accept_modified: bool = False, *,
                 rubrics: dict[str, Rubric] | None = None, skip_invalid: bool = False,
                 restore_deleted: bool = False,
                 progress: Callable[[Path, int, int], None] | None = None) -> ImportReport:
    """Merge exports into the store, idempotently by session id, in one write.

    Every file and every session in it is checked first (`check_incoming`): if
    any is invalid, nothing is written, unless `skip_invalid`, which imports the
    valid ones and lists the rest in the report. One id given twice with
    different content is invalid too (neither copy is imported). A session
    already stored with the same content is skipped; one whose stored copy
    differs is reported as a conflict and not overwritten. A session deleted
    from this database earlier is not brought back unless `restore_deleted`.
    """
    if rubrics is None:
        from .rubric import default_rubrics_dir, load_rubrics

        rubrics = load_rubrics(default_rubrics_dir())
    with paused_gc():  # thousands of documents and sessions, none of them cyclic
        return _import_files(store, paths, accept_modified, rubrics, skip_invalid,
                             restore_deleted, progress)


def _import_files(store: Store, paths: Sequence[Path], accept_modified: bool,
                  rubrics: dict[str, Rubric], skip_invalid: bool, restore_deleted: bool,
                  progress: Callable[[Path, int, int], None] | None) -> ImportReport:
    validator = _session_validator()
    incoming: dict[str, tuple[dict[str, Any], Session, Path]] = {}
    report = ImportReport()
    marked: set[str] = set()
    twice: dict[str, list[str]] = {}
    for path in paths:
        sessions = read_export(path)
        for n, raw in enumerate(sessions):
            if progress is not None and n % 1000 == 0:
                progress(path, n, len(sessions))
            sid = raw.get("id") if isinstance(raw, dict) else None
            label = f"{path}: session {n}" + (f" ({str(sid)[:40]})" if sid else "")
            try:
                doc, session, was_marked = check_incoming(raw, rubrics, path, accept_modified,
                                                          validator)
            except ImportRefused as exc:
                report.invalid.append((label, str(exc)))
                continue
            if was_marked:
                marked.add(doc["id"])
            seen = incoming.get(doc["id"])
            if seen is not None:
                if comparable(seen[0]) != comparable(doc):
                    twice.setdefault(doc["id"], [str(seen[2])]).append(str(path))
                continue
            incoming[doc["id"]] = (doc, session, path)
    for sid, files in twice.items():
        incoming.pop(sid, None)
        report.duplicates.append((sid, ", ".join(dict.fromkeys(files))))
    if (report.invalid or report.duplicates) and not skip_invalid:
        raise ImportRefused(refusal(report))
    tombstones = store.deleted_ids()
    new: list[Session] = []
    for sid, (_, session, path) in incoming.items():
        if sid in store:
            stored = store.get(sid).to_doc()
            if comparable(stored) == comparable(session.to_doc()):
                report.identical.append(sid)
            else:
                report.conflicts.append((sid, str(path)))
            continue
        if sid in tombstones and not restore_deleted:
            report.deleted.append(sid)
            continue
        new.append(session)
    store.insert_many(new)
    report.added = [s.id for s in new]
    report.modified = [s.id for s in new if s.id in marked]
    return report


def refusal(report: ImportReport, shown: int = 10) -> str:
    """Why an import wrote nothing: the invalid sessions (the first `shown`) and duplicates."""
    lines = [f"{where}: {why}" for where, why in report.invalid]
    lines += [f"session {sid} is given twice with different content ({files})"
              for sid, files in report.duplicates]
    more = f"\n  … and {len(lines) - shown} more" if len(lines) > shown else ""
    return (f"{len(lines)} invalid session(s); nothing was imported (--skip-invalid imports "
            "the valid ones):\n  " + "\n  ".join(lines[:shown]) + more)
