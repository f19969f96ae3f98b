"""The `callcheck` command: the app by default, and the commands beside it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .errors import CallcheckError, InputError, RubricError
from .i18n import DEFAULT_LANG, Lang, parse_lang
from .observations import parse_observations
from .rubric import Rubric, default_rubrics_dir, load_rubric, load_rubrics, rubric_files
from .scoring import score

EXIT_OK = 0
EXIT_ERROR = 1
"""Bad input, a refused rubric, a database that cannot be used."""
EXIT_USAGE = 2
"""Wrong command-line words (argparse's own code)."""


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
    parser.add_argument("--version", action="version", version=f"callcheck {__version__}")
    parser.add_argument("--lang", type=_lang, default=None, metavar="zh|en",
                        help="language of the app and of notes (default: zh, or $CALLCHECK_LANG)")
    parser.add_argument("--rubrics", metavar="DIR", default=None,
                        help="folder of rubric files (default: the bundled rubrics/)")
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
        description="Score an observations file (SCORING.md §4) without the app. Prints the "
                    "result as JSON on stdout; on bad input prints nothing on stdout, names "
                    "the field on stderr and exits 1.")
    p_score.add_argument("file", metavar="FILE", help="observations file, or - for stdin")
    return parser


def _print_error(prog: str, exc: Exception, err: TextIO) -> None:
    print(f"{prog}: error: {exc}", file=err)


def _read_json(source: str, stdin: TextIO) -> Any:
    name = "<stdin>" if source == "-" else source
    try:
        text = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("", f"{name}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError("", f"{name}: not UTF-8 text ({exc.reason})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("", f"{name}: not valid JSON: line {exc.lineno} column {exc.colno}: "
                         f"{exc.msg}") from None


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
    obs = parse_observations(data)
    rubrics = load_rubrics(args.rubrics)
    result = score(_rubric_for(rubrics, obs.rubric), obs)
    json.dump(result.as_json(args.lang), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return EXIT_OK


def run_app(args: argparse.Namespace) -> int:
    from .ui.app import CallcheckApp

    app = CallcheckApp(rubrics=load_rubrics(args.rubrics), lang=args.lang)
    app.run()
    return app.return_code or EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
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
    prog = f"callcheck {args.command}" if args.command else "callcheck"
    try:
        if args.command == "rubrics":
            return cmd_rubrics(args, out, err)
        if args.command == "score":
            return cmd_score(args, out, err, stdin)
        return run_app(args)
    except CallcheckError as exc:
        _print_error(prog, exc, err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
