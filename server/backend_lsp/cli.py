"""Command line entry point (placeholder until the CLI lands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("backend-lsp: not implemented yet", file=sys.stderr)
    return 2
