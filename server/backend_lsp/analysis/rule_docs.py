"""Rule documentation: one Markdown file per code in ``analysis/docs`` (package data).

``backend-lsp rule CODE`` prints it; ``rules`` lists what is documented. Files
are read through importlib.resources so an installed wheel finds them too.
"""

from __future__ import annotations

import re
from importlib import resources

_CODE = re.compile(r"^[A-Z]+[0-9]+$")


def rule_doc(code: str) -> str | None:
    """The Markdown for ``code`` (case-insensitive), or None when there is none."""
    normalised = code.strip().upper()
    if not _CODE.match(normalised):
        return None
    page = resources.files("backend_lsp.analysis").joinpath("docs", f"{normalised}.md")
    try:
        return page.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
