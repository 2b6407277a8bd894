"""Command line front end: ``backend-lsp serve | check | doctor``.

A thin layer over the engine: each sub-command is one ``_add_<name>`` function
that declares its arguments and one ``_run_<name>`` that does the work, so a new
command is a local addition to ``SUBCOMMANDS``. Heavy imports (pygls, grammars,
the analyzer) happen inside the command that needs them: ``--version`` and
``serve`` start fast.

Exit codes: 0 no findings, 1 findings, 2 usage or environment errors.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from backend_lsp import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

LOG_LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json", "sarif")

Runner = Callable[[argparse.Namespace], int]


def _common() -> argparse.ArgumentParser:
    """Options accepted after the sub-command too (``backend-lsp serve --log-level debug``)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level", choices=LOG_LEVELS, default=argparse.SUPPRESS, help="log verbosity (stderr)"
    )
    return common


SubParsers = Any  # argparse's _SubParsersAction is private; keep mypy quiet without it.


class UsageError(Exception):
    """A problem with the command line the user can fix; printed and exit 2."""


# --- serve -------------------------------------------------------------------


def parse_tcp(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (IPv6 in brackets) -> (host, port)."""
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host.strip("[]"), int(port)


def _add_serve(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "serve", parents=[_common()], help="run the language server (stdio by default)"
    )
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk LSP over stdin/stdout")
    transport.add_argument("--tcp", type=parse_tcp, metavar="HOST:PORT", help="listen on TCP")
    parser.add_argument("--log-file", metavar="FILE", help="also write the server log here")
    parser.set_defaults(handler=_run_serve)


def _run_serve(args: argparse.Namespace) -> int:
    from backend_lsp.lsp.server import serve

    serve(tcp=args.tcp, log_level=args.log_level, log_file=args.log_file)
    return EXIT_OK


# --- check -------------------------------------------------------------------


def _codes(values: list[str] | None) -> list[str]:
    """``--select A,B --select C`` -> [A, B, C]."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def _unknown_codes(patterns: list[str]) -> list[str]:
    from backend_lsp.analysis.registry import all_rules

    metas = [rule.meta for rule in all_rules()]
    return [
        pattern
        for pattern in patterns
        if not any(
            meta.code.upper().startswith(pattern.upper()) or meta.name.upper() == pattern.upper()
            for meta in metas
        )
    ]


def _add_check(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "check",
        parents=[_common()],
        help="analyse files offline and print findings",
        description="Exit status: 0 no findings, 1 findings, 2 usage error.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--format", default="text", help="text (default), json or sarif")
    parser.add_argument(
        "--select", action="append", metavar="CODES", help="only these codes/prefixes (comma list)"
    )
    parser.add_argument(
        "--ignore", action="append", metavar="CODES", help="skip these codes/prefixes (comma list)"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise UsageError(f"unknown format {args.format!r} (use {', '.join(FORMATS)})")
    missing = [str(path) for path in args.paths if not path.exists()]
    if missing:
        raise UsageError(f"no such file or directory: {', '.join(missing)}")
    select, ignore = _codes(args.select), _codes(args.ignore)
    unknown = _unknown_codes(select)
    if unknown:
        raise UsageError(f"unknown rule code in --select: {', '.join(unknown)}")
    for code in _unknown_codes(ignore):
        print(f"backend-lsp: warning: --ignore {code} matches no rule", file=sys.stderr)

    from backend_lsp.config import resolve_settings
    from backend_lsp.files import find_project_root
    from backend_lsp.report import FORMATTERS
    from backend_lsp.report.collect import collect

    cwd = Path.cwd()
    root = find_project_root(args.paths[0]) or cwd
    cli_layer: dict[str, Any] = {"analysis": {}}
    if select:
        cli_layer["analysis"]["select"] = select
    if ignore:
        cli_layer["analysis"]["ignore"] = ignore
    settings, problems = resolve_settings(root, cli=cli_layer)
    for problem in problems:
        print(f"backend-lsp: warning: {problem}", file=sys.stderr)

    report = collect(args.paths, root, settings.analysis, cwd=cwd)
    for skipped in report.skipped:
        print(f"backend-lsp: {skipped}", file=sys.stderr)
    output = FORMATTERS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if report.findings else EXIT_OK


# --- doctor ------------------------------------------------------------------


def _add_doctor(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "doctor", parents=[_common()], help="check the installation and configuration"
    )
    parser.add_argument("--root", type=Path, help="project root (default: found from the cwd)")
    parser.set_defaults(handler=_run_doctor)


def _run_doctor(args: argparse.Namespace) -> int:
    from backend_lsp.doctor import run_doctor
    from backend_lsp.files import find_project_root

    root = args.root or find_project_root(Path.cwd()) or Path.cwd()
    return run_doctor(root, os.environ, sys.stdout)


# --- wiring ------------------------------------------------------------------

# Add a sub-command by appending its ``_add_<name>`` here.
SUBCOMMANDS: list[Callable[[SubParsers], None]] = [_add_serve, _add_check, _add_doctor]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backend-lsp",
        description="Backend-developer language server and offline backend analyzer.",
    )
    parser.add_argument("--version", action="version", version=f"backend-lsp {__version__}")
    parser.add_argument(
        "--log-level", choices=LOG_LEVELS, default=None, help="log verbosity (stderr)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def _configure_logging(level: str | None, stream: TextIO) -> None:
    logging.basicConfig(
        level=getattr(logging, (level or "warning").upper()),
        stream=stream,
        format="backend-lsp: %(levelname)s: %(name)s: %(message)s",
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and argparse usage errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    handler: Runner | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command != "serve":  # the server configures its own logging
        _configure_logging(args.log_level, sys.stderr)
    try:
        return handler(args)
    except UsageError as error:
        print(f"backend-lsp: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `backend-lsp check . | head`: stop quietly
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS


if __name__ == "__main__":
    sys.exit(main())
