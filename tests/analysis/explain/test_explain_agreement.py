"""Explanations agree with the analyzer: the N+1 verdict is its findings, FastAPI as it routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from explain_helpers import context, hover

from backend_lsp.analysis.registry import analyze
from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.schema_discovery import schema_from_document
from backend_lsp.cli import main
from backend_lsp.syntax import ParsedDocument

MODELS = """\
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    total = models.DecimalField(max_digits=10, decimal_places=2)
"""

REPORT = """\
from django.http import JsonResponse

from shop.models import Order


def order_report(request):
    orders = Order.objects.filter(total__gt=100){eager}[:200]
    rows = []
    for order in orders:
        rows.append({{"id": order.id, "customer": order.customer.name}})
    return JsonResponse({{"rows": rows}})
"""


def _schema() -> WorkspaceSchema:
    schema = WorkspaceSchema()
    for table in schema_from_document("shop/models.py", ParsedDocument(MODELS, "python")):
        schema.add(table)
    return schema


@pytest.mark.parametrize("eager", ["", '.select_related("customer")'])
def test_explain_n_plus_one_is_the_analyzers_verdict(eager: str) -> None:
    source = REPORT.format(eager=eager)
    schema = _schema()
    found = analyze(context(source, path="shop/views.py", schema=schema))
    text = hover(source, "Order.objects", path="shop/views.py", schema=schema, findings=found)
    assert text is not None
    [verdict] = [line for line in text.splitlines() if line.startswith("- N+1 risk:")]
    flagged = any(f.code == "BE004" for f in found)
    assert flagged is (eager == "")
    assert ("**yes**" in verdict) is flagged
    assert ("BE004" in verdict) is flagged


def test_explain_without_the_finding_never_says_yes() -> None:
    """The analyzer stayed quiet (say, a noqa): the hover does not claim an N+1 of its own."""
    source = REPORT.format(eager="")
    text = hover(source, "Order.objects", path="shop/views.py", schema=_schema(), findings=[])
    assert text is not None and "- N+1 risk: none found" in text


def test_cli_explain_agrees_with_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Models in another module: explain sees the workspace schema check sees."""
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "models.py").write_text(MODELS)
    (tmp_path / "shop" / "views.py").write_text(REPORT.format(eager=""))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKEND_LSP_CACHE_DIR", str(tmp_path / ".cache"))
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "BACKEND_LSP_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    assert main(["check", "shop"]) == 1
    checked = capsys.readouterr().out
    assert "shop/views.py:10:" in checked and "BE004" in checked
    assert main(["explain", "shop/views.py:7"]) == 0
    explained = capsys.readouterr().out
    assert "N+1 risk: **yes**" in explained and "BE004" in explained


API = """\
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from sqlalchemy import func
from sqlmodel import Session, select

from app.core.db import get_session
from app.core.security import get_current_user
from app.models import Item, User

SessionDep = Annotated[Session, Depends(get_session)]
CurrentUser = Annotated[User, Depends(get_current_user)]

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def read_items(session: SessionDep, current_user: CurrentUser, skip: int = 0, limit: int = 100):
    count = session.exec(select(func.count()).select_from(Item)).one()
    statement = select(Item).where(Item.owner_id == current_user.id).offset(skip).limit(limit)
    return {"data": session.exec(statement).all(), "count": count}


@router.get("/stats")
def item_stats(session: SessionDep):
    total = session.exec(select(func.count(Item.id))).one()
    per_owner = session.exec(select(Item.owner_id, func.count(Item.id)).group_by(Item.owner_id))
    return {"total": total, "per_owner": per_owner.all()}


api_router = APIRouter()
api_router.include_router(router)

app = FastAPI()
app.include_router(api_router, prefix="/api/v1")
"""


def test_explain_fastapi_annotated_dependencies_and_auth() -> None:
    text = hover(API, "def read_items")
    assert text is not None
    assert "`GET /api/v1/items/`" in text  # router prefix after every visible mount
    assert "- Body:" not in text  # aliases are dependencies, not a request body
    assert "- Dependencies: `session: SessionDep`" in text
    assert "- Auth: `current_user: CurrentUser`" in text
    assert "- Query params: `skip: int = 0`, `limit: int = 100`" in text


def test_explain_fastapi_count_queries_are_bounded() -> None:
    count = hover(API, "select(func.count())")
    assert count is not None and "- Bounded: yes" in count
    total = hover(API, "select(func.count(Item.id)))")
    assert total is not None and "- Bounded: yes" in total
    grouped = hover(API, "select(Item.owner_id")
    assert grouped is not None and "- Bounded: **no**" in grouped  # one row per owner


LIST_ENDPOINT = """\
from fastapi import APIRouter
from sqlalchemy import func, select

router = APIRouter(prefix="/orders")


@router.get("/")
async def list_orders(session: SessionDep):
    total = (await session.execute(select(func.count(Order.id)))).scalars().all()
    rows = (await session.execute(select(Order))).scalars().all()
    return {"total": total, "rows": rows}
"""


def test_analyzer_does_not_call_a_count_unbounded() -> None:
    """BE005 reads the same chain facts as the hover: the count is one row, the list is not."""
    found = analyze(context(LIST_ENDPOINT, path="app/api/routes/orders.py"))
    data = LIST_ENDPOINT.encode()
    lines = {data[: f.start].count(b"\n") + 1 for f in found if f.code == "BE005"}
    assert lines == {10}


TYPE_ALIAS = """\
from typing import Annotated

from fastapi import APIRouter, Depends, Security

router = APIRouter(prefix="/admin")
type Admin = Annotated[User, Security(require_admin, scopes=["admin"])]


@router.delete("/users/{user_id}")
async def delete_user(user_id: int, admin: Admin) -> None:
    ...
"""


def test_explain_fastapi_type_statement_alias() -> None:
    text = hover(TYPE_ALIAS, "async def delete_user")
    assert text is not None
    assert "`DELETE /admin/users/{user_id}`" in text
    assert "- Path params: `user_id: int`" in text
    assert "- Auth: `admin: Admin`" in text and "- Body:" not in text
