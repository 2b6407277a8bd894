"""Where an action applies: one node table (context/scope.py) and the analyzer's SQL sniffer."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.sql.facts import looks_like_sql
from backend_lsp.context.places import code_places_at
from backend_lsp.syntax import ParsedDocument

PY = '''\
from fastapi import APIRouter, Depends
from sqlalchemy import text
from sqlmodel import Field, SQLModel

router = APIRouter()


class Order(SQLModel, table=True):
    id: int = Field(primary_key=True)
    status: str


class Pagination:
    limit: int = 20


@router.get("/orders/{status}")
def orders_by_status(status: str, db=Depends(get_db)):
    note = "Select a status to filter the orders"
    rows = db.execute(
        text("SELECT id, status FROM orders WHERE status = :status"), {"status": status}
    )
    return rows.all()


def helper():
    return f"""
        UPDATE orders SET status = 'done'
        WHERE id = {1}
    """
'''

JS = """\
const express = require("express");
const router = express.Router();

class User extends Model {}

router.get("/users", async (req, res) => {
  const rows = await db.query(`SELECT id, name FROM users WHERE org = $1`, [req.org]);
  const label = "Select an option, or update your settings";
  res.json(rows);
});
"""

GO = """\
package store

type Order struct {
	ID     int    `db:"id"`
	Status string `db:"status"`
}

func ByStatus(db *sql.DB, status string) (*sql.Rows, error) {
	return db.Query("SELECT id, status FROM orders WHERE status = $1", status)
}
"""

JAVA = """\
@Entity
public record Order(long id, String status) {}

class Repo {
    List<Order> byStatus(String status) {
        return jdbc.query("SELECT id, status FROM orders WHERE status = ?", mapper, status);
    }
}
"""


def _places(text: str, language: str, anchor: str, path: str = "app/api.py") -> set[str]:
    document = ParsedDocument(text, language)
    offset = text.encode().index(anchor.encode())
    return code_places_at(document, path, offset)


@pytest.mark.parametrize(
    ("text", "language", "anchor", "expected"),
    [
        (PY, "python", "SELECT id, status", {"function", "route", "sql"}),
        (PY, "python", "UPDATE orders", {"function", "sql"}),
        (PY, "python", "a status to filter", {"function", "route"}),  # prose, not SQL
        (PY, "python", "status: str\n", {"model"}),
        (PY, "python", "limit: int", set()),  # a plain class is no model
        (JS, "javascript", "SELECT id, name", {"function", "sql"}),
        (JS, "javascript", "an option", {"function"}),
        (JS, "javascript", "Model {}", {"model"}),
        (GO, "go", "SELECT id, status", {"function", "sql"}),
        (GO, "go", "Status string", {"model"}),
        (JAVA, "java", "SELECT id, status", {"function", "sql"}),
        (JAVA, "java", "long id", {"model"}),
    ],
)
def test_ctx_places_by_language(text: str, language: str, anchor: str, expected: set[str]) -> None:
    assert _places(text, language, anchor) == expected


@pytest.mark.parametrize(
    "literal",
    [
        "SELECT id FROM orders WHERE id = %s",
        "  -- by status\n  select id, status from orders",
        "WITH recent AS (SELECT id FROM orders) SELECT * FROM recent",
        "DELETE FROM sessions WHERE expires < now()",
        "select the rows you need from the report page",
        "Update the settings to set a new value",
        "with care",
    ],
)
def test_ctx_places_sql_agrees_with_the_analyzer(literal: str) -> None:
    """A string is an SQL place exactly when the analyzer's sniffer takes it for SQL."""
    text = f'def f(db):\n    q = """{literal}"""\n'
    places = _places(text, "python", literal[:6])
    assert ("sql" in places) is looks_like_sql(literal)
