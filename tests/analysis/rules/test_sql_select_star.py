"""BE002 in Python strings and .sql files, with the schema-driven fix."""

from __future__ import annotations

import ast
from collections.abc import Callable
from textwrap import dedent

import pytest

from backend_lsp.analysis.model import Finding, Fix
from backend_lsp.analysis.schema import Table, WorkspaceSchema

Check = Callable[..., list[Finding]]
Apply = Callable[[str, Fix], str]


def _schema() -> WorkspaceSchema:
    schema = WorkspaceSchema()
    schema.add(Table("users", ["id", "email", "name"]))
    schema.add(Table("orders", ["id", "user_id", "total"]))
    return schema


POSITIVE = [
    """
    def all_users(conn):
        return conn.execute("SELECT * FROM users").fetchall()
    """,
    """
    from sqlalchemy import text

    def paid(session):
        return session.execute(text("SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id"))
    """,
    """
    async def by_id(conn, order_id):
        return await conn.fetchrow(f"SELECT * FROM {TABLE} WHERE id = $1", order_id)
    """,
    """
    QUERY = '''
        SELECT *
        FROM orders
        WHERE total > %(min)s
    '''
    """,
]

NEGATIVE = [
    """
    def total(cur):
        cur.execute("SELECT COUNT(*) FROM users")
    """,
    """
    def has_orders(cur, uid):
        cur.execute(
            "SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)"
        )
    """,
    """
    def recent(cur):
        cur.execute("WITH r AS (SELECT id, total FROM orders) SELECT * FROM r")
    """,
    '''
    def doc():
        """SELECT * FROM users is what this used to run."""
        return "Select * items you like from the menu"
    ''',
    """
    def copy(cur):
        cur.execute("INSERT INTO orders_archive SELECT * FROM orders")
    """,
    """
    async def installed(db, active=None):
        query = "SELECT * FROM installed_extensions"
        if active is not None:
            query += " WHERE active = :active"
        return await db.fetchall(query, {"active": active}, model=InstallableExtension)
    """,
    """
    def sheet_readable(conn, url):
        return conn.execute(f'SELECT * FROM "{url}" LIMIT 1').fetchall()
    """,
    """
    async def get_row(conn, ext_id, table, row_id):
        query = f"SELECT * FROM {table_ref_for_schema(ext_id, table)} WHERE id = :id"
        return await conn.fetchone(query, {"id": row_id})
    """,
]

MORE_POSITIVE = [
    """
    async def wallet_ids(db, user):
        query = "SELECT * FROM wallets WHERE owner = :user"
        rows = await db.fetchall(query, {"user": user})
        return [row["id"] for row in rows]
    """,
    """
    def first_user(conn):
        return conn.execute("SELECT * FROM users WHERE active LIMIT 1").fetchone()
    """,
    # The outer query keeps every column of the inner one: the star still reaches the caller.
    """
    def latest_orders(conn):
        return conn.execute(
            "SELECT * FROM (SELECT * FROM orders WHERE total > 0 ORDER BY id DESC) recent"
        ).fetchall()
    """,
]

# Stars inside a subquery whose enclosing SELECT names the columns it keeps.
NARROWED = [
    '''
    from sqlalchemy import text

    NEXT_RUNS = text("""
        SELECT r.id, r.name, r.starts_at
        FROM (SELECT DISTINCT job_id FROM runs WHERE job_id IN :ids) AS jobs
        CROSS JOIN LATERAL (
            SELECT * FROM runs r WHERE r.job_id = jobs.job_id ORDER BY r.starts_at LIMIT 1
        ) r
    """)
    ''',
    """
    def top_spenders(cur):
        cur.execute(
            "WITH big AS (SELECT * FROM orders WHERE total > 100) "
            "SELECT user_id, SUM(total) FROM big GROUP BY user_id"
        )
    """,
    """
    def names(cur):
        cur.execute("SELECT u.name FROM (SELECT * FROM users WHERE active) u ORDER BY u.name")
    """,
]


@pytest.mark.parametrize("source", NARROWED)
def test_select_star_narrowed_by_the_outer_query(check: Check, source: str) -> None:
    assert check("BE002", dedent(source)) == []


@pytest.mark.parametrize("source", MORE_POSITIVE)
def test_select_star_kept_without_a_model_or_probe(check: Check, source: str) -> None:
    assert len(check("BE002", dedent(source))) == 1


@pytest.mark.parametrize("source", POSITIVE)
def test_select_star_flagged(check: Check, source: str) -> None:
    findings = check("BE002", dedent(source))
    assert len(findings) == 1
    text = dedent(source).encode()
    assert text[findings[0].start : findings[0].end] == b"*"


@pytest.mark.parametrize("source", NEGATIVE)
def test_select_star_not_flagged(check: Check, source: str) -> None:
    assert check("BE002", dedent(source)) == []


def test_fix_expands_columns_from_schema(check: Check, apply_fix: Apply) -> None:
    source = dedent(POSITIVE[0])
    (finding,) = check("BE002", source, schema=_schema())
    assert "id, email, name" in finding.message
    assert finding.fix is not None
    result = apply_fix(source, finding.fix)
    ast.parse(result)
    assert 'conn.execute("SELECT id, email, name FROM users")' in result


def test_fix_qualified_star(check: Check, apply_fix: Apply) -> None:
    source = dedent(POSITIVE[1])
    (finding,) = check("BE002", source, schema=_schema())
    assert finding.fix is not None
    result = apply_fix(source, finding.fix)
    assert "SELECT o.id, o.user_id, o.total FROM orders o JOIN" in result


def test_no_fix_for_join_star_or_unknown_table(check: Check) -> None:
    source = "rows = db.execute('SELECT * FROM users u JOIN orders o ON o.user_id = u.id')\n"
    (finding,) = check("BE002", source, schema=_schema())
    assert finding.fix is None
    (finding,) = check("BE002", "db.execute('SELECT * FROM payments')\n", schema=_schema())
    assert finding.fix is None


def test_sql_file(check: Check, apply_fix: Apply) -> None:
    source = (
        "-- reports\nSELECT count(*) FROM users;\n"
        "SELECT * FROM orders WHERE total > 10;\n"
        "SELECT é.* FROM users é;\n"
    )
    findings = check("BE002", source, language="sql", schema=_schema())
    assert len(findings) == 2
    assert findings[0].fix is not None
    fixed = apply_fix(source, findings[0].fix)
    assert "SELECT id, user_id, total FROM orders WHERE" in fixed
    raw = source.encode()
    assert raw[findings[1].start : findings[1].end] == b"*"


def test_whole_rows_mapped_into_a_model_and_catalog_probes_are_not_flagged() -> None:
    from rule_helpers import run as run_rule

    source = """
async def get_payment(conn, checking_id):
    return await conn.fetchone(
        "SELECT * FROM apipayments WHERE checking_id = :checking_id",
        {"checking_id": checking_id},
        model=Payment,
    )


async def get_wallet(conn, wallet_id):
    return await conn.fetchone("SELECT * FROM wallets WHERE id = :id", {"id": wallet_id}, Wallet)


async def has_versions(conn):
    return await conn.fetchone("SELECT * FROM sqlite_master WHERE name = 'dbversions'")


async def raw_rows(conn):
    return await conn.fetchall("SELECT * FROM apipayments WHERE amount > 0")
"""
    findings = run_rule("BE002", source)
    assert len(findings) == 1
    assert source.encode()[findings[0].start - 7 : findings[0].start] == b"SELECT "
    assert (
        b"apipayments WHERE amount" in source.encode()[findings[0].start : findings[0].start + 40]
    )


def test_rows_whose_every_column_is_read_have_nothing_to_drop() -> None:
    from rule_helpers import run as run_rule
    from rule_helpers import schema

    known = schema(Table("system_settings", ["id", "value", "tag"]))
    source = """
async def get_settings_field(id_, tag="core"):
    row: dict = await db.fetchone(
        "SELECT * FROM system_settings WHERE id = :id AND tag = :tag", {"id": id_, "tag": tag}
    )
    if not row:
        return None
    return SettingsField(id=row["id"], value=json.loads(row["value"]), tag=row["tag"])


async def all_settings():
    rows = await db.fetchall("SELECT * FROM system_settings")
    return [Setting(id=r.id, value=r.value, tag=r.tag) for r in rows]


async def settings_by_tag(tag):
    rows = await db.fetchall("SELECT * FROM system_settings WHERE tag = :tag", {"tag": tag})
    return {row["id"]: row["value"] for row in rows}


async def first_setting():
    return await db.fetchone("SELECT * FROM system_settings LIMIT 5")
"""
    findings = run_rule("BE002", source, known=known)
    lines = [source[: f.start].count("\n") + 1 for f in findings]
    assert [source.splitlines()[n - 1].split("FROM ")[1][:30] for n in lines] == [
        "system_settings WHERE tag = :t",  # ``tag`` is never read
        'system_settings LIMIT 5")',  # returned: the rows' use is out of sight
    ]
