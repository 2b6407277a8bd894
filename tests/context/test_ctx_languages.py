"""Best-effort context for JS/TS/Go, and robustness on odd input."""

from __future__ import annotations

from pathlib import Path

from backend_lsp.context import gather_context
from backend_lsp.syntax import ParsedDocument

JS = """\
import express from "express";
import { db } from "./db.js";

const LIMIT = 20;
const unused = 1;

function toDto(row) {
  return { id: row.id };
}

export const listUsers = async (req, res) => {
  const rows = await db.query("SELECT * FROM users LIMIT $1", [LIMIT]);
  res.json(rows.map(toDto));
};
"""

TS_CLASS = """\
import { Repo } from "./repo";

export class UserService {
  private cache = new Map<string, string>();

  constructor(private repo: Repo) {}

  private key(id: string): string {
    return `user:${id}`;
  }

  async get(id: string) {
    const k = this.key(id);
    return this.cache.get(k) ?? this.repo.find(id);
  }
}
"""

GO = """\
package users

import (
\t"database/sql"
\t"net/http"
)

const pageSize = 50

type User struct {
\tID   int
\tName string
}

func scan(rows *sql.Rows) ([]User, error) {
\treturn nil, nil
}

func List(db *sql.DB, w http.ResponseWriter) {
\trows, _ := db.Query("SELECT id, name FROM users LIMIT ?", pageSize)
\tusers, _ := scan(rows)
\t_ = users
}
"""


def _reasons(
    text: str, language: str, name: str, line: int, end: int | None = None
) -> dict[str, str]:
    document = ParsedDocument(text, language)
    bundle = gather_context(
        None, Path(name), document, line, end or line, budget_tokens=4000, findings=[]
    )
    result = {item.reason: item.text for item in bundle.items}
    result["__selection__"] = bundle.selection.text
    return result


def test_javascript_arrow_function_imports_and_references() -> None:
    line = JS[: JS.index("  const rows")].count("\n") + 1
    items = _reasons(JS, "javascript", "users.js", line)
    assert items["__selection__"].startswith("export const listUsers = async")
    assert "function toDto(row)" in items["definition of `toDto` used by the selection"]
    assert items["definition of `LIMIT` used by the selection"] == "const LIMIT = 20;"
    assert items["imports"].startswith('import express from "express";')
    assert not any("unused" in reason for reason in items)


def test_typescript_method_gets_class_outline_and_this_members() -> None:
    line = TS_CLASS[: TS_CLASS.index("    const k")].count("\n") + 1
    items = _reasons(TS_CLASS, "typescript", "svc.ts", line, line + 1)
    assert "async get(id: string)" in items["enclosing function"]
    assert "return `user:${id}`" in items["method/field `key` used by the selection"]
    outline = items["enclosing class (outline)"]
    assert outline.startswith("export class UserService {") and outline.rstrip().endswith("}")
    assert "private key(id: string): string ..." in outline


def test_go_function_imports_types_and_constants() -> None:
    line = GO[: GO.index("\tusers, _ :=")].count("\n") + 1
    items = _reasons(GO, "go", "users.go", line - 1, line)
    assert items["enclosing function"].startswith("func List(")
    assert "func scan(" in items["definition of `scan` used by the selection"]
    assert items["definition of `pageSize` used by the selection"] == "const pageSize = 50"
    assert '"database/sql"' in items["imports"]


def test_unknown_language_gives_the_selection_only() -> None:
    document = ParsedDocument("line one\nline two\nline three\n", None)
    bundle = gather_context(None, Path("notes.txt"), document, 2, 3, budget_tokens=500)
    assert bundle.items == [] and bundle.selection.text == "line two\nline three"


def test_document_with_syntax_errors_mid_edit_still_gives_context() -> None:
    broken = "import os\n\ndef helper():\n    return 1\n\ndef f(x:\n    y = helper(\n    return y\n"
    document = ParsedDocument(broken, "python")
    bundle = gather_context(None, Path("a.py"), document, 7, 8, budget_tokens=1000, findings=[])
    assert "y = helper(" in bundle.selection.text
    assert bundle.tokens <= 1000


def test_empty_document_and_crlf_lines() -> None:
    empty = gather_context(
        None, Path("a.py"), ParsedDocument("", "python"), 1, 1, budget_tokens=500, findings=[]
    )
    assert empty.selection.text == "" and empty.items == []
    crlf = "import os\r\n\r\ndef f():\r\n    return os.sep\r\n"
    bundle = gather_context(
        None, Path("a.py"), ParsedDocument(crlf, "python"), 4, 4, budget_tokens=500, findings=[]
    )
    assert bundle.selection.text == "def f():\r\n    return os.sep"
    assert (bundle.selection.start_line, bundle.selection.end_line) == (3, 4)
