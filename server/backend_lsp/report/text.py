"""Human output: one ``path:line:col: CODE message`` line per finding, then a summary."""

from __future__ import annotations

from collections import Counter

from backend_lsp.report.model import CheckReport


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: CheckReport) -> str:
    files = _plural(report.files_checked, "file")
    if not report.findings and not report.files_checked:
        return "No files checked (nothing matched a supported language or all were skipped)."
    if not report.findings:
        return f"No problems found in {files}."
    by_severity = Counter(item.finding.severity.label for item in report.findings)
    parts = [
        _plural(by_severity[label], label)
        for label in ("error", "warning", "info", "hint")
        if by_severity[label]
    ]
    fixable = sum(1 for item in report.findings if item.finding.fix is not None)
    text = f"Found {_plural(len(report.findings), 'problem')} ({', '.join(parts)}) in {files}."
    if fixable:
        text += f" {fixable} with an automatic fix (see --format json)."
    return text


def format_text(report: CheckReport) -> str:
    lines = [
        f"{item.path}:{item.span.line}:{item.span.column}: {item.finding.code} "
        f"{item.finding.message}" + (" [fix available]" if item.finding.fix is not None else "")
        for item in report.findings
    ]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
