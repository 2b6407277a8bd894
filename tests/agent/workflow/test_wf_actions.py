"""One end-to-end run per built-in action on examples/shop, through the real SDK + fake API."""

from __future__ import annotations

import json
from pathlib import Path

import fake_anthropic as fa
from wf_support import PRODUCTS, MakeWorkflow, assert_no_key, optimize_products, read, task_text

from backend_lsp.agent.edits import apply_edits
from backend_lsp.analysis.model import Severity


async def test_wf_design_api_creates_new_file(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    content = (
        '"""Review endpoints."""\n\nfrom fastapi import APIRouter\n\n'
        'router = APIRouter(prefix="/reviews", tags=["reviews"])\n'
    )
    fake.push(
        fa.tool_stream(
            {
                "new_files": [{"path": "./app/routes/reviews.py", "content": content}],
                "summary": "GET /reviews (200)",
            }
        )
    )
    text = read(shop, "app/models.py")
    outcome = await make_workflow().run(
        "design-api", shop / "app/models.py", text, 1, 5, language_id="python"
    )
    assert [f.path for f in outcome.new_files] == ["app/routes/reviews.py"]
    assert outcome.new_files[0].content == content
    assert outcome.edits == [] and outcome.new_text == text
    diff = outcome.diff()
    assert "--- /dev/null\n+++ b/app/routes/reviews.py\n" in diff
    assert '+router = APIRouter(prefix="/reviews", tags=["reviews"])' in diff
    assert not (shop / "app/routes/reviews.py").exists()  # the workflow never writes
    assert "# Action: Design API" in task_text(fake.message_requests[0])
    assert_no_key(fake)


async def test_wf_optimize_query_edit(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    old = "    return db.query(Product).order_by(Product.name).all()"
    new = "    return db.query(Product).order_by(Product.name).limit(settings.MAX_PAGE_SIZE).all()"
    fake.push(fa.tool_stream({"edits": [{"search": old, "replace": new}], "summary": "bounded"}))
    text = read(shop, PRODUCTS)
    progress: list[tuple[str, int | None]] = []
    outcome = await optimize_products(
        make_workflow(),
        shop,
        text,
        on_progress=lambda message, percent: progress.append((message, percent)),
    )
    assert len(outcome.edits) == 1
    assert outcome.new_text == text.replace(old, new)
    assert apply_edits(outcome.base_text, outcome.edits) == outcome.new_text
    assert outcome.usage.input_tokens == 120 and outcome.usage.output_tokens == 42
    assert outcome.provider == "anthropic" and not outcome.cached and not outcome.repaired
    assert f"-{old}\n+{new}\n" in outcome.diff()
    assert progress[0] == ("Gathering context", 0) and progress[-1] == ("Done", 100)
    assert any("tokens" in message for message, _ in progress)
    body = task_text(fake.message_requests[0])
    assert "def export_products" in body and "# Action: Optimize query" in body
    edit = outcome.to_json()["edits"][0]
    assert edit["range"]["start"]["line"] == 30 and edit["range"]["start"]["column"] == 1


async def test_wf_review_security_findings_with_fixes(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    quote = "text(f\"SELECT id FROM products WHERE name ILIKE '%{q}%' ORDER BY name LIMIT 20\")"
    fixed = (
        'text("SELECT id FROM products WHERE name ILIKE :pattern ORDER BY name LIMIT 20"), '
        '{"pattern": f"%{q}%"}'
    )
    answer = {
        "findings": [
            {
                "search": quote,
                "message": "SQL injection through q",
                "severity": "error",
                "fix": {"search": quote, "replace": fixed},
            },
            {"search": "Depends(get_db)) -> list[Product]:\n    rows", "message": "x"},
            {"search": "this text is not in the file", "message": "dropped", "severity": "info"},
        ],
        "summary": "one injection",
    }
    fake.push(fa.tool_stream(answer))
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "review-security", shop / PRODUCTS, text, 33, 39, language_id="python"
    )
    assert [f.message for f in outcome.findings] == ["SQL injection through q", "x"]
    first = outcome.findings[0]
    data = text.encode()
    assert data[first.start : first.end].decode() == quote
    assert first.severity == Severity.ERROR and first.source == "backend-agent"
    assert first.code == "review-security"
    assert first.fix is not None
    assert apply_edits(text, first.fix.edits) == text.replace(quote, fixed)
    assert outcome.findings[1].severity == Severity.WARNING and outcome.findings[1].fix is None
    assert outcome.edits == [] and outcome.diff() == ""
    found = outcome.to_json()["findings"][0]
    assert found["range"]["start"]["line"] == 36


async def test_wf_explain_markdown(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    markdown = "## get_product\n\nLoads one `Product` by id and returns **404** when missing."
    fake.push(fa.tool_stream({"explanation": markdown, "summary": "explained"}))
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "explain", shop / PRODUCTS, text, 53, 53, language_id="python"
    )
    assert outcome.explanation == markdown
    assert outcome.edits == [] and outcome.findings == [] and outcome.new_files == []
    # A one-line selection grows to the enclosing function.
    assert "def get_product" in task_text(fake.message_requests[0])


async def test_wf_add_validation_edit(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    old = "def get_product(product_id: int, db"
    new = "def get_product(product_id: int = Path(gt=0), db"
    fake.push(
        fa.tool_stream(
            {
                "edits": [
                    {"search": old, "replace": new},
                    {
                        "search": "from fastapi import APIRouter, Depends, HTTPException, Query",
                        "replace": "from fastapi import APIRouter, Depends, HTTPException, "
                        "Path, Query",
                    },
                ],
                "summary": "positive ids only",
            }
        )
    )
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "add-validation", shop / PRODUCTS, text, 52, 57, language_id="python"
    )
    assert len(outcome.edits) == 2
    assert new in outcome.new_text and "HTTPException, Path, Query" in outcome.new_text
    assert [e.start for e in outcome.edits] == sorted(e.start for e in outcome.edits)


async def test_wf_add_error_handling_edit_reindented(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    # The model quotes the body without its indentation: matched whitespace-tolerantly.
    search = 'if row is None:\n    raise HTTPException(404, "no such product")'
    replace = (
        'if row is None:\n    raise HTTPException(404, "no such product")\n'
        'if not row.id:\n    raise HTTPException(409, "product has no id")'
    )
    fake.push(fa.tool_stream({"edits": [{"search": search, "replace": replace}], "summary": "s"}))
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "add-error-handling", shop / PRODUCTS, text, 42, 49, language_id="python"
    )
    assert '    if not row.id:\n        raise HTTPException(409, "product has no id")\n' in (
        outcome.new_text
    )
    assert outcome.new_text.count("no such product") == text.count("no such product")


async def test_wf_write_tests_new_test_file(
    fake: fa.FakeAnthropic, shop: Path, make_workflow: MakeWorkflow
) -> None:
    content = (
        "def test_get_product_404(client):\n"
        "    assert client.get('/products/0').status_code == 404\n"
    )
    fake.push(
        fa.tool_stream(
            {"new_files": [{"path": "tests/test_products.py", "content": content}], "summary": "t"}
        )
    )
    text = read(shop, PRODUCTS)
    outcome = await make_workflow().run(
        "write-tests", shop / PRODUCTS, text, 52, 57, language_id="python"
    )
    assert [(f.path, f.content) for f in outcome.new_files] == [("tests/test_products.py", content)]
    assert "+++ b/tests/test_products.py" in outcome.diff()
    payload = json.dumps(outcome.to_json())
    assert "tests/test_products.py" in payload
