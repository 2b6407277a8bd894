"""Hover on SQL strings, .sql statements and ORM query chains."""

from __future__ import annotations

import pytest
from explain_helpers import context, hover

from backend_lsp.analysis.explain.sql import module_dialect
from backend_lsp.analysis.schema import Table, WorkspaceSchema

PSYCOPG = '''\
import psycopg2


def recent_orders(conn, customer_id):
    with conn.cursor() as cur:
        cur.execute(
            """
            SELECT o.id, o.total, c.email
            FROM orders o
            JOIN customers c ON c.id = o.customer_id
            LEFT JOIN coupons k ON k.id = o.coupon_id
            WHERE o.customer_id = %s AND o.status = 'paid'
            ORDER BY o.created_at DESC
            LIMIT 20
            """,
            (customer_id,),
        )
        return cur.fetchall()


def deactivate(conn):
    conn.cursor().execute("UPDATE users SET active = false")


def star(conn):
    conn.cursor().execute("SELECT * FROM users WHERE id = %s", (1,))


def not_sql():
    return "Select a plan from the list below"
'''


def test_select_with_joins_filters_limit() -> None:
    text = hover(PSYCOPG, "SELECT o.id")
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "**SQL SELECT** · postgres · passed to `cur.execute`"
    tables = next(line for line in lines if line.startswith("- Tables"))
    assert "`orders`" in tables and "`customers`" in tables and "`coupons`" in tables
    assert "`email`" in next(line for line in lines if line.startswith("- Columns"))
    joins = next(line for line in lines if line.startswith("- Joins"))
    assert "JOIN customers" in joins and "LEFT JOIN coupons" in joins
    filters = next(line for line in lines if line.startswith("- Filters"))
    assert "o.customer_id = %s" in filters or "o.customer_id =" in filters
    assert "o.status = 'paid'" in filters
    assert "- Limit: yes" in lines
    assert any(line.startswith("- Order by") and "DESC" in line for line in lines)
    assert "- Parameters: 1 (format)" in lines


def test_update_without_where_is_called_out() -> None:
    text = hover(PSYCOPG, "UPDATE users")
    assert text is not None
    assert text.startswith("**SQL UPDATE**")
    assert "`active`" in text  # the column it sets
    assert "**no WHERE**" in text


def test_select_star_expands_from_schema() -> None:
    schema = WorkspaceSchema()
    schema.add(Table("users", ["id", "email", "active"]))
    text = hover(PSYCOPG, "SELECT *", schema=schema)
    assert text is not None
    assert "- `*` expands to: `id`, `email`, `active`" in text


def test_prose_string_is_not_sql() -> None:
    assert hover(PSYCOPG, "Select a plan") is None


def test_secret_in_sql_is_masked() -> None:
    source = (
        "def rotate(cur):\n"
        '    cur.execute("SELECT id FROM keys WHERE token = '
        "'ghp_Z8xq2LmN4pR7sT1vW3yA5bC9dE0fG6hJ2kL4'\")\n"
    )
    text = hover(source, "SELECT id")
    assert text is not None
    assert "ghp_Z8xq2LmN4pR7sT1vW3yA5bC9dE0fG6hJ2kL4" not in text
    assert "****" in text
    assert "- Tables: `keys`" in text


SQL_FILE = """\
-- reporting queries
SELECT u.id, count(o.id) AS orders
FROM users u
JOIN orders o ON o.user_id = u.id
GROUP BY u.id;

DELETE FROM sessions;

INSERT INTO audit (user_id, action) VALUES (1, 'login');
"""


def test_statement_in_sql_file() -> None:
    text = hover(SQL_FILE, "count(o.id)", language="sql", path="reports.sql")
    assert text is not None
    assert text.startswith("**SQL SELECT**")
    assert "`users`" in text and "`orders`" in text and "JOIN orders" in text


def test_each_statement_of_sql_file_has_its_own_hover() -> None:
    delete = hover(SQL_FILE, "DELETE", language="sql", path="reports.sql")
    assert delete is not None and delete.startswith("**SQL DELETE**")
    assert "**no WHERE**" in delete
    insert = hover(SQL_FILE, "audit", language="sql", path="reports.sql")
    assert insert is not None and insert.startswith("**SQL INSERT**")
    assert "`user_id`" in insert and "`action`" in insert


def test_comment_in_sql_file_between_statements() -> None:
    # The comment opens the first statement's chunk; hovering it explains that statement
    # or nothing, but never crashes.
    text = hover(SQL_FILE, "reporting", language="sql", path="reports.sql")
    assert text is None or text.startswith("**SQL")


DJANGO_ORM = """\
def report(request):
    orders = Order.objects.filter(status="paid").exclude(total=0).order_by("-created")
    rows = []
    for order in orders:
        rows.append((order.customer.name, order.items.count()))
    return rows


def fine(request):
    orders = Order.objects.filter(status="paid").select_related("customer")[:20]
    return [order.customer.name for order in orders]
"""


def test_django_chain_unbounded_with_n_plus_one() -> None:
    schema = WorkspaceSchema()
    schema.add(Table("order", ["id", "status"], model="Order", relations={"customer": "Customer"}))
    text = hover(DJANGO_ORM, "Order.objects.filter", schema=schema)
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "**Django ORM query** on `Order`"
    steps = next(line for line in lines if line.startswith("- Steps"))
    assert '`filter(status="paid")`' in steps and '`order_by("-created")`' in steps
    assert "- Bounded: **no**" in text
    n1 = next(line for line in lines if line.startswith("- N+1 risk"))
    assert "**yes**" in n1 and "`order.customer`" in n1 and "`order.items`" in n1
    assert "line 4" in n1


def test_django_chain_with_eager_load_and_slice() -> None:
    text = hover(DJANGO_ORM, "select_related")
    assert text is not None
    assert "- Eager-loads: `customer`" in text
    assert "- Bounded: yes" in text
    assert "**yes**" not in text


SQLALCHEMY = """\
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload


def authors(session: Session):
    stmt = select(Author).where(Author.active.is_(True)).options(selectinload(Author.books))
    return session.scalars(stmt.limit(50)).all()


def one(session: Session, author_id: int):
    return session.execute(select(Author).where(Author.id == author_id)).scalar_one()
"""


def test_sqlalchemy_2_select_chain() -> None:
    text = hover(SQLALCHEMY, "select(Author).where(Author.active")
    assert text is not None
    assert text.startswith("**SQLAlchemy query** on `Author`")
    assert "`books`" in text or "Author.books" in text


def test_sqlalchemy_single_row_is_bounded() -> None:
    text = hover(SQLALCHEMY, "scalar_one")
    assert text is not None
    assert "- Bounded: yes (one row or one value)" in text
    assert "none (single row)" in text


@pytest.mark.parametrize(
    ("source", "dialect"),
    [
        ("import psycopg2\n", "postgres"),
        ("from psycopg2.extras import RealDictCursor\n", "postgres"),
        ("import MySQLdb as db\n", "mysql"),
        ("try:\n    import asyncpg\nexcept ImportError:\n    asyncpg = None\n", "postgres"),
        ("import os, sqlite3\n", "sqlite"),
        ("def connect():\n    import sqlite3\n    return sqlite3.connect(':memory:')\n", None),
        ("from .sqlite3 import helpers\n", None),
        ("from app.db import psycopg2_pool\n", None),
    ],
)
def test_dialect_comes_from_the_modules_driver_imports(source: str, dialect: str | None) -> None:
    assert module_dialect(context(source)) == dialect
