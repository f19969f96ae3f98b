"""The sessions of a store, partitioned by year, with a compact row index.

The store (`store.py`) keeps its settings in the main TinyDB file and its
sessions here, in a folder beside it (`callcheck.json.parts/`):

- `2026.json`, … : one file per year of the sessions' test time (Asia/Taipei),
  in TinyDB's layout (`{"_meta": …, "sessions": {"1": {…}, …}}`), one session
  a line, ordered by test time. A save never rewrites it: only a compaction
  does, and only for the years that changed, keeping `2026.json.bak1`…`bak3`.
- `2026.rows`: the year's row index, one short array per session (what
  History, home, `list` and `pending` show, and the byte offset of the
  session's line in `2026.json`). Opening the store reads these, never the
  documents; a full document is read (one line, by its offset) when opened.
- `journal`: every save, delete and import since the last compaction, one
  numbered JSON line each, appended and fsync'd (a save costs one append,
  whatever the archive's size). Each year file records the number of the last
  journal line folded into it, so replaying the journal over any mix of old
  and new year files gives the same result, and the journal is emptied only
  after every changed year is written. A reader reads the journal before the
  year files, so it never misses a save that returned before it started, even
  while a compaction runs.

`Archive` is the whole interface the store needs from where the sessions
live (`rows`, `get`, `put`, `delete`, `iter_raw`, `compact`, `close`): a server
database could stand behind the same methods.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .errors import CallcheckError

PARTS_SUFFIX = ".parts"
DAMAGED_FILE = "damaged.json"
"""Stored documents that cannot be shown, set aside by a conversion (TinyDB layout)."""
UNDATED = "undated"
FOLD_THREADS = 2
"""Years folded at once: a year's write and fsync run outside the GIL, so the next year's
bytes are put together meanwhile (each thread holds one year's old and new bytes)."""
"""The partition of sessions whose test time does not parse."""


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The garbage collector off while many small, acyclic records are built (a row index,
    an import, an export): otherwise it walks them again and again as they grow."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Row(NamedTuple):
    """One session in the row index: what lists and tables show (read-only)."""

    id: str
    rubric: str
    status: str
    at: str
    """Test time as stored (ISO 8601), or the creation time without one."""
    agency: str
    unit: str
    tester: str
    number: str
    score: float | None
    points: int | None
    max: int | None
    due_at: str | None
    revisions: int
    rev: int
    updated_at: str
    search: str
    """Lowercase text the free-text filter searches (header, notes, reasons, id)."""


_SEARCHED_HEADER = ("agency", "unit", "tester", "number", "question")


def index_row(doc: dict[str, Any]) -> Row:
    """The row of one session document."""
    header = doc.get("header") or {}
    total = (doc.get("result") or {}).get("total") or {}
    texts = [str(header.get(k) or "") for k in _SEARCHED_HEADER]
    for key in ("notes", "na"):
        values = doc.get(key)
        if isinstance(values, dict):
            texts.extend(str(v) for v in values.values())
    sid = str(doc.get("id") or "")
    texts.append(sid)
    return Row(sid, str(doc.get("rubric") or ""), str(doc.get("status") or ""),
               str(header.get("at") or doc.get("created_at") or ""),
               str(header.get("agency") or ""), str(header.get("unit") or ""),
               str(header.get("tester") or ""), str(header.get("number") or ""),
               total.get("score"), total.get("points"), total.get("max"), doc.get("due_at"),
               len(doc.get("revisions") or ()), int(doc.get("rev") or 0),
               str(doc.get("updated_at") or ""), "\n".join(texts).casefold())


def part_of(doc: dict[str, Any]) -> str:
    """The partition (year of the test time in Asia/Taipei) a session document belongs to."""
    at = (doc.get("header") or {}).get("at") or doc.get("created_at") or ""
    return part_of_time(str(at))


def part_of_time(at: str) -> str:
    if len(at) >= 25 and at[10] == "T" and at.endswith("+08:00") and at[:4].isdigit():
        return at[:4]
    from .dates import TZ, parse_datetime

    try:
        return f"{parse_datetime(at).in_timezone(TZ).year:04d}"
    except (ValueError, OverflowError):
        return UNDATED


def sort_key(row: Row) -> tuple[str, str]:
    return (row.at, row.id)


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


_ROWS_SEQ = re.compile(rb'\{"seq": (\d+)')


def _lines_with(data: bytes, needle: bytes) -> Iterator[bytes]:
    """The lines of `data` that contain `needle` (a search of bytes, not a parse)."""
    pos = data.find(needle)
    while pos >= 0:
        start = data.rfind(b"\n", 0, pos) + 1
        end = data.find(b"\n", pos)
        if end < 0:
            end = len(data)
        yield data[start:end]
        pos = data.find(needle, end)


_PLAIN_ID = re.compile(r"[0-9A-Za-z_-]+", re.ASCII)


def _quoted(sid: str) -> bytes:
    """`sid` as JSON writes it (quickly for ids of letters, digits and dashes, as uuid's)."""
    if _PLAIN_ID.fullmatch(sid):
        return b'"' + sid.encode("ascii") + b'"'
    return json.dumps(sid).encode()


def _body_at(raw: bytes, off: int, sid: str) -> bytes | None:
    """The document on the line at byte `off` of a year file, if it is session `sid`'s."""
    if off < 0:
        return None
    end = raw.find(b"\n", off)
    if end < 0:
        return None
    head = raw.find(b": ", off, end)  # searched in place: a year file is 40 MB
    if head < 0 or raw.find(b'"id": ' + _quoted(sid), off, end) < 0:
        return None
    start = head + 2
    while end > start and raw[end - 1] == 0x2C:  # the line's trailing commas
        end -= 1
    return raw[start:end]


class _Part:
    """What is known of one year file: the journal line folded into it last."""

    __slots__ = ("name", "seq")

    def __init__(self, name: str, seq: int = 0) -> None:
        self.name = name
        self.seq = seq


def journal_entry_problem(entry: Any) -> str | None:
    """What is wrong with one parsed line of the sessions' journal, or None (`put` writes
    {"seq": n, "ops": [{"id": session id, "part": year or null, "doc": object or null}]})."""
    if not isinstance(entry, dict) or isinstance(entry.get("seq"), bool) or \
            not isinstance(entry.get("seq"), int) or not isinstance(entry.get("ops"), list):
        return "expected an object with a number \"seq\" and a list \"ops\""
    for k, op in enumerate(entry["ops"]):
        if not isinstance(op, dict) or not isinstance(op.get("id"), str) or \
                not (op.get("part") is None or isinstance(op["part"], str)) or \
                not (op.get("doc") is None or isinstance(op["doc"], dict)):
            return f"ops[{k}] must be {{\"id\": session id, \"part\": year or null, " \
                   "\"doc\": object or null}"
    return None


class ArchiveCorrupt(CallcheckError):
    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class FoldFailed(OSError):
    """A compaction stopped by an OSError (`cause`): the years folded before it (`folded`:
    their files hold the new sessions) and those not (`unfolded`: each file holds its old
    sessions, or its new ones if the failure came after its file was replaced). The journal
    is not emptied, so it still holds every save not folded."""

    def __init__(self, cause: OSError, folded: list[str], unfolded: list[str]) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause))
        self.cause = cause
        self.folded = folded
        self.unfolded = unfolded


def read_docs_file(path: Path) -> tuple[int, list[tuple[str, int, bytes]]]:
    """A year file's (seq, [(session id, byte offset of its line, its JSON bytes)]).

    Reads the one-session-a-line layout this module writes line by line; any
    other valid TinyDB layout (a hand-edited file) is parsed whole (offsets -1).
    Raises ArchiveCorrupt when the file does not parse.
    """
    data = path.read_bytes()
    lines = data.split(b"\n")
    out: list[tuple[str, int, bytes]] = []
    try:
        if len(lines) >= 3 and lines[0].startswith(b'{"_meta": ') and \
                lines[1] == b'"sessions": {':
            seq = int(json.loads(lines[0][len(b'{"_meta": '):].rstrip(b",").decode())
                      ["1"]["seq"])
            offset = len(lines[0]) + len(lines[1]) + 2
            for line in lines[2:]:
                if line in (b"}}", b"}", b""):
                    break
                head = line.index(b": ")
                body = line[head + 2:].rstrip(b",")
                doc = json.loads(body)
                out.append((str(doc["id"]), offset, body))
                offset += len(line) + 1
            return seq, out
    except (ValueError, KeyError, TypeError):
        out = []
    try:
        whole = json.loads(data.decode("utf-8"))
        seq = int(((whole.get("_meta") or {}).get("1") or {}).get("seq", 0))
        for doc in (whole.get("sessions") or {}).values():
            out.append((str(doc["id"]), -1, _dump(doc)))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ArchiveCorrupt(path, f"does not parse ({exc})") from None
    return seq, out


def docs_file_bytes(seq: int, bodies: list[bytes]) -> tuple[bytes, list[int]]:
    """The bytes of a year file holding `bodies` (JSON documents), and each line's offset."""
    head = b'{"_meta": {"1": {"seq": %d}},\n"sessions": {\n' % seq
    parts = [head]
    offsets = []
    pos = len(head)
    last = len(bodies) - 1
    for n, body in enumerate(bodies):
        key = b'"%d": ' % (n + 1)
        offsets.append(pos)
        parts += (key, body, b",\n" if n < last else b"\n")  # joined once, below
        pos += len(key) + len(body) + (2 if n < last else 1)
    parts.append(b"}}\n")
    return b"".join(parts), offsets


def rows_file_bytes(seq: int, rows: list[tuple[Row, int]]) -> bytes:
    """A year's row index: one row a line (`pending_docs` searches the lines)."""
    import msgspec

    encode = msgspec.json.Encoder().encode
    lines = [encode([*row, off]) for row, off in rows]
    return b'{"seq": %d, "rows": [\n' % seq + b",\n".join(lines) + b"\n]}\n"


def read_rows_file(path: Path) -> tuple[int, list[tuple[Row, int]]]:
    """A year's row index: (seq, [(row, offset)]); ValueError, KeyError or TypeError when
    it does not parse (msgspec's errors are ValueErrors)."""
    import msgspec

    data = msgspec.json.decode(path.read_bytes())
    width = len(Row._fields)
    make = Row._make
    out = []
    for r in data["rows"]:
        if len(r) != width + 1:
            raise ValueError(f"a row of {len(r)} fields")
        off = r.pop()
        out.append((make(r), int(off)))
    return int(data["seq"]), out


class Archive:
    """The sessions of one database: year files, their row index, and the journal."""

    def __init__(self, folder: Path, *, readonly: bool = False) -> None:
        from .store import atomic_write  # noqa: F401 - fail early if the store is broken

        self.folder = folder
        self.journal = folder / "journal"
        self.readonly = readonly
        self.entries = 0
        """Journal lines since the last compaction."""
        self.seq = 0
        self._journal_size = 0
        self._parts: dict[str, _Part] = {}
        self._rows: dict[str, Row] = {}
        self._where: dict[str, tuple[str, int]] = {}
        """session id → (partition, byte offset of its line in the year file, or -1)."""
        self._pending: dict[str, dict[str, tuple[int, dict[str, Any] | None]]] = {}
        """partition → session id → (journal seq, document or None for gone): not yet folded."""
        self._bodies: dict[str, bytes] = {}
        """session id → the JSON bytes of its document in `_pending`, where `put` made them."""
        self._loaded = False
        self.progress = (0, 0)
        """(years read, years) while `load` runs: read from other threads without a lock."""
        self._damaged: dict[str, Any] = {}
        """key → document that cannot be shown, kept as it was (see `damaged`)."""

    # -- opening ------------------------------------------------------------------------------
    def docs_path(self, part: str) -> Path:
        return self.folder / f"{part}.json"

    def rows_path(self, part: str) -> Path:
        return self.folder / f"{part}.rows"

    def backups(self, part: str) -> list[Path]:
        path = self.docs_path(part)
        found = [path.with_name(f"{path.name}.bak{n}") for n in range(1, 4)]
        return [b for b in found if b.exists()]

    def load(self) -> None:
        """Read the journal, then every year's row index (never the documents)."""
        if self._loaded:
            return
        with paused_gc():  # 100,000 small records
            self._load()

    def _load(self) -> None:
        journal = b""
        if self.journal.exists():
            journal = self.journal.read_bytes()  # first: see the docstring of the module
        if not self.readonly and self.folder.is_dir():
            for tmp in self.folder.glob(".*.tmp"):  # left by a killed compaction
                with contextlib.suppress(OSError):
                    tmp.unlink()
        names = sorted(p.stem for p in self.folder.glob("*.json")
                       if p.name != DAMAGED_FILE) if self.folder.is_dir() else []
        self._read_damaged()
        self.progress = (0, len(names))
        for n, name in enumerate(names, 1):
            self._load_part(name)
            self.progress = (n, len(names))
        self._replay(journal)
        self._loaded = True

    def _load_part(self, name: str) -> None:
        rows_path = self.rows_path(name)
        try:
            seq, rows = read_rows_file(rows_path)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            # No index or a damaged one: rebuild it from the year file (slow, once).
            seq, entries = self._read_docs(name)
            rows = [(index_row(json.loads(body)), off) for _, off, body in entries]
            if not self.readonly:
                from .store import atomic_write

                with contextlib.suppress(OSError):
                    atomic_write(rows_path, rows_file_bytes(seq, rows))
        self._parts[name] = _Part(name, seq)
        pending = self._pending.setdefault(name, {})
        ids = [row.id for row, _ in rows]
        if len(set(ids)) == len(ids) and self._where.keys().isdisjoint(ids):
            # Every session once (the usual case): no copy to choose between.
            self._rows.update(zip(ids, (row for row, _ in rows), strict=True))
            self._where.update(zip(ids, ((name, off) for _, off in rows), strict=True))
            return
        for row, off in rows:
            seen = self._where.get(row.id)
            if seen is not None:
                # A session moved to another year and only one of the two files was
                # rewritten before a crash: keep the newer copy, drop the other.
                old = self._rows[row.id]
                if (old.rev, old.updated_at) >= (row.rev, row.updated_at):
                    pending[row.id] = (0, None)
                    continue
                self._pending.setdefault(seen[0], {})[row.id] = (0, None)
            self._rows[row.id] = row
            self._where[row.id] = (name, off)

    def _read_docs(self, name: str) -> tuple[int, list[tuple[str, int, bytes]]]:
        path = self.docs_path(name)
        try:
            return read_docs_file(path)
        except FileNotFoundError:
            return 0, []
        except OSError as exc:
            raise ArchiveCorrupt(path, f"cannot read: {exc.strerror or exc}") from None

    def _part(self, name: str) -> _Part:
        part = self._parts.get(name)
        if part is None:
            part = self._parts[name] = _Part(name)
        return part

    def _replay(self, raw: bytes) -> None:
        from .store import JournalDamaged, read_journal

        try:
            entries, good = read_journal(raw, journal_entry_problem)
        except JournalDamaged as exc:
            what = "does not parse" if exc.problem is None else \
                f"is not a journal entry ({exc.problem})"
            raise ArchiveCorrupt(self.journal, f"line {exc.line} {what}") from None
        for entry in entries:
            seq = entry["seq"]
            for op in entry["ops"]:
                self._apply(seq, op["id"], op.get("part"), op.get("doc"))
            self.seq = max(self.seq, seq)
            self.entries += 1
        self._journal_size = good
        self.seq = max([self.seq, *(p.seq for p in self._parts.values())])

    def _apply(self, seq: int, sid: str, part: str | None, doc: dict[str, Any] | None,
               body: bytes | None = None) -> None:
        """One journalled write; `body` is `doc`'s JSON bytes when the caller has them."""
        where = self._where.get(sid)
        if where is not None and where[0] != part and seq > self._part(where[0]).seq:
            self._pending.setdefault(where[0], {})[sid] = (seq, None)
            del self._where[sid]
            del self._rows[sid]
        if doc is not None and part is not None and seq > self._part(part).seq:
            self._rows[sid] = index_row(doc)
            self._where[sid] = (part, -1)
            self._pending.setdefault(part, {})[sid] = (seq, doc)
            if body is None:
                self._bodies.pop(sid, None)
            else:
                self._bodies[sid] = body

    def _pending_body(self, sid: str, doc: dict[str, Any]) -> bytes:
        """The JSON bytes of a pending (not yet folded) document."""
        body = self._bodies.get(sid)
        return _dump(doc) if body is None else body

    def load_memory(self, items: Iterable[tuple[str, Any]]) -> None:
        """Hold documents in memory only (a database of the layout before partitions,
        read-only); `items` are (key, document) as the single file numbers them."""
        good, self._damaged = set_aside(items)
        for doc in good:
            self._apply(1, str(doc["id"]), part_of(doc), doc)
        self._loaded = True

    def _read_damaged(self) -> None:
        damaged = self.folder / DAMAGED_FILE
        if damaged.exists():
            try:
                self._damaged = dict(json.loads(damaged.read_bytes())["sessions"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ArchiveCorrupt(damaged, f"does not parse ({exc})") from None

    def damaged(self) -> list[tuple[str, str]]:
        """(session id, or #key without one; why) of the documents set aside (the row
        index is not read for this)."""
        from .session import stored_problem

        if not self._loaded:
            self._read_damaged()
        out = []
        for key, doc in self._damaged.items():
            sid = doc.get("id") if isinstance(doc, dict) else None
            label = sid if isinstance(sid, str) and sid else f"#{key}"
            out.append((label, stored_problem(doc) or "a second document with this id"))
        return sorted(out)

    def delete_damaged(self, label: str) -> bool:
        """Remove a set-aside document by the label `damaged` gives it; False if none."""
        self.load()
        key = next((k for k, d in self._damaged.items()
                    if (d.get("id") if isinstance(d, dict) else None) == label
                    or f"#{k}" == label), None)
        if key is None:
            return False
        self._writable()
        from .store import atomic_write

        rest = {k: d for k, d in self._damaged.items() if k != key}
        atomic_write(self.folder / DAMAGED_FILE, damaged_file_bytes(rest))
        self._damaged = rest
        return True

    # -- reading ---------------------------------------------------------------------------------
    def __contains__(self, sid: object) -> bool:
        self.load()
        return sid in self._rows

    def count(self) -> int:
        self.load()
        return len(self._rows)

    def ids(self) -> list[str]:
        self.load()
        return list(self._rows)

    def rows(self) -> list[Row]:
        """Every session's row (a snapshot list; rows are immutable)."""
        self.load()
        return list(self._rows.values())

    def row(self, sid: str) -> Row | None:
        self.load()
        return self._rows.get(sid)

    def get(self, sid: str) -> dict[str, Any] | None:
        """One full session document, read from its line in the year file."""
        self.load()
        where = self._where.get(sid)
        if where is None:
            return None
        part, off = where
        pending = self._pending.get(part, {}).get(sid)
        if pending is not None and pending[1] is not None:
            return json.loads(json.dumps(pending[1]))
        if off >= 0:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError), \
                    open(self.docs_path(part), "rb") as f:
                f.seek(off)
                line = f.readline()
                doc = json.loads(line[line.index(b": ") + 2:].rstrip(b",\n"))
                if doc.get("id") == sid:
                    return doc
        # The file changed under a reader, or has no offsets: read the year.
        for found, _, body in self._read_docs(part)[1]:
            if found == sid:
                return json.loads(body)
        return None

    def pending_docs(self) -> list[dict[str, Any]]:
        """The sessions waiting for their retest, without reading the whole row index.

        Home needs only these: each year's index is scanned for rows that say
        `pending_retest` (a search of bytes; only those lines are parsed) and the
        journal replayed over them as `load` would. Once the index is read, from it.
        """
        if self._loaded:
            return [doc for r in self._rows.values() if r.status == "pending_retest"
                    for doc in [self.get(r.id)] if doc is not None]
        journal = self.journal.read_bytes() if self.journal.exists() else b""
        found: dict[str, tuple[str, Row, int, dict[str, Any] | None]] = {}
        seqs: dict[str, int] = {}
        names = sorted(p.stem for p in self.folder.glob("*.json")
                       if p.name != DAMAGED_FILE) if self.folder.is_dir() else []
        width = len(Row._fields)
        self.progress = (0, len(names))
        for n, name in enumerate(names):
            self.progress = (n, len(names))
            try:
                data = self.rows_path(name).read_bytes()
                head = _ROWS_SEQ.match(data)
                if head is None:
                    raise ValueError("no seq")
                seqs[name] = int(head.group(1))
                for line in _lines_with(data, b'"pending_retest"'):
                    r = json.loads(line.rstrip(b","))
                    row, off = Row._make(r[:width]), int(r[width])
                    seen = found.get(row.id)
                    if row.status == "pending_retest" and (
                            seen is None or (seen[1].rev, seen[1].updated_at)
                            < (row.rev, row.updated_at)):
                        found[row.id] = (name, row, off, None)
            except (OSError, ValueError, KeyError, TypeError, IndexError):
                self.load()  # no usable index for a year: read everything
                return self.pending_docs()
        from .store import JournalDamaged, read_journal

        try:
            entries, _ = read_journal(journal, journal_entry_problem)
        except JournalDamaged:
            self.load()  # a damaged journal: `load` says where
            return self.pending_docs()
        for entry in entries:
            seq = entry["seq"]
            for op in entry["ops"]:
                sid, part, doc = op["id"], op.get("part"), op.get("doc")
                seen = found.get(sid)
                if seen is not None and seen[0] != part and seq > seqs.get(seen[0], 0):
                    del found[sid]
                if doc is not None and part is not None and seq > seqs.get(part, 0):
                    if doc.get("status") == "pending_retest":
                        found[sid] = (part, index_row(doc), -1, doc)
                    else:
                        found.pop(sid, None)
        out = []
        for sid, (part, _, off, doc) in found.items():
            if doc is None:
                doc = self._doc_at(part, off, sid)
            if doc is not None:
                out.append(doc)
        return out

    def _doc_at(self, part: str, off: int, sid: str) -> dict[str, Any] | None:
        """A document by its line's offset in a year file (the whole year if that fails)."""
        if off >= 0:
            with contextlib.suppress(OSError, ValueError), open(self.docs_path(part), "rb") as f:
                f.seek(off)
                body = _body_at(f.readline(), 0, sid)
                if body is not None:
                    return json.loads(body)
        for found, _, body in self._read_docs(part)[1]:
            if found == sid:
                return json.loads(body)
        return None

    def iter_raw(self, ids: Iterable[str]) -> Iterator[bytes]:
        """The JSON bytes of each session in `ids`, in that order, one year file at a time.

        `ids` should be grouped by year (sorted by test time is): each year
        file is read once while its sessions stream out, then dropped.
        """
        self.load()
        current: str | None = None
        raw = b""
        parsed: dict[str, bytes] | None = None
        for sid in ids:
            where = self._where.get(sid)
            if where is None:
                continue
            part, off = where
            pending = self._pending.get(part, {}).get(sid)
            if pending is not None and pending[1] is not None:
                yield self._pending_body(sid, pending[1])
                continue
            if part != current:
                current, parsed = part, None
                try:
                    raw = self.docs_path(part).read_bytes()
                except FileNotFoundError:
                    raw = b""
            body = _body_at(raw, off, sid)
            if body is None:  # the file changed under a reader, or has no offsets
                if parsed is None:
                    parsed = {found: b for found, _, b in self._read_docs(part)[1]}
                body = parsed.get(sid)
            if body is not None:
                yield body

    # -- writing ---------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.readonly:
            from .store import StoreError

            raise StoreError(f"{self.folder} is open read-only")

    def put(self, docs: list[dict[str, Any]], delete: Iterable[str] = ()) -> None:
        """Store documents (new or replacing) and remove ids, in one durable journal line."""
        self._writable()
        self.load()
        ops: list[tuple[str, str | None, dict[str, Any] | None, bytes | None]] = [
            (d["id"], part_of(d), d, _dump(d)) for d in docs]
        ops += [(sid, None, None, None) for sid in delete]
        if not ops:
            return
        seq = self.seq + 1
        # The bytes json.dumps({"seq": seq, "ops": [{"id", "part", "doc"}, …]}) gives, with
        # each document dumped once: the same bytes are folded into its year later.
        line = b'{"seq": %d, "ops": [' % seq + b", ".join(
            b'{"id": ' + _dump(sid) + b', "part": ' + _dump(part) + b', "doc": '
            + (b"null" if body is None else body) + b"}"
            for sid, part, _, body in ops) + b"]}\n"
        self._append(line)  # raises OSError: nothing changed
        self.seq = seq
        for sid, part, doc, body in ops:
            self._apply(seq, sid, part, doc, body)
        self.entries += 1

    def _append(self, data: bytes) -> None:
        from .store import append_journal

        self.folder.mkdir(parents=True, exist_ok=True)
        append_journal(self.journal, self._journal_size, data)
        self._journal_size += len(data)

    def dirty(self) -> list[str]:
        return sorted(p for p, changes in self._pending.items() if changes)

    def compact(self) -> list[str]:
        """Rewrite the years that changed (atomically, with backups), then empty the journal.

        Returns the years rewritten. Raises FoldFailed (an OSError: nothing lost,
        the journal still holds every save not folded; it names the years folded
        and those not) or ArchiveCorrupt (a year file that does not parse is
        never overwritten).
        """
        self._writable()
        self.load()
        written: list[str] = []
        dirty = set(self.dirty())
        parts = sorted(dirty)
        try:
            kept: dict[str, list[tuple[str, int]]] = {part: [] for part in dirty}
            for sid, (p, off) in self._where.items():  # one pass, whatever the years
                if p in kept:
                    kept[p].append((sid, off))
            with paused_gc():
                if len(parts) < 2 or FOLD_THREADS < 2:
                    for part in parts:
                        self._write_part(part, kept[part])
                        written.append(part)
                else:  # each year is replaced atomically on its own; the journal is kept below
                    from concurrent.futures import ThreadPoolExecutor

                    with ThreadPoolExecutor(max_workers=FOLD_THREADS) as pool:
                        done = [(part, pool.submit(self._write_part, part, kept[part]))
                                for part in parts]
                    # every year was tried; those folded stay folded (their seq)
                    failures = [future.exception() for _, future in done]
                    written += [part for (part, _), failed in zip(done, failures, strict=True)
                                if failed is None]
                    for failed in failures:
                        if failed is not None:
                            raise failed
            if self._journal_size:
                with open(self.journal, "wb") as f:
                    os.fsync(f.fileno())
                self._journal_size = 0
        except OSError as exc:
            raise FoldFailed(exc, written, [p for p in parts if p not in written]) from exc
        self.entries = 0
        return written

    def _write_part(self, part: str, where: list[tuple[str, int]]) -> None:
        """Rewrite one year: `where` is (session id, offset) of every session in it now."""
        from .store import atomic_write

        pending = self._pending.get(part, {})
        rows = self._rows
        keep = [(rows[sid], off) for sid, off in where if sid not in pending]
        old: dict[str, bytes] = {}
        if keep:
            raw = b""
            with contextlib.suppress(FileNotFoundError):
                raw = self.docs_path(part).read_bytes()
            for row, off in keep:
                body = _body_at(raw, off, row.id)
                if body is None:  # no offsets (a hand-made file): parse the year
                    old = {sid: body for sid, _, body in self._read_docs(part)[1]}
                    break
                old[row.id] = body
        missing = [row.id for row, _ in keep if row.id not in old]
        if missing:
            raise ArchiveCorrupt(self.docs_path(part), f"session {missing[0]} of its index "
                                 f"is not in it ({len(missing)} missing)")
        entries: list[tuple[Row, bytes]] = [(row, old[row.id]) for row, _ in keep]
        mine = []
        for sid, (_, doc) in pending.items():
            if doc is not None and self._where.get(sid, ("",))[0] == part:
                entries.append((rows[sid], self._pending_body(sid, doc)))
                mine.append(sid)
        entries.sort(key=lambda e: sort_key(e[0]))
        seq = self.seq
        data, offsets = docs_file_bytes(seq, [body for _, body in entries])
        path = self.docs_path(part)
        atomic_write(path, data, backups=3)
        atomic_write(self.rows_path(part),
                     rows_file_bytes(seq, [(row, off) for (row, _), off
                                           in zip(entries, offsets, strict=True)]))
        for (row, _), off in zip(entries, offsets, strict=True):
            self._where[row.id] = (part, off)
        self._part(part).seq = seq
        self._pending[part] = {}
        for sid in mine:
            self._bodies.pop(sid, None)

    def close(self) -> None:
        """Nothing to flush: every write is in the journal when `put` returns."""


def set_aside(items: Iterable[tuple[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The documents that can be shown, and (by key) those that cannot: a quick check of
    each (`session.stored_problem`) and of ids stored twice."""
    from .session import stored_problem

    good: dict[str, dict[str, Any]] = {}
    bad: dict[str, Any] = {}
    for key, doc in items:
        if stored_problem(doc) is None and doc["id"] not in good:
            good[doc["id"]] = doc
        else:
            bad[str(key)] = doc
    return list(good.values()), bad


def damaged_file_bytes(docs: dict[str, Any]) -> bytes:
    lines = [f"{json.dumps(k)}: {json.dumps(d, ensure_ascii=False)}" for k, d in docs.items()]
    return ('{"sessions": {\n' + ",\n".join(lines) + "\n}}\n").encode("utf-8")


def build_parts(folder: Path, items: Iterable[tuple[str, Any]]) -> int:
    """Write a new partition folder from a single file's (key, document) pairs (a
    conversion); returns how many sessions. Documents that cannot be shown are set aside
    in `damaged.json`, unchanged. Each file is written and fsync'd; the caller renames the
    folder into place.
    """
    from .store import _fsync_dir, atomic_write

    docs, damaged = set_aside(items)
    years: dict[str, list[tuple[Row, bytes]]] = {}
    count = 0
    folder.mkdir(parents=True)
    if damaged:
        atomic_write(folder / DAMAGED_FILE, damaged_file_bytes(damaged))
    for doc in docs:
        years.setdefault(part_of(doc), []).append((index_row(doc), _dump(doc)))
        count += 1
    for part, entries in years.items():
        entries.sort(key=lambda e: sort_key(e[0]))
        data, offsets = docs_file_bytes(0, [body for _, body in entries])
        atomic_write(folder / f"{part}.json", data)
        atomic_write(folder / f"{part}.rows",
                     rows_file_bytes(0, [(row, off) for (row, _), off
                                         in zip(entries, offsets, strict=True)]))
    _fsync_dir(folder)
    return count


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
