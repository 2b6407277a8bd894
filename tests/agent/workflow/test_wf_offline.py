"""The offline provider end to end through the workflow: answers that always apply."""

from __future__ import annotations

from pathlib import Path

import fake_anthropic as fa
from wf_support import MakeWorkflow, read

from backend_lsp.agent.workflow import ActionWorkflow
from backend_lsp.analysis.schema import Table, WorkspaceSchema

REPORTING = "app/services/reporting.py"
BACKFILL = "migrations/003_backfill_categories.sql"
ORDERS = ["id", "customer_id", "status", "total", "created_at"]
PRODUCTS = ["id", "name", "price", "category"]


def offline(make_workflow: MakeWorkflow) -> ActionWorkflow:
    workflow = make_workflow(provider="offline", api_key=None, base_url=None)
    schema = WorkspaceSchema()
    schema.add(Table("orders", ORDERS))
    schema.add(Table("products", PRODUCTS))
    workflow.schema = schema
    return workflow


async def test_wf_offline_optimize_fix_and_expansion_are_one_hunk(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    text = read(shop, REPORTING)
    outcome = await offline(make_workflow).run(
        "optimize-query", shop / REPORTING, text, 11, 11, language_id="python"
    )
    assert len(outcome.edits) == 1  # the fix and the column list: one edit, not two
    star = (
        "    query = \"SELECT * FROM orders WHERE status = '%s' ORDER BY created_at DESC\""
        " % status\n"
    )
    fixed = (
        '    query = "SELECT id, customer_id, status, total, created_at FROM orders '
        'WHERE status = :status ORDER BY created_at DESC"\n'
    )
    call = "    rows = db.execute(text(query)).mappings().all()\n"
    bound = '    rows = db.execute(text(query), {"status": status}).mappings().all()\n'
    assert outcome.new_text == text.replace(star + call, fixed + bound)
    assert "[BE001]" in outcome.summary and "ix_orders_status_created_at" in outcome.summary
    assert outcome.provider == "offline"
    assert fake.requests == []


async def test_wf_offline_optimize_reads_sql_documents(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    text = read(shop, BACKFILL)
    line = text.splitlines().index("SELECT * FROM products WHERE category = 'misc';") + 1
    outcome = await offline(make_workflow).run(
        "optimize-query", shop / BACKFILL, text, line, line, language_id="sql"
    )
    assert outcome.new_text == text.replace(
        "SELECT * FROM products WHERE", "SELECT id, name, price, category FROM products WHERE"
    )
    assert "CREATE INDEX ix_products_category ON products (category);" in outcome.summary
    # the UPDATE above is not a SELECT: left alone, and no advice invented for it
    assert "UPDATE products SET category = 'misc'" in outcome.new_text
    assert fake.requests == []


async def test_wf_offline_explain_finds_sql_in_the_middle_of_a_line(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    text = read(shop, REPORTING)
    workflow = offline(make_workflow)
    for line in (11, 18):  # `query = "SELECT ..." % status`, `text("SELECT ...")`
        outcome = await workflow.run(
            "explain", shop / REPORTING, text, line, line, language_id="python"
        )
        assert outcome.explanation is not None
        assert outcome.explanation.startswith("**SQL SELECT**"), outcome.explanation
        assert "`orders`" in outcome.explanation
    assert fake.requests == []
