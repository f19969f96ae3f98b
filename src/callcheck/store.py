"""The session store: TinyDB files that never lose a save, whatever the archive's size.

Nothing else in callcheck touches TinyDB. Beside the main file (where:
`locations.py`; a human-readable UTF-8 TinyDB file holding the settings, the
deleted sessions' tombstones and the layout's version):

- `callcheck.json.parts/`: the sessions, one TinyDB file per year with a
  compact row index and a journal of their own (`archive.py` says how). A save
  appends one line to that journal; compaction rewrites only the years that
  changed, each with its backups `2026.json.bak1`…`bak3`.
- `callcheck.json.journal`: the main file's writes since its last compaction,
  one JSON line each, appended and fsync'd; a torn last line (a crash
  mid-append) is ignored on load. Compaction rewrites the main file atomically
  (temporary file in the same folder, fsync, rename, fsync the folder) and
  only then rotates its backups `callcheck.json.bak1`…`bak3`.
- `callcheck.json.lock` (+ `.lock.json`, who holds it): one writer at a time.
- `callcheck.json.drafts/`: one small file per call in progress, rewritten
  atomically on every mark and answer, so a crash or a kill loses nothing.
- `callcheck.json.single-file`: a database of the layout before year files
  (every session in the main file), as it was before its conversion on first
  open.

A file that does not parse is never overwritten: using it stops with an
error naming the file and its backups.

The database is always addressed by its real path (symlinks resolved), so the
lock, the journals, the backups and every rename act on the real files. A
reader (no lock) takes a consistent snapshot: of the main file by reading it
and then its journal, starting again if a compaction replaced it meanwhile;
of the sessions as `archive.py` describes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import socket
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from .dates import iso, now
from .errors import CallcheckError
from .locations import locate_db
from .session import SCHEMA_VERSION, Session, stored_problem

if TYPE_CHECKING:
    from .archive import Row

SESSIONS = "sessions"
SETTINGS = "settings"
DELETED = "deleted"
"""Tombstones: the id and time of each deleted session, so an import does not revive it."""
BACKUPS = 3
LAYOUT_TABLE = "store"
LAYOUT = 2
"""Layout 2: settings in the main file, sessions in year files beside it (archive.py)."""
CLOSE_COMPACT_ENTRIES = int(os.environ.get("CALLCHECK_CLOSE_COMPACT_ENTRIES", "1"))
"""Fold the session journal into the year files on close once it holds this many writes."""
SNAPSHOT_ATTEMPTS = 100
"""How often a reader starts again when compactions keep replacing the file under it."""
COMPACT_ENTRIES = int(os.environ.get("CALLCHECK_COMPACT_ENTRIES", "2000"))
"""Compact while running once the journal holds this many writes (and always on close)."""


class StoreError(CallcheckError):
    """The database cannot be used as asked."""


class StoreLocked(StoreError):
    """Another process holds the database for writing."""

    def __init__(self, path: Path, holder: dict[str, Any] | None) -> None:
        self.path = path
        self.holder = holder or {}
        who = "another process"
        if holder:
            who = (f"{holder.get('command', 'callcheck')} (pid {holder.get('pid', '?')} on "
                   f"{holder.get('host', '?')}, since {holder.get('since', '?')})")
        super().__init__(f"{path} is open for writing by {who}; close it there first "
                         "(list, pending, show and export still work meanwhile)")


class StoreCorrupt(StoreError):
    """The database file does not parse; it has been left untouched."""

    def __init__(self, path: Path, problem: str, backups: list[Path],
                 hint: str | None = None) -> None:
        self.path = path
        self.backups = backups
        if hint:
            pass  # the caller knows the next step better
        elif backups:
            hint = "backups: " + ", ".join(str(b) for b in backups) + \
                " (copy one over it to recover)"
        else:
            hint = "there are no backups beside it"
        super().__init__(f"{path} cannot be read ({problem}); it has not been changed; {hint}")


class StoreWriteError(StoreError):
    """A write failed (disk full, I/O error); the database is as it was before it."""


class CompactionFailed(StoreWriteError):
    """Folding the journal into the main file failed; every save is still in the journal."""


def why(exc: OSError) -> str:
    """An OSError in words: the disk being full said plainly."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == getattr(errno, "EDQUOT", None):
        return "the disk quota is used up"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)


class SessionNotFound(StoreError):
    def __init__(self, key: str, message: str | None = None) -> None:
        self.key = key
        super().__init__(message or f"no session {key!r} in the database")


def shape_problem(data: Any) -> str | None:
    """What is wrong with the main file's outline (tables of numbered documents), if anything."""
    if not isinstance(data, dict):
        return "expected an object of tables"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is not an object of documents"
        for key, doc in table.items():
            if not key.isdigit() or not isinstance(doc, dict):
                return f"{name}/{key[:20]}: expected a numbered document (an object)"
    return None


def journal_entry_problem(entry: Any) -> str | None:
    """What is wrong with one parsed journal line, or None if it is a journal entry."""
    if not isinstance(entry, dict) or not isinstance(entry.get("ops"), list):
        return "expected an object with a list \"ops\""
    for k, op in enumerate(entry["ops"]):
        if not isinstance(op, dict) or not isinstance(op.get("t"), str) or \
                not isinstance(op.get("id"), str) or not op["id"].isdigit() or "doc" not in op or \
                not (op["doc"] is None or isinstance(op["doc"], dict)):
            return f"ops[{k}] must be {{\"t\": table, \"id\": key, \"doc\": object or null}}"
    return None


class JournalDamaged(Exception):
    """A complete journal line before the end that cannot be replayed (`read_journal`)."""

    def __init__(self, line: int, problem: str | None) -> None:
        self.line = line
        self.problem = problem
        """Why the parsed line is not an entry; None when it does not parse at all."""
        super().__init__(f"line {line}: {problem or 'does not parse'}")


def read_journal(raw: bytes, entry_problem: Callable[[Any], str | None]
                 ) -> tuple[list[Any], int]:
    """The entries of a journal, and the size of its good part (where the next append goes).

    One JSON entry a line, each appended whole by `append_journal`: the text after the
    last newline is a write a crash cut short (the save it belonged to never returned),
    and so is a last complete line that does not parse; both are left out. Any other line
    that does not parse, or whose entry `entry_problem` refuses, raises JournalDamaged:
    the saves after it cannot be trusted to replay. The main file's journal and the year
    files' journal are both read by this.
    """
    entries: list[Any] = []
    good = 0
    lines = raw.split(b"\n")
    for n, line in enumerate(lines):
        complete = n < len(lines) - 1  # the text after the last newline is unfinished
        if not line.strip():
            if complete:
                good += len(line) + 1
            continue
        try:
            entry = json.loads(line.decode("utf-8")) if complete else None
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            entry = None
        if entry is None:
            if complete and n < len(lines) - 2:
                raise JournalDamaged(n + 1, None)
            break  # a torn last write
        problem = entry_problem(entry)
        if problem:
            raise JournalDamaged(n + 1, problem)
        entries.append(entry)
        good += len(line) + 1
    return entries, good


def journal_hint(journal: Path, line: int) -> str:
    """The next step for a journal damaged at `line`."""
    return (f"the saves before line {line} are intact; to recover them, keep a copy of "
            f"{journal.name}, delete line {line} and everything after it, and open the "
            "database again (the saves from that line on are lost); or move the journal "
            "aside to open the database as of its last compaction")


F = TypeVar("F", bound=Callable[..., Any])


def _locked(method: F) -> F:
    """Run a Store method under the store's lock: the UI calls it from worker threads."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self._mutex:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def default_db_path() -> Path:
    """The database when none is named: `locations.locate_db` (never the working directory)."""
    return locate_db().path


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _is_temp_of(name: str, target: str) -> bool:
    """Whether `name` is one of the temporary files a write of `target` leaves if killed."""
    prefix = f".{target}."
    if not (name.startswith(prefix) and name.endswith(".tmp")):
        return False
    middle = name[len(prefix):-len(".tmp")]
    return middle.isdigit() or middle == "bak"


def write_temp(path: Path, data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, fsync'd; the caller renames it."""
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def append_journal(journal: Path, size: int, data: bytes) -> None:
    """Append `data` to a journal whose good part is its first `size` bytes, durably.

    A torn tail past `size` (a killed write) is dropped first; a failed write is cut back
    to `size`, so the journal holds the whole line or none of it. Raises OSError.
    """
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.ftruncate(fd, size)
        os.lseek(fd, size, os.SEEK_SET)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
                os.fsync(fd)
            raise
    finally:
        os.close(fd)
    if size == 0:
        _fsync_dir(journal.parent)  # a new journal's name is durable too


def atomic_write(path: Path, data: bytes, backups: int = 0) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one.

    With `backups`, the old file becomes `path.bak1` (older ones shift up to
    `bak{backups}`), rotated only once the new file is in place.
    """
    tmp = write_temp(path, data)
    previous = keep_previous(path) if backups else None
    try:
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, previous):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    os.unlink(leftover)
        raise
    _fsync_dir(path.parent)
    if previous is not None:
        rotate_backups(path, previous, backups)


def keep_previous(path: Path) -> Path | None:
    """A hard link (or copy) of the current `path`, to become bak1 after a rename over it."""
    if not path.exists():
        return None
    keep = path.with_name(f".{path.name}.bak.tmp")
    with contextlib.suppress(OSError):
        os.unlink(keep)
    try:
        os.link(path, keep)
    except OSError:
        try:
            keep.write_bytes(path.read_bytes())
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(keep)
            return None  # no room for a backup: the write goes on without one
    return keep


def rotate_backups(path: Path, previous: Path, count: int = BACKUPS) -> None:
    """`previous` becomes `path.bak1`; older backups shift up to `bak{count}`."""
    names = [path.with_name(f"{path.name}.bak{n}") for n in range(1, count + 1)]
    with contextlib.suppress(OSError):
        for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
            if newer.exists():
                os.replace(newer, older)
        os.replace(previous, names[0])


def _regular_or_absent(path: Path) -> bool:
    """True if `path` is a regular file, False if there is nothing; StoreError otherwise."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {why(exc)}") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else \
            "a pipe (FIFO)" if stat.S_ISFIFO(mode) else "not a regular file"
        raise StoreError(f"{path} is {kind}, not a callcheck database file; give --db the "
                         "path of a file (it is created if missing)")
    return True


def database_files(db: str | os.PathLike[str]) -> list[Path]:
    """Every file the store keeps for database `db` (real paths): main file, journal,
    backups, lock, lock owner; the drafts folder is covered by `is_database_file`."""
    real = Path(os.path.realpath(db))
    names = [real.name, real.name + ".journal", real.name + ".lock", real.name + ".lock.json",
             real.name + ".single-file", *(f"{real.name}.bak{n}" for n in range(1, BACKUPS + 1))]
    return [real.with_name(n) for n in names]


def is_database_file(db: str | os.PathLike[str], candidate: str | os.PathLike[str]) -> bool:
    """Whether writing `candidate` would overwrite part of database `db`: its main file,
    journal, backups, lock or drafts, compared by real path (and by inode where both exist,
    so a hard link or a symlink to one of them counts too)."""
    real = Path(os.path.realpath(candidate))
    files = database_files(db)
    drafts = files[0].with_name(files[0].name + ".drafts")
    parts = files[0].with_name(files[0].name + ".parts")
    if real in files or real in (drafts, parts) or drafts in real.parents or \
            parts in real.parents:
        return True
    if _is_temp_of(real.name, files[0].name) and real.parent == files[0].parent:
        return True
    if real.exists():
        with contextlib.suppress(OSError):
            files += list(parts.iterdir())
        for f in files:
            with contextlib.suppress(OSError):
                if os.path.samefile(real, f):
                    return True
    return False


def dump_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """TinyDB's JSON layout, one document a line, Chinese unescaped."""
    parts = []
    for t, (name, table) in enumerate(data.items()):
        lines = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
                 for k, v in table.items()]
        body = ",\n".join(lines)
        sep = "," if t < len(data) - 1 else ""
        parts.append(f"{json.dumps(name)}: {{\n{body}\n}}{sep}" if lines
                     else f"{json.dumps(name)}: {{}}{sep}")
    return ("{\n" + "\n".join(parts) + "\n}\n").encode("utf-8")


class JournaledStorage(Storage):
    """A TinyDB storage: main JSON file + append-only journal, all in memory once read."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        self.path = Path(path)
        self.journal = self.path.with_name(self.path.name + ".journal")
        self.readonly = readonly
        self.entries = 0
        self._journal_size = 0
        self.dirty: set[tuple[str, str]] = set()
        """Documents to journal on the next write whatever their fingerprint says."""
        self._data = self._load()
        self._shadow = self._fingerprint(self._data)

    # -- reading ------------------------------------------------------------------------
    def backups(self) -> list[Path]:
        found = [self.path.with_name(f"{self.path.name}.bak{n}") for n in range(1, BACKUPS + 1)]
        return [b for b in found if b.exists()]

    def _read_snapshot(self) -> tuple[bytes | None, bytes]:
        """The main file's bytes (None if there is none) and the journal's, as of one moment.

        A compaction renames a new main file into place and then empties the
        journal; a reader that read the old main file and then the emptied
        journal would miss every save since the compaction before. So the main
        file stays open while the journal is read, and if the path no longer
        names the file read (a compaction ran), the whole read starts again.
        Reading the journal over the new main file is harmless: its entries
        replay to the same state.
        """
        for _ in range(SNAPSHOT_ATTEMPTS):
            fd = None
            main: bytes | None = None
            ident = None
            if _regular_or_absent(self.path):
                try:
                    fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
                except FileNotFoundError:
                    continue  # replaced between the check and the open: read again
                except OSError as exc:
                    raise StoreError(f"{self.path}: cannot read: {why(exc)}") from None
            try:
                if fd is not None:
                    st = os.fstat(fd)
                    ident = (st.st_dev, st.st_ino)
                    with open(fd, "rb", closefd=False) as f:
                        main = f.read()
                journal = b""
                if _regular_or_absent(self.journal):
                    try:
                        journal = self.journal.read_bytes()
                    except FileNotFoundError:
                        journal = b""
                try:
                    st = os.stat(self.path)
                    now_ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
                except FileNotFoundError:
                    now_ident = None
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot read: {why(exc)}") from None
            finally:
                if fd is not None:
                    os.close(fd)
            if now_ident == ident:
                return main, journal
        raise StoreError(f"{self.path} kept changing while being read (a writer compacting "
                         "it again and again); try again")

    def _load(self) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = {}
        raw, journal = self._read_snapshot()
        if raw is not None:
            try:
                data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
                raise StoreCorrupt(self.path, f"not valid JSON: {exc}", self.backups()) from None
            problem = shape_problem(data)
            if problem:
                raise StoreCorrupt(self.path, f"not a callcheck database: {problem}",
                                   self.backups())
        if journal:
            self._replay_journal(data, journal)
        return data

    def _replay_journal(self, data: dict[str, dict[str, Any]], raw: bytes) -> None:
        try:
            entries, good = read_journal(raw, journal_entry_problem)
        except JournalDamaged as exc:
            what = "does not parse" if exc.problem is None else \
                f"is not a journal entry ({exc.problem})"
            raise StoreCorrupt(self.journal, f"line {exc.line} {what}", self.backups(),
                               journal_hint(self.journal, exc.line)) from None
        for entry in entries:
            self._apply(data, entry)
            self.entries += 1
        self._journal_size = good

    @staticmethod
    def _apply(data: dict[str, dict[str, Any]], entry: dict[str, Any]) -> None:
        for op in entry["ops"]:
            table = data.setdefault(op["t"], {})
            if op["doc"] is None:
                table.pop(op["id"], None)
            else:
                table[op["id"]] = op["doc"]

    def read(self) -> dict[str, dict[str, Any]] | None:
        return self._data

    # -- writing ------------------------------------------------------------------------
    @staticmethod
    def _fingerprint(data: dict[str, dict[str, Any]]) -> dict[tuple[str, str], Any]:
        out = {}
        for tname, table in data.items():
            for doc_id, doc in table.items():
                out[(tname, doc_id)] = JournaledStorage._mark(doc)
        return out

    @staticmethod
    def _mark(doc: dict[str, Any]) -> Any:
        if "rev" in doc:
            return (id(doc), doc["rev"])
        return json.dumps(doc, sort_keys=True, ensure_ascii=False)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        ops = []
        seen = set()
        for tname, table in data.items():
            for doc_id, doc in table.items():
                key = (tname, doc_id)
                seen.add(key)
                mark = self._mark(doc)
                if self._shadow.get(key) != mark or key in self.dirty:
                    ops.append({"t": tname, "id": doc_id, "doc": doc})
        for key in self._shadow.keys() - seen:
            ops.append({"t": key[0], "id": key[1], "doc": None})
        self.dirty.clear()
        self._data = data
        if not ops:
            return
        line = json.dumps({"ops": ops}, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            self._append(line + b"\n")
        except OSError as exc:
            self._data = self._load_after_failure()
            self._shadow = self._fingerprint(self._data)
            raise StoreWriteError(f"{self.path}: the save failed ({why(exc)}): nothing was "
                                  "saved; the database is as it was before it") from None
        for op in ops:
            key = (op["t"], op["id"])
            if op["doc"] is None:
                self._shadow.pop(key, None)
            else:
                self._shadow[key] = self._mark(op["doc"])
        self.entries += 1

    def _append(self, data: bytes) -> None:
        append_journal(self.journal, self._journal_size, data)
        self._journal_size += len(data)

    def _load_after_failure(self) -> dict[str, dict[str, Any]]:
        self.entries = 0
        self._journal_size = 0
        return self._load()

    def compact(self) -> None:
        """Rewrite the main file from memory (atomically, with backups); empty the journal.

        The backups rotate only once the new main file is in place: a failed
        compaction (disk full) changes nothing, neither the main file, nor the
        journal, nor the backups.
        """
        if self.readonly or (self._journal_size == 0 and self.path.exists()):
            return
        payload = dump_tables(self._data)
        failed = (f"{self.path}: compaction failed ({{}}); nothing is lost: every save is in "
                  f"{self.journal.name} and {self.path.name} is unchanged")
        try:
            tmp = write_temp(self.path, payload)
        except OSError as exc:
            raise CompactionFailed(failed.format(why(exc))) from None
        previous = self._keep_previous()
        try:
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
        except OSError as exc:
            for leftover in (tmp, previous):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(leftover)
            raise CompactionFailed(failed.format(why(exc))) from None
        if previous is not None:
            self._rotate_backups(previous)
        try:
            with open(self.journal, "wb") as f:
                os.fsync(f.fileno())
        except OSError:
            # The new main file holds every entry; replaying them over it changes nothing.
            return
        self._journal_size = 0
        self.entries = 0

    def _keep_previous(self) -> Path | None:
        """A hard link (or copy) of the current main file, to become bak1 after the rename."""
        if not self.path.exists():
            return None
        keep = self.path.with_name(f".{self.path.name}.bak.tmp")
        with contextlib.suppress(OSError):
            os.unlink(keep)
        try:
            os.link(self.path, keep)
        except OSError:
            try:
                keep.write_bytes(self.path.read_bytes())
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(keep)
                return None  # no room for a backup: the compaction goes on without one
        return keep

    def _rotate_backups(self, previous: Path) -> None:
        names = [self.path.with_name(f"{self.path.name}.bak{n}") for n in range(1, BACKUPS + 1)]
        with contextlib.suppress(OSError):
            for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
                if newer.exists():
                    os.replace(newer, older)
            os.replace(previous, names[0])

    def close(self) -> None:
        if not self.readonly:
            self.compact()


class Store:
    """The one door to the database, for the app and the CLI.

    Settings live in the main TinyDB file; sessions in its partition folder
    (`archive.py`). Opening reads neither the sessions nor their index: the
    row index is read on first use (`rows()`, `count()`, a save…), so the app
    can draw its first frame before any loading.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 readonly: bool = False, command: str | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        from .archive import PARTS_SUFFIX, Archive

        given = Path(path) if path is not None else default_db_path()
        # The real path: a symlinked database keeps being one file, locked as one.
        self.path = Path(os.path.realpath(given))
        self.readonly = readonly
        self.drafts_dir = self.path.with_name(self.path.name + ".drafts")
        self.parts_dir = self.path.with_name(self.path.name + PARTS_SUFFIX)
        self.warnings: list[str] = []
        """Problems that lost nothing (a compaction that failed for lack of room)."""
        self._mutex = threading.RLock()
        self._lock: Any = None
        if not readonly:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {self.path.parent}: {why(exc)}") from None
            _regular_or_absent(self.path)
            if not os.access(self.path.parent, os.W_OK | os.X_OK):
                raise StoreError(f"{self.path.parent} is not writable, so the database "
                                 f"{self.path.name} cannot be saved there; give --db a "
                                 "folder you may write in (list, show and export only read)")
            self._take_lock(command)
        elif not self.path.exists() and not self.path.with_name(
                self.path.name + ".journal").exists():
            raise StoreError(f"no database at {given}")
        try:
            if not readonly:
                self._remove_orphans()
            self._open_main()
            self._archive = Archive(self.parts_dir, readonly=readonly)
            data = self._storage.read() or {}
            if self._is_single_file(data):
                if readonly:
                    self._archive.load_memory(data.get(SESSIONS, {}).items())
                else:
                    self._convert(data, progress)
            elif not data and not readonly:
                self._db.table(LAYOUT_TABLE).insert({"layout": LAYOUT})
            if not readonly and self._storage.entries >= COMPACT_ENTRIES:
                with contextlib.suppress(CompactionFailed):
                    self._storage.compact()
        except BaseException:
            self._release_lock()
            raise

    def _open_main(self) -> None:
        self._db = TinyDB(str(self.path), storage=JournaledStorage, readonly=self.readonly)
        self._storage: JournaledStorage = self._db.storage  # type: ignore[assignment]
        self._settings = self._db.table(SETTINGS, cache_size=0)
        self._deleted = self._db.table(DELETED, cache_size=0)

    @_locked
    def damaged(self) -> list[tuple[str, str]]:
        """(session id, or #number without one; why) of stored documents set aside.

        A document that cannot be shown (hand-edited, an older bug) is set aside
        when a single-file database is converted, kept in the partition folder's
        `damaged.json`, and listed here, never a crash.
        """
        return self._archive_call(self._archive.damaged)

    @staticmethod
    def _is_single_file(data: dict[str, dict[str, Any]]) -> bool:
        """A database of the layout before partitions: sessions in the main file."""
        return bool(data) and (SESSIONS in data or LAYOUT_TABLE not in data)

    def _convert(self, data: dict[str, dict[str, Any]],
                 progress: Callable[[str], None] | None) -> None:
        """Move the sessions of a single-file database into year files, once.

        Crash-safe: the year files are built in a temporary folder and renamed
        into place; the main file is rewritten without its sessions only after
        that (the commit point), and the old file is kept beside it as
        `callcheck.json.single-file`. A kill before the commit point leaves the
        single-file database as it was, and the next open converts it again.
        """
        from .archive import build_parts, remove_tree

        sessions = data.get(SESSIONS, {})
        if progress is not None:
            progress(f"converting {self.path} ({len(sessions)} sessions) to one file per "
                     f"year, once (about a minute per 100,000 sessions); the old file is kept "
                     f"as {self._single_file_backup().name}")
        try:
            if self._storage._journal_size:
                self._storage.compact()  # the old file alone then holds everything
            remove_tree(self.parts_dir)  # a conversion killed after its rename, before commit
            tmp = self.parts_dir.with_name(f"{self.parts_dir.name}.{os.getpid()}.tmp")
            remove_tree(tmp)
            build_parts(tmp, sessions.items())
            os.rename(tmp, self.parts_dir)
            _fsync_dir(self.parts_dir.parent)
            backup = self._single_file_backup()
            with contextlib.suppress(FileNotFoundError):
                backup.unlink()
            try:
                os.link(self.path, backup)
            except OSError:
                atomic_write(backup, self.path.read_bytes())
            rest = {name: table for name, table in data.items() if name != SESSIONS}
            rest[LAYOUT_TABLE] = {"1": {"layout": LAYOUT}}
            atomic_write(self.path, dump_tables(rest))  # the commit point
        except OSError as exc:
            raise StoreWriteError(f"{self.path}: converting to one file per year failed "
                                  f"({why(exc)}); the database is as it was before") from None
        del data, sessions
        self._open_main()

    def _single_file_backup(self) -> Path:
        return self.path.with_name(self.path.name + ".single-file")

    # -- lifecycle ------------------------------------------------------------------------
    def _lock_info_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock.json")

    def _remove_orphans(self) -> None:
        """Temporary files left by killed compactions and draft writes (we hold the lock)."""
        places = [(self.path.parent, self.path.name)]
        if self.drafts_dir.is_dir():
            places.append((self.drafts_dir, ""))
        if self.parts_dir.is_dir():
            places.append((self.parts_dir, ""))
        for folder, target in places:
            with contextlib.suppress(OSError):
                for entry in os.scandir(folder):
                    if target:
                        orphan = _is_temp_of(entry.name, target)
                    else:
                        orphan = entry.name.startswith(".") and entry.name.endswith(".tmp")
                    if orphan and entry.is_file(follow_symlinks=False):
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)

    def _take_lock(self, command: str | None) -> None:
        import filelock  # kept off the import path of read-only commands

        lock = filelock.FileLock(str(self.path.with_name(self.path.name + ".lock")), timeout=0)
        try:
            lock.acquire()
        except filelock.Timeout:
            holder = None
            with contextlib.suppress(OSError, ValueError):
                holder = json.loads(self._lock_info_path().read_text(encoding="utf-8"))
            raise StoreLocked(self.path, holder) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot take the write lock: {why(exc)}") from None
        self._lock = lock
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "command": command or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])[:200],
                "since": iso(now())}
        with contextlib.suppress(OSError):
            self._lock_info_path().write_text(json.dumps(info, ensure_ascii=False),
                                              encoding="utf-8")
        for stale in self.path.parent.glob(f"{self.parts_dir.name}.*.tmp"):
            from .archive import remove_tree  # a conversion killed before its rename

            remove_tree(stale)

    def _release_lock(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                self._lock_info_path().unlink()
            self._lock.release()
            self._lock = None

    @_locked
    def close(self) -> None:
        """Fold the journals into the files that changed, and release the lock.

        A compaction that fails (disk full) loses nothing, since every save is
        in a journal: it is added to `warnings` instead of raised.
        """
        try:
            if hasattr(self, "_archive") and not self.readonly and \
                    self._archive.entries >= CLOSE_COMPACT_ENTRIES:
                try:
                    self._compact_archive()
                except CompactionFailed as exc:
                    self.warnings.append(str(exc))
            if hasattr(self, "_db"):
                try:
                    self._db.close()
                except CompactionFailed as exc:
                    self.warnings.append(str(exc))
        finally:
            self._release_lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
            return
        with contextlib.suppress(StoreError):  # never hide the error in flight
            self.close()

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")

    # -- sessions -----------------------------------------------------------------------------
    def load(self) -> None:
        """Read the row index now (it is read on first use otherwise)."""
        with self._mutex:
            self._archive_call(self._archive.load)

    def load_progress(self) -> tuple[int, int]:
        """(years read, years) of the row index's first read, from any thread, without waiting."""
        return self._archive.progress

    def _archive_call(self, fn: Callable[..., Any], *args: Any) -> Any:
        from .archive import ArchiveCorrupt

        try:
            return fn(*args)
        except ArchiveCorrupt as exc:
            part = exc.path
            backups = [b for b in (part.with_name(f"{part.name}.bak{n}") for n in (1, 2, 3))
                       if b.exists()]
            raise StoreCorrupt(part, exc.problem, backups) from None

    def _put(self, docs: list[dict[str, Any]], delete: list[str] | None = None) -> None:
        try:
            self._archive_call(self._archive.put, docs, delete or [])
        except OSError as exc:
            raise StoreWriteError(f"{self.path}: the save failed ({why(exc)}): nothing was "
                                  "saved; the database is as it was before it") from None

    @_locked
    def save(self, session: Session) -> Session:
        """Insert or replace a session; durable when this returns."""
        self._writable()
        session.rev += 1
        session.updated_at = iso(now())
        session.seal()  # whatever callcheck saves is its own content: digest it
        try:
            self._put([session.to_doc()])
        except StoreWriteError:
            session.rev -= 1
            raise
        self._maybe_compact()
        return session

    @_locked
    def save_many(self, sessions: list[Session]) -> int:
        """Replace stored sessions in one durable write, each as `save` does (all or none)."""
        self._writable()
        self.load()
        missing = [s.id for s in sessions if s.id not in self._archive]
        if missing:
            raise SessionNotFound(missing[0])
        stamp = iso(now())
        for s in sessions:
            s.rev += 1
            s.updated_at = stamp
            s.seal()
        try:
            self._put([s.to_doc() for s in sessions])
        except StoreWriteError:
            for s in sessions:
                s.rev -= 1
            raise
        self._maybe_compact()
        return len(sessions)

    @_locked
    def insert_many(self, sessions: Iterable[Session]) -> int:
        """Add new sessions in one write: all of them are stored, or none."""
        self._writable()
        self.load()
        docs = []
        for s in sessions:
            if s.id in self._archive:
                raise StoreError(f"session {s.id} is already stored")
            docs.append(s.to_doc())
        if not docs:
            return 0
        self._put(docs)
        revived = {d["id"] for d in docs} & self.deleted_ids()
        if revived:
            with contextlib.suppress(StoreWriteError):
                self._deleted.remove(Query().id.one_of(sorted(revived)))
        self._maybe_compact()
        return len(docs)

    def _maybe_compact(self) -> None:
        """Fold a long journal into the year files; a failure here loses nothing.

        The save has already returned durable (it is in the journal), so a
        failed compaction is not reported as a failed save: it is retried at
        the next threshold and at close, which reports it.
        """
        if self._archive.entries >= COMPACT_ENTRIES:
            try:
                self._compact_archive()
            except CompactionFailed as exc:
                self.warnings.append(str(exc))

    def _compact_archive(self) -> None:
        from .archive import FoldFailed

        try:
            self._archive_call(self._archive.compact)
        except FoldFailed as exc:
            # Years are folded one by one (two at once in threads): some may be rewritten
            # before another fails. Each is replaced whole, and the journal is kept.
            said = [f"{label}: {', '.join(years)}" for label, years in
                    (("folded", exc.folded), ("not folded", exc.unfolded)) if years]
            raise CompactionFailed(
                f"{self.parts_dir}: compaction failed ({why(exc.cause)}); nothing is lost: "
                "every save is in its year file or still in the journal, and each year file "
                "holds either its old sessions or its new ones"
                + (f" ({'; '.join(said)})" if said else "")) from None
        except OSError as exc:
            raise CompactionFailed(f"{self.parts_dir}: compaction failed ({why(exc)}); nothing "
                                   "is lost: every save is in its journal and the year files "
                                   "are unchanged") from None

    @_locked
    def compact(self) -> None:
        self._writable()
        self._compact_archive()
        self._storage.compact()

    @_locked
    def get(self, session_id: str) -> Session:
        doc = self._archive_call(self._archive.get, session_id)
        if doc is None:
            raise SessionNotFound(session_id)
        try:
            problem = stored_problem(doc)
            if problem:
                raise ValueError(problem)
            return Session.from_doc(doc)
        except (CallcheckError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreError(f"session {session_id} is damaged and cannot be opened "
                             f"({type(exc).__name__}: {str(exc)[:200]})") from None

    @_locked
    def find(self, prefix: str) -> Session:
        """The session whose id starts with `prefix` (as `callcheck list` shows them)."""
        prefix = prefix.strip().lower()
        if not prefix:
            raise SessionNotFound(prefix, "give a session id")
        self.load()
        matches = [sid for sid in self._archive.ids() if sid.startswith(prefix)]
        if not matches:
            hurt = [(sid, why) for sid, why in self._archive.damaged() if sid.startswith(prefix)]
            if len(hurt) == 1:
                raise SessionNotFound(prefix, f"session {hurt[0][0]} is damaged and cannot be "
                                      f"shown ({hurt[0][1]}); `callcheck delete "
                                      f"{hurt[0][0]} --yes` removes it")
            raise SessionNotFound(prefix)
        if len(matches) > 1:
            raise SessionNotFound(prefix, f"{prefix!r} matches {len(matches)} sessions; "
                                  "give more of the id")
        return self.get(matches[0])

    @_locked
    def __contains__(self, session_id: object) -> bool:
        self.load()
        return session_id in self._archive

    @_locked
    def rows(self) -> list[Row]:
        """The row index: one short record per session (no documents are read)."""
        self.load()
        return self._archive.rows()

    def iter_raw(self, ids: Iterable[str]) -> Iterator[bytes]:
        """Each session's stored JSON bytes, in the order of `ids` (sorted by time: streams)."""
        self.load()
        it = self._archive.iter_raw(list(ids))
        while True:
            with self._mutex:
                try:
                    body = self._archive_call(next, it)
                except StopIteration:
                    return
            yield body

    def iter_docs(self, ids: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
        """Session documents one at a time (all of them by test time, without `ids`)."""
        if ids is None:
            ids = [r.id for r in sorted(self.rows(), key=lambda r: (r.at, r.id))]
        for body in self.iter_raw(ids):
            yield json.loads(body)

    def docs(self) -> list[dict[str, Any]]:
        """Every stored session document (reads them all: prefer `rows()` or `iter_docs()`)."""
        return list(self.iter_docs())

    def iter_sessions(self) -> Iterator[Session]:
        for doc in self.iter_docs():
            yield Session.from_doc(doc)

    def all(self) -> list[Session]:
        return sorted(self.iter_sessions(), key=lambda s: s.at)

    @_locked
    def count(self) -> int:
        self.load()
        return self._archive.count()

    @_locked
    def delete(self, session_id: str) -> None:
        """Delete a session (a damaged one too, by the id `damaged()` lists)."""
        self._writable()
        if session_id not in self:
            try:
                found = self._archive_call(self._archive.delete_damaged, session_id)
            except OSError as exc:
                raise StoreWriteError(f"{self.path}: the deletion failed ({why(exc)}); the "
                                      "database is as it was before it") from None
            if not found:
                raise SessionNotFound(session_id)
            return
        self._put([], [session_id])
        self.discard_draft(session_id)  # a deleted session is not offered for resuming
        with contextlib.suppress(StoreWriteError):  # the deletion itself is done
            self._deleted.insert({"id": session_id, "at": iso(now())})
        self._maybe_compact()

    @_locked
    def deleted_ids(self) -> set[str]:
        """Sessions deleted from this database (their tombstones)."""
        table = (self._storage.read() or {}).get(DELETED, {})
        return {str(d["id"]) for d in table.values() if isinstance(d, dict) and d.get("id")}

    @_locked
    def pending(self) -> list[Session]:
        """Sessions waiting for their retest, soonest due first (read without the whole
        row index: home shows these before anything else is read)."""
        found = []
        for doc in self._archive_call(self._archive.pending_docs):
            if stored_problem(doc) is None:
                with contextlib.suppress(CallcheckError, KeyError, TypeError, ValueError):
                    found.append(Session.from_doc(doc))
        return sorted(found, key=lambda s: s.due_at or "")

    # -- drafts: calls in progress ------------------------------------------------------------
    def _draft_path(self, session_id: str) -> Path:
        if not session_id or "/" in session_id or session_id.startswith("."):
            raise StoreError(f"bad session id {session_id!r}")
        return self.drafts_dir / f"{session_id}.json"

    @_locked
    def save_draft(self, session: Session) -> None:
        """Save a call in progress: one small atomic file, whatever the history's size."""
        self._writable()
        session.updated_at = iso(now())
        data = json.dumps(session.to_doc(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            self.drafts_dir.mkdir(exist_ok=True)
            atomic_write(self._draft_path(session.id), data)
        except OSError as exc:
            raise StoreWriteError(f"the draft of {session.id} was not saved: {why(exc)}; "
                                  "the previous draft is kept") from None

    @_locked
    def drafts(self) -> list[Session]:
        """Drafts left by a quit or a crash, newest first (unreadable ones are skipped)."""
        if not self.drafts_dir.is_dir():
            return []
        found = []
        for f in self.drafts_dir.glob("*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError, CallcheckError):
                found.append(Session.from_doc(json.loads(f.read_text(encoding="utf-8"))))
        return sorted(found, key=lambda s: s.updated_at, reverse=True)

    @_locked
    def discard_draft(self, session_id: str) -> None:
        self._writable()
        with contextlib.suppress(FileNotFoundError):
            self._draft_path(session_id).unlink()
            _fsync_dir(self.drafts_dir)

    @_locked
    def commit(self, session: Session) -> Session:
        """Store a session (finished or pending its retest) and drop its draft."""
        self.save(session)
        self.discard_draft(session.id)
        return session

    # -- settings ---------------------------------------------------------------------------
    @_locked
    def get_setting(self, key: str, default: Any = None) -> Any:
        found = self._settings.get(Query().key == key)
        return default if found is None else found.get("value", default)

    @_locked
    def set_setting(self, key: str, value: Any) -> None:
        self._writable()
        self._settings.upsert({"key": key, "value": value}, Query().key == key)


__all__ = [
    "SCHEMA_VERSION", "CompactionFailed", "SessionNotFound", "Store", "StoreCorrupt",
    "StoreError", "StoreLocked", "StoreWriteError", "atomic_write", "database_files",
    "default_db_path", "is_database_file", "why",
]
