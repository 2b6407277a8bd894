"""BE003: UPDATE/DELETE that touch every row."""

from __future__ import annotations

import logging
from collections.abc import Callable
from textwrap import dedent

import pytest

from backend_lsp.analysis.model import Finding, Severity

Check = Callable[..., list[Finding]]

POSITIVE = [
    (
        """
        def reset(conn):
            conn.execute("DELETE FROM sessions")
        """,
        Severity.ERROR,
    ),
    (
        """
        from sqlalchemy import text

        def deactivate_all(session):
            session.execute(text("UPDATE users SET active = false"))
        """,
        Severity.WARNING,
    ),
    (
        """
        async def purge(pool, table):
            async with pool.acquire() as conn:
                await conn.execute(f"DELETE FROM {table}")
        """,
        Severity.ERROR,
    ),
    (  # named for clearing, but it is given the user the WHERE forgot
        """
        def clear_cache(cur, user_id):
            cur.execute("DELETE FROM cache_entries")
        """,
        Severity.ERROR,
    ),
    (  # an emptying name does not excuse an UPDATE
        """
        class Store:
            def clear(self):
                self.db.execute("UPDATE accounts SET balance = 0")
        """,
        Severity.WARNING,
    ),
]

NEGATIVE = [
    """
    def remove(conn, sid):
        conn.execute("DELETE FROM sessions WHERE id = ?", (sid,))
    """,
    """
    def wipe(cur):
        cur.execute("TRUNCATE TABLE sessions")
    """,
    """
    def remove(cur, ids):
        sql = "DELETE FROM sessions"
        if ids:
            sql += " WHERE id = ANY(%s)"
        cur.execute(sql, (ids,))
    """,
    """
    def remove(cur, where, params):
        cur.execute("DELETE FROM sessions " + where, params)
        cur.execute(f"UPDATE users SET active = false {where}", params)
    """,
    """
    def everything(cur):
        cur.execute("UPDATE flags SET enabled = 0 WHERE 1=1")
    """,
    """
    def note():
        return "Update settings from the admin page"
    """,
    # named for emptying its tables, and taking nothing that could narrow the rows down
    '''
    class PostgresStorage:
        def flush(self):
            query = """
            DELETE FROM objects;
            DELETE FROM timestamps;
            """
            with self.client.connect() as conn:
                conn.execute(query)
    ''',
    """
    def delete_all_sessions(conn):
        conn.execute("DELETE FROM django_session")
    """,
    """
    class Cache:
        async def purge(self):
            await self.pool.execute("DELETE FROM cache")
    """,
]


@pytest.mark.parametrize(("source", "severity"), POSITIVE)
def test_unbounded_write_flagged(check: Check, source: str, severity: Severity) -> None:
    (finding,) = check("BE003", dedent(source))
    assert finding.severity == severity


@pytest.mark.parametrize("source", NEGATIVE)
def test_bounded_or_intentional_not_flagged(check: Check, source: str) -> None:
    assert check("BE003", dedent(source)) == []


def test_sql_file_statements(check: Check) -> None:
    source = (
        "BEGIN;\nUPDATE accounts SET balance = 0;\nDELETE FROM audit WHERE ts < now();\n"
        "TRUNCATE audit_tmp;\n  DELETE FROM cache;\nCOMMIT;\n"
    )
    findings = check("BE003", source, language="sql")
    raw = source.encode()
    assert [raw[f.start : f.end] for f in findings] == [b"UPDATE", b"DELETE"]
    assert [f.severity for f in findings] == [Severity.WARNING, Severity.ERROR]


@pytest.mark.parametrize(
    ("source", "language"),
    [
        ("DELETE FROM t WHERE name = 'unterminated;\nUPDATE x SET", "sql"),
        ("\x00\x01\x02 DELETE \xff", "sql"),
        ("$$ DELETE FROM t $$; DELETE FROM u", "sql"),
        ("SELECT * FROM t;" * 2000, "sql"),
        ('q = """DELETE FROM t\n', "python"),
        ('x = f"DELETE FROM {x}" if x else f"UPDATE {', "python"),
    ],
)
def test_bad_input_is_clean(
    check: Check, source: str, language: str, caplog: pytest.LogCaptureFixture
) -> None:
    for code in ("BE002", "BE003"):
        check(code, source, language=language)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
