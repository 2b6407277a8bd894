"""describe_sql / looks_like_sql on real-world query shapes and every paramstyle."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.sql import describe_sql, describe_statements, looks_like_sql


@pytest.mark.parametrize(
    ("sql", "style"),
    [
        ("SELECT id FROM users WHERE email = ?", "qmark"),
        ("SELECT id FROM users WHERE email = %s", "format"),
        ("SELECT id FROM users WHERE email = %(email)s", "pyformat"),
        ("SELECT id FROM users WHERE email = :email", "named"),
        ("SELECT id FROM users WHERE email = $1", "dollar"),
        ("SELECT id FROM users WHERE email = :1", "numeric"),
    ],
)
def test_every_paramstyle_parses(sql: str, style: str) -> None:
    facts = describe_sql(sql)
    assert facts is not None
    assert facts.kind == "SELECT"
    assert facts.tables == ("users",)
    assert facts.placeholders == 1
    assert facts.paramstyle == style
    assert facts.has_where


def test_select_details() -> None:
    facts = describe_sql(
        "SELECT u.id, u.name AS n, count(o.id) FROM users u "
        "LEFT JOIN orders o ON o.user_id = u.id "
        "WHERE u.active = %s AND o.total > %(min)s GROUP BY u.id, u.name "
        "ORDER BY u.name DESC LIMIT 20",
        "postgres",
    )
    assert facts is not None
    assert facts.tables == ("users", "orders")
    assert facts.columns[:2] == ("id", "n")
    assert len(facts.joins) == 1 and "orders" in facts.joins[0]
    assert len(facts.filters) == 2
    assert facts.has_limit
    assert facts.order_by == ("u.name DESC",)
    assert not facts.select_star
    assert facts.placeholders == 2


def test_percent_literal_and_placeholder_inside_quotes_not_counted() -> None:
    facts = describe_sql("DELETE FROM logs WHERE msg LIKE 'a%%?' AND ts < %s")
    assert facts is not None
    assert facts.kind == "DELETE"
    assert facts.placeholders == 1


def test_stars() -> None:
    facts = describe_sql("SELECT u.*, o.id FROM users u JOIN orders o ON o.user_id = u.id")
    assert facts is not None
    assert [(s.qualifier, s.tables) for s in facts.stars] == [("u", ("users",))]
    sql = "SELECT * FROM accounts WHERE id = ?"
    star = describe_sql(sql).stars[0]  # type: ignore[union-attr]
    assert sql[star.start : star.end] == "*"
    assert star.tables == ("accounts",)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) FROM users",
        "SELECT id FROM users u WHERE EXISTS (SELECT * FROM orders o WHERE o.user_id = u.id)",
        "SELECT a * b FROM t",
    ],
)
def test_star_free(sql: str) -> None:
    facts = describe_sql(sql)
    assert facts is not None
    assert not facts.select_star


def test_star_over_subquery_or_cte_is_unresolved() -> None:
    facts = describe_sql("WITH recent AS (SELECT id FROM t) SELECT * FROM recent")
    assert facts is not None
    assert facts.tables == ("t",)
    assert facts.stars[0].tables == ()


def test_write_statements() -> None:
    update = describe_sql("UPDATE users SET name = ?, email = ? WHERE id = ?")
    assert update is not None
    assert (update.kind, update.columns, update.has_where) == ("UPDATE", ("name", "email"), True)
    delete = describe_sql("DELETE FROM sessions")
    assert delete is not None and delete.kind == "DELETE" and not delete.has_where
    insert = describe_sql("INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id")
    assert insert is not None and insert.columns == ("name", "email")
    truncate = describe_sql("TRUNCATE TABLE sessions")
    assert truncate is not None and truncate.kind == "TRUNCATE"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world",
        "Select an option",
        "Update the settings below",
        "Delete this item?",
        "SELECT",
        "select from where",
        "\x00\x01binary",
        "x" * 500_000,
    ],
)
def test_not_sql_returns_none(text: str) -> None:
    assert describe_sql(text) is None


def test_looks_like_sql() -> None:
    assert looks_like_sql("  -- comment\n SELECT id FROM t")
    assert looks_like_sql("(SELECT 1) UNION (SELECT 2)")
    assert looks_like_sql("with x as (select 1) select * from x")
    assert not looks_like_sql("selection of items from the list")
    assert not looks_like_sql("Created table successfully")


def test_statements_of_a_sql_file() -> None:
    text = (
        "CREATE TABLE a (id int);\n\nDELETE FROM a;\n-- keep; comment\n"
        "UPDATE a SET id = 1 WHERE id = 2;\nnot sql at all;"
    )
    found = describe_statements(text)
    assert [f.kind for _, f in found] == ["CREATE", "DELETE", "UPDATE"]
    assert text[found[2][0] :].startswith("UPDATE")
    assert text[found[1][0] :].startswith("DELETE")
