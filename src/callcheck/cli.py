"""The `callcheck` command: the app by default, and the commands beside it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from . import __version__
from .dates import TZ, iso, now, parse_date, parse_datetime
from .errors import CallcheckError, InputError, RubricError
from .i18n import DEFAULT_LANG, Lang, parse_lang
from .launch import collect_again
from .locations import DbLocation, legacy_db, locate_db
from .observations import parse_observations, unfit_json
from .rubric import (
    Rubric,
    default_rubrics_dir,
    load_rubric,
    load_rubrics,
    rubric_files,
    rubric_titles,
)
from .scoring import score
from .session import Session, revise, session_from_observations
from .store import SessionNotFound, Store, is_database_file
from .text import PrintableWriter, json_text
from .words import pad, status_word, tr, width

EXIT_OK = 0
EXIT_ERROR = 1
"""Bad input, a refused rubric, a database that cannot be used."""
EXIT_USAGE = 2
"""Wrong command-line words (argparse's own code)."""
EXIT_PIPE = 141
"""The output's reader closed the pipe (128 + SIGPIPE, as other command-line tools)."""


def _silence(out: TextIO) -> None:
    """Point a closed stdout at /dev/null so that the interpreter's last flush says nothing."""
    try:
        fd = out.fileno()
    except (OSError, ValueError, AttributeError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


RULES = {"--db": "given with --db", "env": "from $CALLCHECK_DB",
         "project": "the project's sessions/ folder", "user": "the per-user data folder"}
"""How each rule of `locations.locate_db` is named to the user."""


class _Version(argparse.Action):
    """`--version`: the version, and the database this command would open."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and the database")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        loc = locate_db(getattr(namespace, "db", None))
        sys.stdout.write(f"callcheck {__version__}\ndatabase: {loc.path} ({RULES[loc.rule]})\n")
        parser.exit(0)


def older_db(loc: DbLocation) -> Path | None:
    """A database where callcheck looked before (./sessions/), when no path was named."""
    return legacy_db(loc.path) if loc.rule in ("project", "user") else None


def db_notices(loc: DbLocation, created: bool) -> list[str]:
    """What the user must hear about the database: a new one was made; an old one is elsewhere."""
    notices = [f"created a new database at {loc.path}"] if created else []
    if (old := older_db(loc)) is not None:
        notices.append(f"a database is also at {old}, where callcheck used to look (under "
                       f"the working folder); to use it: callcheck --db {old}")
    return notices


def _lang(value: str) -> Lang:
    try:
        return parse_lang(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="callcheck",
        description="Time and score mystery calls to public agencies' telephone service "
                    "(電話禮貌), and the registration and petition forms beside them. "
                    "Without a command, opens the app.",
        epilog="Exit status: 0 success, 1 bad input or unusable data, 2 wrong usage.",
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument("--lang", type=_lang, default=None, metavar="zh|en",
                        help="language of the app and of notes (default: zh, or $CALLCHECK_LANG)")
    parser.add_argument("--rubrics", metavar="DIR", default=None,
                        help="folder of rubric files (default: the bundled rubrics/)")
    parser.add_argument("--db", metavar="PATH", default=None,
                        help="the session database (default: $CALLCHECK_DB, else the "
                             "project's sessions/callcheck.json, else the per-user data "
                             "folder's; --version shows which)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_rub = sub.add_parser("rubrics", help="list the rubrics with their totals, or check files",
                           description="List the rubrics with their totals; "
                                       "`rubrics check [FILE…]` validates rubric files.")
    rub_sub = p_rub.add_subparsers(dest="rubrics_command", metavar="SUBCOMMAND")
    p_check = rub_sub.add_parser("check", help="validate rubric files (default: all bundled)",
                                 description="Validate rubric files; each problem names the "
                                             "file, the item and the field.")
    p_check.add_argument("files", nargs="*", metavar="FILE")

    p_score = sub.add_parser(
        "score", help="score an observations file (JSON) and print the result as JSON",
        description="Score an observations file (docs/scoring.md §4) without the app. Prints the "
                    "result as JSON on stdout; on bad input prints nothing on stdout, names "
                    "the field on stderr and exits 1.")
    p_score.add_argument("file", metavar="FILE", help="observations file, or - for stdin")
    p_score.add_argument("--save", action="store_true",
                         help="also store the scored session in the database as finished")

    p_list = sub.add_parser("list", help="print the stored sessions, one a line",
                            description="Print the stored sessions, one a line: id, test "
                                        "time, form, status, score, agency / unit, tester.")
    p_list.add_argument("--rubric", metavar="R", help="only this form")
    p_list.add_argument("--status", choices=("draft", "pending_retest", "finished"))

    sub.add_parser("pending", help="list sessions waiting for their retest, with due times",
                   description="List sessions whose switchboard did not answer, with the time "
                               "the retest is due (Asia/Taipei) and whether it is due now.")

    p_show = sub.add_parser("show", help="print one session as JSON")
    p_show.add_argument("id", metavar="ID", help="session id or a unique prefix of it")

    p_del = sub.add_parser("delete", help="delete a session (needs --yes)")
    p_del.add_argument("id", metavar="ID", help="session id or a unique prefix of it")
    p_del.add_argument("--yes", action="store_true", help="confirm the deletion")

    p_edit = sub.add_parser(
        "edit", help="change a finished session, with a reason (kept in its revisions)",
        description="Change answers, notes, not-applicable reasons or header fields of a "
                    "session. The session is re-scored; the old values are kept in a revision "
                    "with the reason. VALUE is JSON (true, 8, {\"branch\": \"乙\", "
                    "\"points\": 12}, null to remove) or plain text.",
        epilog="example: callcheck edit 70a7 --set answers.1.3.1=false "
               "--set notes.1.3.1=未報單位 --reason 重聽錄音後更正")
    p_edit.add_argument("id", metavar="ID", help="session id or a unique prefix of it")
    p_edit.add_argument("--set", dest="changes", action="append", required=True,
                        metavar="FIELD=VALUE",
                        help="answers.ID, notes.ID, na.ID or header.FIELD (repeatable)")
    p_edit.add_argument("--reason", required=True, help="why (required, kept in the revision)")
    p_edit.add_argument("--by", default=None, help="who (default: $USER)")

    p_exp = sub.add_parser("export", help="export sessions as JSON or CSV",
                           description="Export sessions: JSON (full sessions, format version "
                                       "1, see schemas/export-v1.schema.json) or CSV (a row "
                                       "per session: each item's points, then each phase's rings "
                                       "and seconds, then notes and not-applicable reasons; "
                                       "for Excel).")
    p_exp.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p_exp.add_argument("--format", choices=("json", "csv"), default=None,
                       help="default: from the file name's ending, else json")
    p_exp.add_argument("--rubric", metavar="R", help="only this form")
    p_exp.add_argument("--since", metavar="DATE", help="tested on or after (YYYY-MM-DD)")
    p_exp.add_argument("--until", metavar="DATE", help="tested on or before (YYYY-MM-DD)")
    p_exp.add_argument("--unit", metavar="U", help="only this business unit")

    p_imp = sub.add_parser("import", help="merge JSON exports from other testers' machines",
                           description="Merge JSON exports: every session is checked "
                                       "(times, marks, rubric by id, version and SHA-256, "
                                       "answers, and its result scored again); one invalid "
                                       "session means nothing is written (see --skip-invalid). "
                                       "Sessions already stored are skipped, conflicting "
                                       "copies reported and not overwritten, sessions deleted "
                                       "here earlier listed and not brought back.")
    p_imp.add_argument("files", nargs="+", metavar="FILE")
    p_imp.add_argument("--skip-invalid", action="store_true",
                       help="import the valid sessions and list the invalid ones (without it, "
                            "one invalid session means nothing is imported)")
    p_imp.add_argument("--restore-deleted", action="store_true",
                       help="bring back sessions deleted from this database earlier (without "
                            "it they are listed and stay deleted)")
    p_imp.add_argument("--accept-modified", action="store_true",
                       help="import finished sessions whose content does not match their "
                            "digest, marked by a revision (refused otherwise)")

    p_print = sub.add_parser(
        "print", help="write the filled forms as one print-ready HTML file",
        description="Write finished sessions as the appendix's forms (附表), one per A4 page, "
                    "in one self-contained HTML file (no scripts, nothing fetched). Choose "
                    "sessions by id (or a unique prefix) and/or by a filter.")
    p_print.add_argument("ids", nargs="*", metavar="ID", help="session id or unique prefix")
    p_print.add_argument("--draft", action="store_true",
                         help="also print sessions not finished, marked 草稿")
    _html_output(p_print, "callcheck-forms-YYYYMMDD-HHMM.html")
    _filters(p_print)

    p_report = sub.add_parser(
        "report", help="write the period report for the admin office (HTML)",
        description="Write one HTML report over the finished sessions of a period: per unit "
                    "and form the number of tests and the mean, lowest and highest score; the "
                    "trend by month (by quarter over 18 months) as a chart; every item ranked "
                    "by points lost, overall and per unit; unanswered and retest counts; the "
                    "sessions, linked to their forms (written beside the report as "
                    "NAME-forms.html unless --no-forms).")
    p_report.add_argument("--no-forms", action="store_true",
                          help="do not write the sessions' forms beside the report")
    _html_output(p_report, "callcheck-report-YYYYMMDD-HHMM.html")
    _filters(p_report)

    p_verify = sub.add_parser(
        "verify", help="check every finished session against its content digest",
        description="Recompute the content digest of every finished session and report, by "
                    "id, each one whose stored content no longer matches (changed outside "
                    "callcheck). Exit 1 if any. Sessions finished before callcheck had digests "
                    "are counted apart as unsealed (exit 0): their content cannot be checked.")
    p_verify.add_argument("--seal", action="store_true",
                          help="seal the unsealed sessions now, each marked by a revision "
                               "(the seal vouches for their content from now on, not before)")

    sub.add_parser("demo", help="open the app on a throwaway database of demo sessions",
                   description="Open the app on a temporary database filled with a few dozen "
                               "realistic sessions of all three forms. The real database is "
                               "never touched; the demo one is deleted on exit.")
    return parser


def _html_output(p: argparse.ArgumentParser, default_name: str) -> None:
    """The options of a command that writes an HTML file (print, report)."""
    p.add_argument("-o", "--output", metavar="PATH", help=f"write here (default: {default_name})")
    p.add_argument("--open", action="store_true", help="open the file in the default browser")
    p.add_argument("--lang", type=_lang, default=argparse.SUPPRESS, metavar="zh|en",
                   help="en puts the English labels beside the Chinese")


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", metavar="U", help="only this business unit")
    p.add_argument("--rubric", metavar="R", help="only this form")
    p.add_argument("--since", metavar="DATE", help="tested on or after (YYYY-MM-DD)")
    p.add_argument("--until", metavar="DATE", help="tested on or before (YYYY-MM-DD)")


def _print_error(prog: str, exc: Exception, err: TextIO) -> None:
    print(f"{prog}: error: {exc}", file=err)


def _read_json(source: str, stdin: TextIO) -> Any:
    """JSON from a file or stdin: only UTF-8, only finite numbers, never a traceback."""
    name = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            raw = getattr(stdin, "buffer", None)
            text = raw.read().decode("utf-8") if raw is not None else stdin.read()
        else:
            text = Path(source).read_text(encoding="utf-8")
    except IsADirectoryError:
        raise InputError("", f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError("", f"{name}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError("", f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})") \
            from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("", f"{name}: not valid JSON: line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None
    except RecursionError:
        raise InputError("", f"{name}: nested too deeply to be an observations file") from None
    except ValueError as exc:
        raise InputError("", f"{name}: not usable JSON: {str(exc)[:120]}") from None
    found = unfit_json(data)
    if found:
        raise InputError(found[0], f"{name}: {found[1]}")
    return data


def _rubric_for(rubrics: dict[str, Rubric], rubric_id: str) -> Rubric:
    if rubric_id not in rubrics:
        raise InputError("rubric", f"unknown rubric {rubric_id!r} "
                         f"(known: {', '.join(rubrics)})")
    return rubrics[rubric_id]


def cmd_rubrics(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    lang: Lang = args.lang
    if args.rubrics_command == "check":
        files = [Path(f) for f in args.files] or rubric_files(args.rubrics)
        failed = 0
        for f in files:
            try:
                r = load_rubric(f)
            except RubricError as exc:
                failed += 1
                print(f"FAIL {exc}", file=err)
            else:
                print(f"ok   {f}: {r.id} {r.version}, {len(r.items)} items, {r.max} points",
                      file=out)
        return EXIT_ERROR if failed else EXIT_OK
    rubrics = load_rubrics(args.rubrics)
    width = max(len(r) for r in rubrics)
    for r in rubrics.values():
        print(f"{r.id:<{width}}  {r.version:<6} {r.max:>3} points  {len(r.items):>2} items  "
              f"{r.title.get(lang)}", file=out)
    return EXIT_OK


def cmd_score(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO) -> int:
    data = _read_json(args.file, stdin)
    try:
        obs = parse_observations(data)
    except InputError as exc:
        if exc.field:
            raise
        raise InputError("", f"{'<stdin>' if args.file == '-' else args.file}: "
                         f"{exc.message}") from None
    rubrics = load_rubrics(args.rubrics)
    rubric = _rubric_for(rubrics, obs.rubric)
    result = score(rubric, obs)
    if args.save:
        session = session_from_observations(rubric, obs, result)
        with _open_store(args) as store:
            store.save(session)
        print(f"saved as session {session.id}", file=err)
    out.write(json_text(result.as_json(args.lang), indent=2))
    out.write("\n")
    return EXIT_OK


def _db_path(args: argparse.Namespace) -> Path:
    args.db_used = True
    return Path(args.db) if args.db else locate_db().path


def _exists(path: Path) -> bool:
    return path.exists() or path.with_name(path.name + ".journal").exists()


_OPENED: list[Store] = []
"""Stores opened by this command: their warnings are printed when it ends."""


def _open_store(args: argparse.Namespace, readonly: bool = False) -> Store:
    path = _db_path(args)
    existed = readonly or _exists(path)
    store = Store(path, readonly=readonly, command=f"callcheck {args.command or ''}",
                  progress=lambda text: print(f"callcheck: {text}", flush=True,
                                              file=getattr(args, "err", None) or sys.stderr))
    _OPENED.append(store)
    if not existed and args.db_location.path == path:
        args.db_created = True
    return store


def _reader(args: argparse.Namespace, err: TextIO | None = None) -> Store | None:
    """The database opened for reading (without the write lock), or None when there is none.
    Given `err`, the stored documents set aside as damaged are listed there with the reason."""
    path = _db_path(args)
    if not path.exists() and not path.with_name(path.name + ".journal").exists():
        return None
    store = _open_store(args, readonly=True)
    if err is not None:
        try:
            for sid, why in store.damaged():
                print(f"damaged: session {sid}: {why} (left as it is; fix it in the file, or "
                      f"`callcheck delete {sid} --yes`)", file=err)
        except BaseException:
            store.close()
            raise
    return store


def _read_docs(args: argparse.Namespace, err: TextIO | None = None) -> list[dict[str, Any]]:
    """Every stored session document, read without the write lock (all in memory). Damaged
    ones (that cannot be shown) are left out and, given `err`, listed there."""
    store = _reader(args, err)
    if store is None:
        return []
    with store:
        return list(store.iter_docs())


def _read_all_docs(args: argparse.Namespace) -> list[dict[str, Any]]:
    """`_read_docs` for verify at 10,000 sessions: every document, by test time, read as
    `_decode_docs` does."""
    store = _reader(args)
    if store is None:
        return []
    with store:
        return _decode_docs(store, [r.id for r in sorted(store.rows(),
                                                         key=lambda r: (r.at, r.id))])


def _decode_docs(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The documents of `ids` from the store's raw bytes, decoded by msgspec (about twice
    as fast as `json`, which still reads any document msgspec refuses), without the
    garbage collector walking the growing list again and again."""
    import gc

    import msgspec

    decode = msgspec.json.Decoder().decode
    docs: list[dict[str, Any]] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for body in store.iter_raw(ids):
            try:
                doc = decode(body)
            except msgspec.DecodeError:
                doc = json.loads(body)
            docs.append(doc)
    finally:
        if collecting:
            gc.enable()
    return docs


def _score_text(score: float | None) -> str:
    return "    —" if score is None else f"{score:5.1f}"


def _draft_rows(store: Store) -> list[Any]:
    """Index rows of the calls and forms in progress that are not stored yet (status
    `draft`; a retest in progress shows as its stored pending session)."""
    from .archive import index_row

    stored = {r.id for r in store.rows()}
    return [index_row({**s.to_doc(), "status": "draft"}) for s in store.drafts()
            if s.id not in stored]


def _find_draft(store: Store, prefix: str) -> Session:
    """The draft (not stored yet) whose id starts with `prefix`."""
    prefix = prefix.strip().lower()
    found = [s for s in store.drafts() if prefix and s.id.startswith(prefix)]
    if len(found) != 1:
        raise SessionNotFound(prefix) if not found else SessionNotFound(
            prefix, f"{prefix!r} matches {len(found)} drafts; give more of the id")
    return found[0]


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """One line per session from the row index, written as they are formatted."""
    from .export import Selection, select_rows

    store = _reader(args, err)
    if store is None:
        return EXIT_OK
    with store:
        rows = select_rows([*store.rows(), *_draft_rows(store)],
                           Selection(rubric=args.rubric, status=args.status))
    lines = []
    lang: Lang = args.lang
    columns = 22 if lang == "en" else 8
    statuses: dict[str, str] = {}  # status → its padded word, worked out once
    titles = {rid: t.get(lang) for rid, t in rubric_titles(args.rubrics).items()}
    form_columns = max([12, *(width(t) for t in titles.values())])
    forms = {rid: pad(t, form_columns) for rid, t in titles.items()}  # the form as titled
    for n, r in enumerate(rows, 1):
        where = " / ".join(x for x in (r.agency, r.unit) if x)
        status = statuses.get(r.status)
        if status is None:
            status = statuses[r.status] = pad(status_word(r.status, lang), columns)
        form = forms.get(r.rubric)
        if form is None:  # a form without a rubric file here: its id
            form = forms[r.rubric] = pad(r.rubric, form_columns)
        lines.append(f"{r.id[:8]}  {r.at[:16].replace('T', ' ')}  {form} "
                     f"{status} {_score_text(r.score)}  {where}  {r.tester}".rstrip())
        if n % 2000 == 0:
            out.write("\n".join(lines) + "\n")
            lines = []
    if lines:
        out.write("\n".join(lines) + "\n")
    return EXIT_OK


def cmd_pending(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    store = _reader(args, err)
    if store is None:
        return EXIT_OK
    with store:
        rows = [r for r in store.rows() if r.status == "pending_retest"]
    current = now()
    lang: Lang = args.lang
    for r in sorted(rows, key=lambda r: r.due_at or ""):
        due = parse_datetime(r.due_at).in_timezone(TZ) if r.due_at else None
        if due is None or due <= current:
            state = tr("home.due_now", lang)
        else:
            left = int((due - current).total_seconds())
            state = tr("cli.due_in", lang, wait=f"{left // 60}:{left % 60:02d}")
        where = " / ".join(x for x in (r.agency, r.unit) if x)
        when = due.format("YYYY-MM-DD HH:mm:ss Z") if due else "?"
        print(f"{r.id[:8]}  {tr('cli.retest_at', lang, time=when)}  {pad(state, 14)} "
              f"{where}  {r.number}".rstrip(), file=out)
    return EXIT_OK


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    with _open_store(args, readonly=True) as store:
        session = store.find(args.id)
    out.write(json_text(session.to_doc(), indent=2))
    out.write("\n")
    return EXIT_OK


def cmd_delete(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _open_store(args) as store:
        try:
            session, draft = store.find(args.id), False
        except SessionNotFound:
            session, draft = _find_draft(store, args.id), True
        h = session.header
        kind = f", {status_word('draft', args.lang)}" if draft else ""
        label = f"{session.id} ({session.rubric}{kind}, " \
                f"{h.get('agency', '')} {h.get('unit', '')}, {session.at})"
        if not args.yes:
            print(f"callcheck delete: {tr('cli.would_delete', args.lang, label=label)}",
                  file=err)
            return EXIT_ERROR
        if draft:
            store.discard_draft(session.id)
        else:
            store.delete(session.id)
    print(tr("cli.deleted", args.lang, label=label), file=out)
    return EXIT_OK


def _parse_change(text: str) -> tuple[str, Any]:
    field, sep, raw = text.partition("=")
    if not sep or not field.strip():
        raise InputError("--set", f"{text!r}: expected FIELD=VALUE, e.g. answers.1.3.1=false")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    if field.strip().startswith(("notes.", "header.", "na.")) and not isinstance(value, str) \
            and value is not None:
        value = raw
    return field.strip(), value


def cmd_edit(args: argparse.Namespace, out: TextIO) -> int:
    changes = dict(_parse_change(c) for c in args.changes)
    rubrics = load_rubrics(args.rubrics)
    by = args.by or os.environ.get("USER") or os.environ.get("USERNAME") or ""
    with _open_store(args) as store:
        session = store.find(args.id)
        rubric = _rubric_for(rubrics, session.rubric)
        revised = revise(rubric, session, changes, args.reason, by)
        store.save(revised)
    total = (revised.result or {}).get("total") or {}
    print(tr("cli.revised", args.lang, id=revised.id, n=len(revised.revisions[-1].changes),
               score=total.get("score")), file=out)
    return EXIT_OK


def _date_arg(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise InputError(name, str(exc)) from None


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import Selection, atomic_output, select_rows

    fmt = args.format or ("csv" if args.output and args.output.lower().endswith(".csv")
                          else "json")
    selection = Selection(rubric=args.rubric, since=_date_arg(args.since, "--since"),
                          until=_date_arg(args.until, "--until"), unit=args.unit)
    rubrics = load_rubrics(args.rubrics)
    if selection.rubric and selection.rubric not in rubrics:
        raise InputError("--rubric", f"unknown rubric {selection.rubric!r} "
                         f"(known: {', '.join(rubrics)})")
    if args.output and is_database_file(_db_path(args), args.output):
        raise InputError("--output", f"{args.output} is part of the database "
                         f"{_db_path(args)} (its main file, journal, backups, lock or "
                         "drafts, year files); choose another file name")
    store = _reader(args, err)
    with contextlib.ExitStack() as stack:
        if store is not None:
            stack.enter_context(store)
        rows = select_rows(store.rows(), selection) if store is not None else []
        if args.output:
            try:
                with atomic_output(Path(args.output)) as f:
                    n = _export(store, rows, f, fmt, rubrics, selection)
            except OSError as exc:
                raise InputError("--output", f"{args.output}: cannot write: "
                                 f"{exc.strerror or exc}") from None
            print(f"exported {n} sessions to {args.output}", file=err)
        else:
            buffer = getattr(out, "buffer", None)
            if buffer is not None:
                out.flush()
                _export(store, rows, buffer, fmt, rubrics, selection, bom=False)
                buffer.flush()
            else:  # a text stream without bytes underneath (tests)
                import io

                tmp = io.BytesIO()
                _export(store, rows, tmp, fmt, rubrics, selection, bom=False)
                out.write(tmp.getvalue().decode("utf-8"))
    return EXIT_OK


def _export(store: Store | None, rows: list[Any], out: Any, fmt: str,
            rubrics: dict[str, Rubric], selection: Any, bom: bool = True) -> int:
    from .export import export_rows

    return export_rows(store, rows, out, fmt, rubrics, selection, bom=bom)


IMPORT_PROGRESS_FROM = 2000
"""A file of this many sessions or more reports its checking's progress (every 1,000)."""


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import import_files

    rubrics = load_rubrics(args.rubrics)

    def progress(path: Path, done: int, total: int) -> None:
        if total >= IMPORT_PROGRESS_FROM:
            print(f"checking {path}: {done} of {total} sessions", file=err, flush=True)

    with _open_store(args) as store:
        report = import_files(store, [Path(f) for f in args.files],
                              accept_modified=args.accept_modified, rubrics=rubrics,
                              skip_invalid=args.skip_invalid,
                              restore_deleted=args.restore_deleted, progress=progress)
    for where, why in report.invalid:
        print(f"invalid: {where}: {why}; skipped", file=err)
    for sid, files in report.duplicates:
        print(f"invalid: session {sid} is given twice with different content ({files}); "
              "neither copy was imported", file=err)
    for sid in report.deleted:
        print(f"deleted: session {sid} was deleted from this database earlier; not brought "
              "back (--restore-deleted brings it back)", file=err)
    for sid in report.modified:
        print(f"modified: session {sid} did not match its digest; imported and marked",
              file=err)
    for sid, path in report.conflicts:
        print(f"conflict: session {sid} from {path} differs from the stored copy; "
              "the stored copy was kept", file=err)
    print(report.summary(args.lang), file=out)
    return EXIT_OK


def _output_path(value: str | None, stem: str) -> Path:
    if value:
        return Path(value)
    return Path(f"{stem}-{now().strftime('%Y%m%d-%H%M')}.html")


def _write_document(path: Path, text: str) -> None:
    from .store import atomic_write

    if path.is_dir():
        raise InputError("--output", f"{path}: is a folder; give a file name")
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as exc:
        raise InputError("--output", f"{path}: cannot write: {exc.strerror or exc}; "
                         "nothing was written") from None


def _selection(args: argparse.Namespace, rubrics: dict[str, Rubric]) -> Any:
    from .export import Selection

    selection = Selection(rubric=args.rubric, since=_date_arg(args.since, "--since"),
                          until=_date_arg(args.until, "--until"), unit=args.unit)
    if selection.rubric and selection.rubric not in rubrics:
        raise InputError("--rubric", f"unknown rubric {selection.rubric!r} "
                         f"(known: {', '.join(rubrics)})")
    return selection


def cmd_print(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .printing import PrintError, render_forms

    rubrics = load_rubrics(args.rubrics)
    selection = _selection(args, rubrics)
    filtered = bool(selection.as_dict())
    if not args.ids and not filtered:
        raise InputError("ID", "give session ids, or a filter (--unit, --rubric, --since, "
                               "--until) to print every finished session it matches")
    with _open_store(args, readonly=True) as store:
        if args.ids:
            chosen = [store.find(i) for i in args.ids]
            sessions = [s for s in chosen if selection.matches(s.to_doc())]
            if not sessions:
                raise PrintError(f"none of the {len(chosen)} sessions given matches the filter "
                                 f"{selection.as_dict()}")
        else:
            from .export import select_rows

            chosen_rows = select_rows(store.rows(), selection)  # the index, then those only
            docs = list(store.iter_docs([r.id for r in chosen_rows]))
            if not args.draft:
                docs = [d for d in docs if d.get("status") == "finished"]
            if not docs:
                raise PrintError(f"no {'' if args.draft else 'finished '}session matches the "
                                 f"filter {selection.as_dict()}")
            sessions = [Session.from_doc(d) for d in docs]
    html, forms = render_forms(sessions, rubrics, lang=args.lang, draft=args.draft)
    path = _output_path(args.output, "callcheck-forms")
    _write_document(path, html)
    print(f"printed {len(forms)} form(s) to {path}", file=err)
    if args.open:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
    return EXIT_OK


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import select_rows
    from .printing import PrintError, render_forms
    from .report import build_report, render_report
    from .session import Session

    rubrics = load_rubrics(args.rubrics)
    selection = _selection(args, rubrics)
    store = _reader(args)
    docs: list[dict[str, Any]] = []
    if store is not None:
        with store:  # the row index chooses; only the chosen sessions are read
            chosen = [r.id for r in select_rows(store.rows(), selection)
                      if r.status == "finished"]
            docs = _decode_docs(store, chosen)
    if not docs:
        raise PrintError(f"no finished session matches the filter {selection.as_dict() or '(none)'}"
                         "; nothing was written")
    report = build_report(docs, rubrics, selection.since, selection.until)
    path = _output_path(args.output, "callcheck-report")
    forms_path = None if args.no_forms else path.with_name(f"{path.stem}-forms.html")
    text = render_report(report, rubrics, args.lang,
                         forms_href=forms_path.name if forms_path else None)
    if forms_path is not None:
        forms_html, _ = render_forms([Session.from_doc(d) for d in docs], rubrics, args.lang)
        _write_document(forms_path, forms_html)
    try:
        _write_document(path, text)
    except InputError:
        if forms_path is not None:
            forms_path.unlink(missing_ok=True)  # all or nothing
        raise
    extra = f" and {len(docs)} form(s) to {forms_path}" if forms_path else ""
    print(f"report over {len(docs)} session(s) written to {path}{extra}", file=err)
    if args.open:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
    return EXIT_OK


SEAL_BY = "callcheck verify --seal"
SEAL_REASON = ("補加內容摘要：本紀錄完成於內容摘要啟用之前，"
               "自此次封存起受摘要保護（不證明此前未經更動）")
"""The revision that seals a session finished before digests existed."""


def cmd_verify(args: argparse.Namespace, out: TextIO) -> int:
    from .digest import content_digest, unsealed, verify
    from .session import Revision, Session

    lang: Lang = args.lang
    docs = _read_all_docs(args)
    found = verify(docs)
    by_id = {d["id"]: d for d in docs}
    for m in found.bad:
        h = by_id[m.id].get("header", {})
        where = " / ".join(x for x in (h.get("agency"), h.get("unit")) if x)
        print(f"{m.describe()}  [{by_id[m.id].get('rubric', '')} {h.get('at', '')} {where}]"
              .rstrip(), file=out)
    if found.unsealed and args.seal:
        stamp = iso(now())
        sealed = []
        with _open_store(args) as store:
            # Read again under the write lock: only what is still unsealed is sealed.
            for doc in store.iter_docs(found.unsealed):
                if not unsealed(doc):
                    continue
                session = Session.from_doc(json.loads(json.dumps(doc)))
                session.revisions.append(Revision(stamp, SEAL_BY, SEAL_REASON, [
                    {"field": "digest", "old": None, "new": content_digest(doc)}]))
                sealed.append(session)
            store.save_many(sealed)
        for s in sealed:
            print(tr("cli.sealed", lang, id=s.id, digest=s.digest), file=out)
        print(tr("cli.sealed_count", lang, n=len(sealed)), file=out)
    elif found.unsealed:
        print(tr("cli.unsealed", lang, n=len(found.unsealed)), file=out)
    if found.bad:
        print(tr("cli.verify_bad", lang, bad=len(found.bad), checked=found.checked),
              file=out)
        return EXIT_ERROR
    if found.checked or not (found.unsealed and args.seal):
        print(tr("cli.verify_ok", lang, checked=found.checked), file=out)
    return EXIT_OK


def run_demo(args: argparse.Namespace, err: TextIO) -> int:
    import tempfile

    from .demo import fill_store

    rubrics = load_rubrics(args.rubrics)
    with tempfile.TemporaryDirectory(prefix="callcheck-demo-") as tmp:
        args.db = str(Path(tmp) / "demo.json")
        args.db_location = DbLocation(Path(args.db), "--db")
        with _open_store(args) as store:
            n = fill_store(store, rubrics)
        print(f"demo: {n} sessions in a throwaway database at {args.db}", file=err)
        return run_app(args)


def run_app(args: argparse.Namespace) -> int:
    from .ui.app import CallcheckApp

    rubrics = load_rubrics(args.rubrics)
    with _open_store(args) as store:
        app = CallcheckApp(store=store, rubrics=rubrics, lang=args.lang,
                           db_created=args.db_created, older_db=older_db(args.db_location))
        app.run()
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None, stdin: TextIO | None = None) -> int:
    # Everything printed shows control characters visibly (a stored "\x1b[2J" never
    # reaches the terminal as an escape); JSON output escapes them itself.
    out = cast(TextIO, PrintableWriter(out or sys.stdout))
    err = cast(TextIO, PrintableWriter(err or sys.stderr))
    stdin = stdin or sys.stdin
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang is None:
        try:
            args.lang = parse_lang(os.environ.get("CALLCHECK_LANG", DEFAULT_LANG))
        except ValueError as exc:
            parser.error(f"CALLCHECK_LANG: {exc}")
    if args.rubrics is None:
        args.rubrics = str(default_rubrics_dir())
    args.err = err  # where a conversion of the database on first open says so
    if args.command is not None:
        collect_again()  # the app turns the collector on after its first frame (launch.py)
    prog = f"callcheck {args.command}" if args.command else "callcheck"
    args.db_location = locate_db(args.db)
    args.db = str(args.db_location.path)
    args.db_created = args.db_used = False
    _OPENED.clear()
    try:
        code = _dispatch(args, out, err, stdin, prog)
        out.flush()
        return code
    except BrokenPipeError:
        # The reader went away (`callcheck list | head`): stop quietly, as other tools do.
        _silence(out)
        return EXIT_PIPE
    finally:
        for store in _OPENED:
            for warning in store.warnings:
                print(f"{prog}: warning: {warning}", file=err)
        _OPENED.clear()
        if args.db_used and args.command not in (None, "demo"):  # the app says it itself
            for notice in db_notices(args.db_location, args.db_created):
                print(f"{prog}: note: {notice}", file=err)


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO, stdin: TextIO,
              prog: str) -> int:
    try:
        if args.command == "rubrics":
            return cmd_rubrics(args, out, err)
        if args.command == "score":
            return cmd_score(args, out, err, stdin)
        if args.command == "list":
            return cmd_list(args, out, err)
        if args.command == "pending":
            return cmd_pending(args, out, err)
        if args.command == "show":
            return cmd_show(args, out)
        if args.command == "delete":
            return cmd_delete(args, out, err)
        if args.command == "edit":
            return cmd_edit(args, out)
        if args.command == "export":
            return cmd_export(args, out, err)
        if args.command == "import":
            return cmd_import(args, out, err)
        if args.command == "print":
            return cmd_print(args, out, err)
        if args.command == "report":
            return cmd_report(args, out, err)
        if args.command == "verify":
            return cmd_verify(args, out)
        if args.command == "demo":
            return run_demo(args, err)
        return run_app(args)
    except CallcheckError as exc:
        _print_error(prog, exc, err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
