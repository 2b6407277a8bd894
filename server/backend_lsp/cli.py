"""Command line front end: ``backend-lsp serve | check | doctor | run | explain | context |
routes | cache | rule | rules``.

A thin layer over the engine: each sub-command is one ``_add_<name>`` function
that declares its arguments and one ``_run_<name>`` that does the work, so a new
command is a local addition to ``SUBCOMMANDS``. Heavy imports (pygls, grammars,
the analyzer) happen inside the command that needs them: ``--version`` and
``serve`` start fast.

Exit codes: 0 no findings (or the action succeeded), 1 findings (or the action failed),
2 usage or environment errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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
    from backend_lsp.analysis.registry import all_metas, matches_code

    metas = all_metas()
    return [pattern for pattern in patterns if not any(matches_code(m, [pattern]) for m in metas)]


def _add_check(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "check",
        parents=[_common()],
        help="analyse files offline and print findings",
        description="Exit status: 0 no findings, 1 findings, 2 usage error.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when findings are reported (usage errors still exit 2)",
    )
    parser.add_argument("--format", default="text", help="text (default), json or sarif")
    parser.add_argument(
        "--select", action="append", metavar="CODES", help="only these codes/prefixes (comma list)"
    )
    parser.add_argument(
        "--ignore", action="append", metavar="CODES", help="skip these codes/prefixes (comma list)"
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="GLOBS",
        help="skip paths matching these gitignore-style globs (comma list), added to the "
        "configured extend-exclude",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="do not read or write the per-file result cache ($BACKEND_LSP_CACHE_DIR)",
    )
    parser.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="worker processes (default: every core)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="report and fail only on findings not recorded in FILE",
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        metavar="FILE",
        help="record the current findings in FILE (then exit 0)",
    )
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
    excluded = _codes(args.exclude)
    analysis = settings.analysis
    if excluded:
        analysis = analysis.model_copy(
            update={"extend_exclude": [*analysis.extend_exclude, *excluded]}
        )
    for path in args.paths:
        reason = _cannot_check(path, root, analysis)
        if reason:
            print(f"backend-lsp: {path}: not checked ({reason})", file=sys.stderr)

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    with _check_progress(sys.stderr) as progress:
        report = collect(
            args.paths,
            root,
            analysis,
            cwd=cwd,
            use_cache=not args.no_cache,
            workers=args.jobs,
            on_progress=progress,
        )
    for skipped in report.skipped:
        print(f"backend-lsp: {skipped}", file=sys.stderr)
    if args.write_baseline is not None:
        _write_baseline(args.write_baseline, report)
        return EXIT_OK
    if args.baseline is not None:
        _apply_baseline(args.baseline, report)
    output = FORMATTERS[args.format](report)
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from error
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if report.findings and not args.exit_zero else EXIT_OK


@contextlib.contextmanager
def _check_progress(stream: TextIO) -> Iterator[Callable[[str, int, int], None] | None]:
    """A one-line progress display on a terminal, shown once a run passes a second."""
    if not stream.isatty():
        yield None
        return
    import time

    started = time.monotonic()
    shown = [0.0]

    def show(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - started < 1.0 or (now - shown[0] < 0.1 and done < total):
            return
        shown[0] = now
        stream.write(f"\rbackend-lsp: {phase} {done}/{total} files\x1b[K")
        stream.flush()

    try:
        yield show
    finally:
        if shown[0]:
            stream.write("\r\x1b[K")
            stream.flush()


def _cannot_check(path: Path, root: Path, settings: Any) -> str | None:
    """Why an explicitly named file will not be analysed, or None."""
    from backend_lsp.engine import is_excluded
    from backend_lsp.syntax import language_for_path

    if not path.is_file():
        return None
    if language_for_path(path) is None:
        return "no analyzer for this file type"
    if is_excluded(str(path), settings, root):
        return "excluded by the exclude settings"
    return None


def _write_baseline(target: Path, report: Any) -> None:
    from backend_lsp.report.baseline import write_baseline

    try:
        count = write_baseline(target, report)
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from error
    print(f"backend-lsp: wrote {count} finding(s) to baseline {target}", file=sys.stderr)


def _apply_baseline(source: Path, report: Any) -> None:
    from backend_lsp.report.baseline import BaselineError, filter_new, read_baseline

    try:
        known = read_baseline(source)
    except BaselineError as error:
        raise UsageError(str(error)) from error
    hidden = filter_new(report, known)
    if hidden:
        print(f"backend-lsp: {hidden} finding(s) hidden by baseline {source}", file=sys.stderr)


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


# --- agent: run / explain / context / cache -----------------------------------

EXIT_FAILED = 1
_TARGET_LINES = re.compile(r"^(\d+)(?:-(\d+))?$")


def parse_target(value: str) -> tuple[Path, int | None, int | None]:
    """``FILE``, ``FILE:L`` or ``FILE:L1-L2`` -> (path, first, last); lines are 1-based."""
    head, sep, tail = value.rpartition(":")
    match = _TARGET_LINES.match(tail) if sep and head else None
    if match is None:
        return Path(value), None, None
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1 or last < first:
        raise UsageError(f"bad line range {tail!r} in {value!r} (use L or L1-L2, 1-based)")
    return Path(head), first, last


@dataclass(frozen=True)
class _Target:
    path: Path
    root: Path
    text: str
    first: int
    last: int


def _load_target(value: str, root_arg: Path | None) -> tuple[_Target, Any]:
    """The file, its lines and the resolved settings; UsageError when it cannot be used."""
    from backend_lsp.config import resolve_settings
    from backend_lsp.files import (
        OutsideWorkspace,
        SkipReason,
        inside_workspace,
        read_source,
        workspace_root,
    )

    path, first, last = parse_target(value)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    cwd = Path.cwd()
    root = workspace_root(cwd, root_arg)
    try:
        path = inside_workspace(path, root, cwd=cwd)
    except OutsideWorkspace as error:
        raise UsageError(str(error)) from None
    settings, problems = resolve_settings(root)
    for problem in problems:
        print(f"backend-lsp: warning: {problem}", file=sys.stderr)
    text = read_source(path, settings.analysis.max_file_bytes)
    if isinstance(text, SkipReason):
        raise UsageError(str(text))
    lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    first, last = first or 1, last or lines
    if first > lines:
        raise UsageError(f"line {first} is past the end of {path} ({lines} lines)")
    return _Target(path, root, text, first, min(last, lines)), settings


def _progress_printer(enabled: bool) -> Callable[[str, int | None], None] | None:
    if not enabled:
        return None

    def show(message: str, percent: int | None) -> None:
        suffix = f" ({percent}%)" if percent is not None else ""
        print(f"backend-lsp: {message}{suffix}", file=sys.stderr, flush=True)

    return show


def _run_workflow(action: str, target: _Target, settings: Any, progress: bool) -> Any:
    """Run ``action`` through the shared engine workflow; returns the ActionOutcome."""
    import asyncio

    from backend_lsp.agent.workflow import ActionWorkflow
    from backend_lsp.report.collect import workspace_schema

    # check's workspace schema, so the findings (and explanations) agree with check
    schema = workspace_schema(target.root, settings.analysis)

    async def go() -> Any:
        workflow = ActionWorkflow(target.root, settings, schema=schema)
        for problem in workflow.problems:
            print(f"backend-lsp: warning: {problem}", file=sys.stderr)
        try:
            return await workflow.run(
                action,
                target.path,
                target.text,
                target.first,
                target.last,
                language_id=None,
                on_progress=_progress_printer(progress or sys.stderr.isatty()),
            )
        finally:
            await workflow.aclose()

    return asyncio.run(go())


def _human(outcome: Any, with_diff: bool = True) -> str:
    """Summary, usage, findings, explanation and diff, for people."""
    from backend_lsp.text import LineIndex

    cost = "" if outcome.cost_usd is None else f", ~${outcome.cost_usd:.4f}"
    usage = outcome.usage
    parts = [
        f"{outcome.action_id} on {outcome.display_path} via {outcome.provider} "
        f"({outcome.model}{', cached' if outcome.cached else ''}): "
        f"{usage.total_input:,} input / {usage.output_tokens:,} output tokens{cost}\n"
    ]
    if outcome.summary:
        parts.append(f"\n{outcome.summary}\n")
    index = LineIndex.from_text(outcome.base_text)
    for finding in outcome.findings:
        line = index.line_of(finding.start) + 1
        fix = " (fix available)" if finding.fix else ""
        parts.append(
            f"\n{outcome.display_path}:{line}:{index.column(finding.start)}: "
            f"{finding.severity.label}: {finding.message}{fix}"
        )
    if outcome.findings:
        parts.append("\n")
    if outcome.explanation:
        parts.append(f"\n{outcome.explanation}\n")
    diff = outcome.diff() if with_diff else ""
    if diff:
        parts.append(f"\n{diff}")
    return "".join(parts)


def _action_list() -> str:
    """The built-in action ids for ``run --help`` (custom ones come from configuration)."""
    from backend_lsp.agent.actions import BUILTIN_ACTIONS

    width = max(len(spec.id) for spec in BUILTIN_ACTIONS)
    lines = [f"  {spec.id:<{width}}  {spec.title}" for spec in BUILTIN_ACTIONS]
    return (
        "actions:\n" + "\n".join(lines) + "\n  (plus any [[tool.backend-lsp.agent.actions]] "
        "defined in pyproject.toml)"
    )


def _add_run(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "run",
        parents=[_common()],
        help="run an agent action on FILE[:L1-L2]",
        description="Exit status: 0 ok, 1 the action failed, 2 usage error.",
        epilog=_action_list(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("action", metavar="ACTION", help="action id (listed below)")
    parser.add_argument("target", metavar="FILE[:L1-L2]")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print only the unified diff")
    mode.add_argument("--apply", action="store_true", help="write the edit and new files")
    mode.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--progress", action="store_true", help="progress on stderr")
    parser.add_argument(
        "--root",
        type=Path,
        help="workspace root (default: the project around the current directory)",
    )
    parser.set_defaults(handler=_run_run)


def _action_outcome(action: str, args: argparse.Namespace) -> tuple[Any, _Target]:
    """The outcome (None after printing why the action failed) and its target."""
    from backend_lsp.agent.workflow import ActionFailed

    target, settings = _load_target(args.target, args.root)
    try:
        return _run_workflow(action, target, settings, args.progress), target
    except ActionFailed as error:
        if error.kind == "unknown_action":
            raise UsageError(error.message) from None
        print(f"backend-lsp: {action} failed: {error.message}", file=sys.stderr)
        return None, target


def _run_run(args: argparse.Namespace) -> int:
    from backend_lsp.agent.workflow import ActionFailed, apply_outcome

    outcome, target = _action_outcome(args.action, args)
    if outcome is None:
        return EXIT_FAILED
    if args.json:
        sys.stdout.write(json.dumps(outcome.to_json(), indent=2, ensure_ascii=False) + "\n")
    elif args.diff:
        sys.stdout.write(outcome.diff())
    elif args.apply:
        try:
            written = apply_outcome(outcome, target.root)
        except ActionFailed as error:
            print(f"backend-lsp: {args.action} failed: {error.message}", file=sys.stderr)
            return EXIT_FAILED
        sys.stdout.write(_human(outcome, with_diff=False))
        for path in written:
            print(f"wrote {path}")
    else:
        sys.stdout.write(_human(outcome))
    return EXIT_OK


def _add_explain(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "explain",
        parents=[_common()],
        help="explain the code at FILE:LINE (static explanation without a key)",
    )
    parser.add_argument("target", metavar="FILE:LINE")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--progress", action="store_true", help="progress on stderr")
    parser.add_argument(
        "--root",
        type=Path,
        help="workspace root (default: the project around the current directory)",
    )
    parser.set_defaults(handler=_run_explain)


def _run_explain(args: argparse.Namespace) -> int:
    _path, first, last = parse_target(args.target)
    if first is None or first != last:
        raise UsageError(f"expected FILE:LINE, got {args.target!r}")
    outcome, _target = _action_outcome("explain", args)
    if outcome is None:
        return EXIT_FAILED
    if args.json:
        sys.stdout.write(json.dumps(outcome.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write((outcome.explanation or outcome.summary).rstrip("\n") + "\n")
    return EXIT_OK


def _add_context(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "context",
        parents=[_common()],
        help="print the context an action on FILE:L1-L2 would send (redacted)",
    )
    parser.add_argument("target", metavar="FILE[:L1-L2]")
    parser.add_argument("--json", action="store_true", help="items, tokens and budget as JSON")
    parser.add_argument(
        "--root",
        type=Path,
        help="workspace root (default: the project around the current directory)",
    )
    parser.set_defaults(handler=_run_context)


def _run_context(args: argparse.Namespace) -> int:
    from backend_lsp.agent.workflow import ActionFailed, ActionWorkflow
    from backend_lsp.context import context_to_json, render_bundle

    target, settings = _load_target(args.target, args.root)
    workflow = ActionWorkflow(target.root, settings, cache=None)
    try:
        bundle = workflow.context_bundle(
            target.path, target.text, target.first, target.last, language_id=None
        )
    except ActionFailed as error:
        print(f"backend-lsp: context: {error.message}", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        sys.stdout.write(json.dumps(context_to_json(bundle, target.root), indent=2) + "\n")
    else:
        sys.stdout.write(render_bundle(bundle))
    return EXIT_OK


def _add_routes(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "routes",
        parents=[_common()],
        help="list HTTP routes: method, full path, handler, dependencies, models/tables",
    )
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        metavar="PATH",
        help="workspace or a directory/file inside it (default: cwd)",
    )
    parser.add_argument("--json", action="store_true", help="print the routes as JSON")
    parser.add_argument("--root", type=Path, help="workspace root (default: found from PATH)")
    parser.set_defaults(handler=_run_routes)


def _run_routes(args: argparse.Namespace) -> int:
    from backend_lsp.files import find_project_root
    from backend_lsp.index import WorkspaceIndex

    start = (args.path or Path.cwd()).resolve()
    if not start.exists():
        raise UsageError(f"no such file or directory: {args.path}")
    root = args.root or find_project_root(start) or (start if start.is_dir() else start.parent)
    index = WorkspaceIndex(root.resolve())
    try:
        index.build()
        routes = index.view().routes.routes
    finally:
        index.close()
    inside = [r.to_json() for r in routes if _under(index.root, start, r.to_json()["file"])]
    if args.json:
        sys.stdout.write(json.dumps({"root": str(index.root), "routes": inside}, indent=2) + "\n")
        return EXIT_OK
    for route in inside:
        deps = f"  deps: {', '.join(route['dependencies'])}" if route["dependencies"] else ""
        tables = ", ".join(f"{m['table']} ({m['access']})" for m in route["models"])
        sys.stdout.write(
            f"{route['method']:<7} {route['path'] or '(no path)'}  -> "
            f"{route['file']}:{route['line']} {route['handler']}{deps}"
            f"{'  tables: ' + tables if tables else ''}\n"
        )
    if not inside:
        print(f"backend-lsp: no routes found under {start}", file=sys.stderr)
    return EXIT_OK


def _under(root: Path, start: Path, rel: object) -> bool:
    path = root / str(rel)
    return start == root or path == start or start in path.parents


def _add_cache(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "cache", parents=[_common()], help="inspect or clear the agent's response cache"
    )
    parser.add_argument("operation", choices=("info", "clear"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(handler=_run_cache)


def _run_cache(args: argparse.Namespace) -> int:
    from backend_lsp.agent.cache import ResponseCache

    cache = ResponseCache()
    try:
        if args.operation == "clear":
            stats: dict[str, Any] = cache.clear_and_report()
            text = f"removed {stats['removed']} cached response(s) from {cache.path}\n"
        else:
            stats = cache.stats()
            text = (
                f"{stats['path']}: {stats['entries']} response(s), {stats['bytes']:,} bytes"
                f"{'' if stats['enabled'] else ' (unavailable)'}\n"
            )
    finally:
        cache.close()
    sys.stdout.write(json.dumps(stats) + "\n" if args.json else text)
    return EXIT_OK


# --- rule / rules ----------------------------------------------------------------


def _meta_json(meta: Any) -> dict[str, Any]:
    return {
        "code": meta.code,
        "name": meta.name,
        "severity": meta.severity.label,
        "summary": meta.summary,
        "languages": list(meta.languages),
        "doc_url": meta.doc_url,
    }


def _add_rule(sub: SubParsers) -> None:
    parser = sub.add_parser(
        "rule", parents=[_common()], help="print a rule's documentation (e.g. rule BE004)"
    )
    parser.add_argument("code", metavar="CODE")
    parser.add_argument("--json", action="store_true", help="metadata and Markdown as JSON")
    parser.set_defaults(handler=_run_rule)


def _run_rule(args: argparse.Namespace) -> int:
    from backend_lsp.analysis.registry import all_metas
    from backend_lsp.analysis.rule_docs import rule_doc

    wanted = args.code.strip().upper()
    meta = next((m for m in all_metas() if wanted in (m.code, m.name.upper())), None)
    if meta is None:
        raise UsageError(f"unknown rule {args.code!r} (see `backend-lsp rules`)")
    doc = rule_doc(meta.code) or f"# {meta.code} {meta.name}\n\n{meta.summary}\n"
    if args.json:
        sys.stdout.write(json.dumps({**_meta_json(meta), "doc": doc}, indent=2) + "\n")
    else:
        sys.stdout.write(
            doc.rstrip("\n") + f"\n\nDefault severity: {meta.severity.label}. "
            f"See also {meta.doc_url}\n"
        )
    return EXIT_OK


def _add_rules(sub: SubParsers) -> None:
    parser = sub.add_parser("rules", parents=[_common()], help="list the analyzer's rules")
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    parser.set_defaults(handler=_run_rules)


def _run_rules(args: argparse.Namespace) -> int:
    from backend_lsp.analysis.registry import all_metas

    metas = all_metas()
    if args.json:
        sys.stdout.write(json.dumps([_meta_json(m) for m in metas], indent=2) + "\n")
        return EXIT_OK
    width = max(len(m.name) for m in metas)
    for meta in metas:
        print(f"{meta.code}  {meta.name:<{width}}  {meta.severity.label:<7}  {meta.summary}")
    return EXIT_OK


# --- wiring ------------------------------------------------------------------

# Add a sub-command by appending its ``_add_<name>`` here.
SUBCOMMANDS: list[Callable[[SubParsers], None]] = [
    _add_serve,
    _add_check,
    _add_doctor,
    _add_run,
    _add_explain,
    _add_context,
    _add_routes,
    _add_cache,
    _add_rule,
    _add_rules,
]


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
    """stderr logging with credentials scrubbed and HTTP-library chatter dropped."""
    from backend_lsp import log_guard

    log_guard.install()
    logging.basicConfig(
        level=getattr(logging, (level or "warning").upper()),
        stream=stream,
        format="backend-lsp: %(levelname)s: %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        log_guard.guard(handler)


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
