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
    "module_template_shadowed_only_in_a_class_body": """
        import sqlite3

        FIND = "SELECT id FROM users WHERE email = '{}'"

        class Audit:
            FIND = "SELECT count(*) FROM audit_log"

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


ELSEWHERE_FLAGGED = {
    "returned_to_the_caller": """
        from flask import request

        def search_sql():
            term = request.args["q"]
            sql = f"SELECT id FROM posts WHERE title LIKE '%{term}%'"
            return sql
    """,
    "passed_to_a_helper_in_another_module": """
        from django.http import JsonResponse
        from reports.runner import run_report

        def report(request):
            status = request.GET.get("status")
            query = "SELECT id, total FROM orders WHERE status = '%s'" % status
            return JsonResponse(run_report(query))
    """,
}
ELSEWHERE_QUIET = {
    "executed_in_place_is_reported_once_by_the_sink": """
        from flask import request
        import sqlite3

        def search():
            term = request.args["q"]
            sql = f"SELECT id FROM posts WHERE title = '{term}'"
            return sqlite3.connect("db").execute(sql).fetchall()
    """,
    "built_from_constants_only": """
        from flask import request

        ORDER = "created"

        def search_sql():
            limit = int(request.args.get("limit", 10))
            return f"SELECT id FROM posts ORDER BY {ORDER} LIMIT {limit}"
    """,
}


@pytest.mark.parametrize("name", list(ELSEWHERE_FLAGGED))
def test_sql_built_from_request_data_and_sent_elsewhere_is_a_warning(
    check: Check, name: str
) -> None:
    source = dedent(ELSEWHERE_FLAGGED[name])
    (finding,) = check("BE001", source)
    assert finding.severity.name == "WARNING"
    built_line = next(i for i, line in enumerate(source.splitlines()) if "SELECT" in line)
    text = source.encode()
    start_line = text[: finding.start].count(b"\n")
    end_line = text[: finding.end].count(b"\n")
    assert start_line == built_line and end_line > built_line, "range spans build to exit"
    assert finding.flow and "request" in finding.flow[0].message


@pytest.mark.parametrize("name", list(ELSEWHERE_QUIET))
def test_sql_executed_here_or_constant_is_not_reported_as_sent_elsewhere(
    check: Check, name: str
) -> None:
    findings = check("BE001", dedent(ELSEWHERE_QUIET[name]))
    executed = name.startswith("executed")
    assert [f.severity.name for f in findings] == (["ERROR"] if executed else [])


def test_bare_text_fragment_is_reported_only_with_request_data(check: Check) -> None:
    helper = """
        import sqlalchemy as sa

        def json_equals(column, value):
            col_ref = f"{column.class_.__tablename__}.{column.key}"
            return sa.text(f"{col_ref} = :value").bindparams(value=value)
    """
    view = """
        import sqlalchemy as sa
        from flask import request

        def sorted_rows(session):
            clause = sa.text(request.args["sort"] + " DESC")
            return session.query(Row).order_by(clause).all()
    """
    assert check("BE001", dedent(helper)) == []
    assert len(check("BE001", dedent(view))) == 1


def test_verbless_text_inside_execute_needs_request_data(check: Check) -> None:
    helper = """
        import sqlalchemy as sa

        async def notify(session, channel, payload):
            await session.execute(sa.text(f"NOTIFY {channel}, '{payload}'"))
    """
    view = """
        import sqlalchemy as sa

        async def notify(request, session):
            payload = request.query_params["p"]
            await session.execute(sa.text(f"NOTIFY changes, '{payload}'"))
    """
    assert check("BE001", dedent(helper)) == []
    assert len(check("BE001", dedent(view))) == 1
