"""BE001: a project's own quoting helper, recognised by what its body does.

A function whose result is its argument with the quote character doubled, wrapped in that
quote (``'"' + s.replace('"', '""') + '"'``), yields a correctly escaped identifier or
literal, whatever it is called. A helper that only wraps, or doubles another character,
sanitizes nothing.
"""

from __future__ import annotations

from rule_helpers import flagged, run

HELPERS = '''
import sqlalchemy as sa


def literal_string(s: str):
    """Return s as a postgres literal string"""
    return u"'" + s.replace(u"'", u"''").replace(u'\\0', '') + u"'"


def identifier(s: str):
    """Return s as a quoted postgres identifier"""
    return u'"' + s.replace(u'"', u'""').replace(u'\\0', '') + u'"'


def wrap_only(s):
    return "'" + s + "'"


def wrong_quote(s):
    return "'" + s.replace('"', '""') + "'"
'''


def _flagged(source: str) -> list[str]:
    return [flagged(f, source).split("\n")[0] for f in run("BE001", HELPERS + source)]


def test_literal_quoted_by_a_doubling_helper_is_safe() -> None:
    source = '''

def resource_type(connection, id):
    tabletype_sql = sa.text(f"""
        SELECT table_type FROM INFORMATION_SCHEMA.TABLES
        WHERE table_name = {literal_string(id)}
        """)
    return connection.execute(tabletype_sql).scalar()


def drop(connection, table):
    connection.execute(sa.text(f"DROP TABLE {identifier(table)} CASCADE"))
'''
    assert _flagged(source) == []


def test_helpers_that_do_not_double_the_quote_stay_findings() -> None:
    source = """

def resource_type(connection, id):
    return connection.execute(sa.text(
        f"SELECT 1 FROM pg_tables WHERE tablename = {wrap_only(id)}")).scalar()


def other(connection, id):
    return connection.execute(sa.text(
        f"SELECT 1 FROM pg_tables WHERE tablename = {wrong_quote(id)}")).scalar()
"""
    assert len(_flagged(source)) == 2
