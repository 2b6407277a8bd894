"""BE001: SQL text composed only from safe pieces is safe, through variables too.

A column list joined from quoted identifiers (``", ".join(identifier(c) for c in cols)``),
named placeholders numbered by ``range``, ``"_id, " + columns`` and a fixed template
``.format``-ed with those pieces cannot carry attacker SQL. The same shapes built from raw
names (or quoted without doubling the quote) stay findings.
"""

from __future__ import annotations

from rule_helpers import flagged, run

HELPERS = '''
import sqlalchemy as sa


def identifier(s: str):
    """Return s as a quoted postgres identifier"""
    return u'"' + s.replace(u'"', u'""').replace(u'\\0', '') + u'"'


def wrap_only(s):
    return '"' + s + '"'
'''

# A datastore upsert in the style of a Flask + SQLAlchemy data API: the table and column
# names are the resource's own fields, every one through identifier(); values are bound.
UPSERT = """

def insert_rows(connection, resource_id, field_names, rows, include_records):
    sql_columns = ", ".join(identifier(name) for name in field_names)
    return_columns = "_id, " + sql_columns
    sql_string = '''INSERT INTO {res_id} ({columns})
        VALUES ({values}) {returning};'''.format(
        res_id=identifier(resource_id),
        columns=sql_columns,
        returning='RETURNING {return_columns}'.format(
            return_columns=return_columns) if include_records else '',
        values=', '.join([f":val_{idx}" for idx in range(0, len(field_names))]),
    )
    return connection.execute(sa.text(sql_string), rows)
"""


def _flagged(source: str) -> list[str]:
    return [flagged(f, source).split("\n")[0] for f in run("BE001", HELPERS + source)]


def test_upsert_of_quoted_columns_and_range_numbered_placeholders_is_safe() -> None:
    assert _flagged(UPSERT) == []


def test_in_list_joined_from_quoted_literals_through_a_variable_is_safe() -> None:
    source = """

def literal_string(s: str):
    return u"'" + s.replace(u"'", u"''") + u"'"


def rows_with_keys(connection, table, keys):
    key_list = ", ".join([literal_string(k) for k in keys])
    query = f"SELECT _id FROM {identifier(table)} WHERE key IN ({key_list})"
    return connection.execute(sa.text(query)).fetchall()
"""
    assert _flagged(source) == []


RAW_IN = """

def rows_with_keys(connection, table, keys):
    key_list = ", ".join([f"'{k}'" for k in keys])
    query = f"SELECT _id FROM {identifier(table)} WHERE key IN ({key_list})"
    return connection.execute(sa.text(query)).fetchall()
"""


def test_values_joined_raw_or_badly_quoted_stay_findings() -> None:
    wrapped_in = RAW_IN.replace("""[f"'{k}'" for k""", "[wrap_only(k) for k")
    data_numbered = UPSERT.replace(
        'f":val_{idx}" for idx in range(0, len(field_names))', 'f":val_{n}" for n in field_names'
    )
    assert wrapped_in != RAW_IN and data_numbered != UPSERT
    for source in (RAW_IN, wrapped_in, data_numbered):
        assert len(_flagged(source)) == 1, source
