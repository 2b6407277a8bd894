"""BE001 sinks beyond execute(): SQLAlchemy clause methods, text() fragments, other drivers."""

from __future__ import annotations

from collections.abc import Callable
from textwrap import dedent

import pytest

from backend_lsp.analysis.model import Finding

Check = Callable[..., list[Finding]]

FLAGGED = {
    "sqlalchemy_filter_fstring": """
        from flask import request
        from sqlalchemy.orm import Session

        def search(session: Session):
            name = request.args["name"]
            return session.query(User).filter(f"name = '{name}'").all()
    """,
    "sqlalchemy_order_by_text_without_verb": """
        from flask import request
        from sqlalchemy import select, text

        def listing(session):
            column = request.args.get("sort", "id")
            return session.execute(select(User).order_by(text(column + " DESC"))).scalars()
    """,
    "sqlalchemy_where_text_from_parameter": """
        from sqlalchemy import select, text

        def by_owner(session, owner):
            stmt = select(Item).where(text(f"owner = '{owner}'"))
            return session.execute(stmt).scalars().all()
    """,
    "pg8000_native_run": """
        import pg8000.native

        def rename(con: pg8000.native.Connection, old: str, new: str):
            con.run(f"UPDATE users SET name = '{new}' WHERE name = '{old}'")
    """,
    "asyncpg_cursor": """
        import asyncpg

        async def stream(conn: asyncpg.Connection, status: str):
            async with conn.transaction():
                async for row in conn.cursor(f"SELECT id FROM orders WHERE status = '{status}'"):
                    yield row
    """,
    "template_in_a_module_constant": """
        import sqlite3

        FIND = "SELECT id FROM users WHERE email = '{}'"

        def find(conn: sqlite3.Connection, email):
            return conn.execute(FIND.format(email)).fetchone()
    """,
}

QUIET = {
    "sqlalchemy_filter_expression": """
        from flask import request
        from sqlalchemy.orm import Session

        def search(session: Session):
            name = request.args["name"]
            return session.query(User).filter(User.name == name).all()
    """,
    "sqlalchemy_text_with_bound_params": """
        from flask import request
        from sqlalchemy import select, text

        def listing(session):
            owner = request.args["owner"]
            stmt = select(Item).where(text("owner = :owner")).params(owner=owner)
            return session.execute(stmt).scalars()
    """,
    "django_filter_and_order_by_are_validated": """
        def listing(request):
            ordering = request.GET.get("ordering", "id")
            return Item.objects.filter(name=request.GET["q"]).order_by(ordering)
    """,
    "pg8000_named_params": """
        import pg8000.native

        def rename(con, old, new):
            con.run("UPDATE users SET name = :new WHERE name = :old", new=new, old=old)
    """,
    "asyncpg_cursor_with_args": """
        import asyncpg

        async def stream(conn, status):
            async for row in conn.cursor("SELECT id FROM orders WHERE status = $1", status):
                yield row
    """,
    "constant_template_of_constants": """
        import sqlite3

        FIND = "SELECT id FROM {} WHERE deleted = 0"
        TABLE = "users"

        def live(conn: sqlite3.Connection):
            return conn.execute(FIND.format(TABLE)).fetchall()
    """,
}


@pytest.mark.parametrize("name", list(FLAGGED))
def test_flags_string_built_sql_at_these_sinks(check: Check, name: str) -> None:
    findings = check("BE001", dedent(FLAGGED[name]))
    assert len(findings) == 1, [f.message for f in findings]


@pytest.mark.parametrize("name", list(QUIET))
def test_bound_or_validated_values_are_quiet(check: Check, name: str) -> None:
    assert check("BE001", dedent(QUIET[name])) == []


def test_clause_finding_offers_no_parametrize_fix(check: Check) -> None:
    (finding,) = check("BE001", dedent(FLAGGED["sqlalchemy_filter_fstring"]))
    assert finding.fix is None
    assert "request.args" in finding.message
