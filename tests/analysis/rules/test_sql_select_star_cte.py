"""BE002 over CTEs and derived tables: a star is judged by what the query that reads it keeps.

A star inside a CTE's terms (recursive or not) reaches the caller only if a SELECT
reading the CTE stars it again (``*`` or ``alias.*``); ``G.*`` over another table in
that outer SELECT is its own finding and does not widen the CTE.
"""

from __future__ import annotations

from collections.abc import Callable
from textwrap import dedent

from backend_lsp.analysis.model import Finding

Check = Callable[..., list[Finding]]

# A category tree walked upwards with a recursive CTE (SQLAlchemy ``text()`` in a model
# module): the terms take ``m.*`` so both have the same column list, the final SELECT
# keeps ``pt.depth`` of the CTE and every column of ``categories``.
ANCESTORS = '''
from sqlalchemy import text

ANCESTORS_SQL = """WITH RECURSIVE parent_tree(depth) AS (
    -- non-recursive term
    SELECT 0, m.* FROM public.memberships AS m
    WHERE m.child_id = :id AND m.state = 'active'
    UNION
    -- recursive term
    SELECT pt.depth + 1, m.* FROM parent_tree pt, public.memberships m
    WHERE pt.parent_id = m.child_id AND pt.depth < 8
)
SELECT c.*, pt.depth FROM parent_tree AS pt
    JOIN public.categories c ON c.id = pt.parent_id
    ORDER BY pt.depth DESC"""


def ancestors(session, category_id):
    return session.execute(text(ANCESTORS_SQL), {"id": category_id}).all()
'''


def _starred(source: str, findings: list[Finding]) -> list[str]:
    raw = source.encode()
    return [raw[f.start - 2 : f.end].decode() for f in findings]


def test_stars_in_a_recursive_ctes_terms_are_narrowed_by_the_reading_select(
    check: Check,
) -> None:
    findings = check("BE002", ANCESTORS)
    # Only ``c.*`` (whole categories rows) is left; both ``m.*`` of the CTE are narrowed.
    assert _starred(ANCESTORS, findings) == ["c.*"]


def test_a_cte_whose_reader_stars_it_keeps_the_inner_star(check: Check) -> None:
    source = dedent(
        """
        def active_orders(cur):
            cur.execute(
                "WITH live AS (SELECT * FROM orders WHERE state = 'open') "
                "SELECT live.*, u.email FROM live JOIN users u ON u.id = live.user_id"
            )
        """
    )
    findings = check("BE002", source)
    assert len(findings) == 1  # the CTE's own star: ``live.*`` hands every column on
    assert "FROM orders" in source.encode()[findings[0].start : findings[0].start + 20].decode()


def test_a_derived_table_is_narrowed_by_a_star_over_another_source(check: Check) -> None:
    source = dedent(
        """
        def with_last_order(cur):
            cur.execute(
                "SELECT u.*, last.total FROM users u "
                "JOIN (SELECT * FROM orders WHERE total > 0) last ON last.user_id = u.id"
            )
        """
    )
    assert _starred(source, check("BE002", source)) == ["u.*"]


def test_a_derived_table_starred_by_its_alias_keeps_the_inner_star(check: Check) -> None:
    source = dedent(
        """
        def with_last_order(cur):
            cur.execute(
                "SELECT last.*, u.email FROM users u "
                "JOIN (SELECT * FROM orders WHERE total > 0) last ON last.user_id = u.id"
            )
        """
    )
    findings = check("BE002", source)
    assert len(findings) == 1
    assert "FROM orders" in source.encode()[findings[0].start : findings[0].start + 20].decode()
