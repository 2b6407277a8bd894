"""Personalised PageRank and the ranking built on it.

The graph-level tests pin the properties the ranking relies on; the workspace
tests run the real index on a small FastAPI app written here.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from backend_lsp.context.budget import estimate_tokens
from backend_lsp.context.pagerank import personalised_pagerank
from backend_lsp.context.workspace import MAX_NODES, rank, workspace_items
from backend_lsp.index import WorkspaceIndex


def test_scores_sum_to_one_and_the_seed_leads() -> None:
    scores = personalised_pagerank({"s": [("a", 1.0)], "a": [("b", 1.0)]}, {"s": 1.0})
    assert sum(scores.values()) == pytest.approx(1.0)
    assert scores["s"] > scores["a"] > scores["b"] > 0


def test_two_paths_outrank_one() -> None:
    # The seed uses x and y; both use m; only x uses lone.
    edges = {"s": [("x", 1.0), ("y", 1.0)], "x": [("m", 1.0), ("lone", 1.0)], "y": [("m", 1.0)]}
    scores = personalised_pagerank(edges, {"s": 1.0})
    assert scores["m"] > scores["lone"]


def test_a_stronger_edge_passes_more() -> None:
    scores = personalised_pagerank({"s": [("dep", 0.95), ("value", 0.45)]}, {"s": 1.0})
    assert scores["dep"] / scores["value"] == pytest.approx(0.95 / 0.45)


def test_dead_ends_send_walkers_home_and_no_seed_means_nothing() -> None:
    scores = personalised_pagerank({"s": [("end", 1.0)]}, {"s": 1.0})
    assert sum(scores.values()) == pytest.approx(1.0)
    assert personalised_pagerank({"s": [("a", 1.0)]}, {}) == {}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


APP = {
    "app/__init__.py": "",
    "app/models.py": """
        from sqlmodel import Field, SQLModel

        class Invoice(SQLModel, table=True):
            __tablename__ = "invoices"
            id: int | None = Field(default=None, primary_key=True)
            total: int

        class Customer(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)
            name: str

        class Unrelated(SQLModel, table=True):
            id: int | None = Field(default=None, primary_key=True)
        """,
    "app/deps.py": """
        from typing import Annotated
        from fastapi import Depends
        from sqlmodel import Session

        def get_db():
            yield Session()

        SessionDep = Annotated[Session, Depends(get_db)]

        def verify_token() -> None:
            return None
        """,
    "app/crud.py": """
        from app.models import Customer, Invoice

        def invoice_total(session, customer: Customer) -> int:
            return sum(i.total for i in session.query(Invoice).filter_by(customer=customer.id))

        def customer_name(customer: Customer) -> str:
            return customer.name
        """,
    "app/routes.py": """
        from fastapi import APIRouter, Depends
        from sqlalchemy import text

        from app import crud
        from app.deps import SessionDep, verify_token
        from app.models import Customer

        router = APIRouter(prefix="/customers")

        @router.get("/{cid}/total", dependencies=[Depends(verify_token)])
        def total(cid: int, session: SessionDep) -> int:
            customer = session.get(Customer, cid)
            crud.customer_name(customer)
            return crud.invoice_total(session, customer)

        @router.get("/report")
        def report(session: SessionDep) -> list[int]:
            rows = session.execute(text("SELECT total FROM invoices WHERE total > 10"))
            return [r[0] for r in rows]
        """,
}


@pytest.fixture
def app_index(tmp_path: Path) -> WorkspaceIndex:
    _write(tmp_path, APP)
    index = WorkspaceIndex(tmp_path, persist=False)
    index.build(workers=1)
    return index


def _lines_of(index: WorkspaceIndex, rel: str, name: str) -> tuple[int, int]:
    symbol = next(s for s in index.files[rel].symbols if s.name == name)
    return symbol.start_line, symbol.end_line


def _names(candidates: list[object]) -> list[str]:
    return [c.target.symbol.name for c in candidates]  # type: ignore[attr-defined]


def test_what_several_definitions_lead_to_ranks_first(app_index: WorkspaceIndex) -> None:
    first, last = _lines_of(app_index, "app/routes.py", "total")
    ranked = rank(app_index, app_index.root / "app/routes.py", first, last, [])
    names = _names(ranked)
    # Customer is used by the handler and by both CRUD helpers it calls.
    assert names[0] == "Customer", names
    assert "Unrelated" not in names
    # The route's decorator-level dependency and the alias behind SessionDep.
    assert {"verify_token", "SessionDep", "get_db", "invoice_total", "Invoice"} <= set(names)
    assert ranked == sorted(ranked, key=lambda c: -c.score)


def test_tables_named_in_sql_seed_their_model(app_index: WorkspaceIndex) -> None:
    first, last = _lines_of(app_index, "app/routes.py", "report")
    path = app_index.root / "app/routes.py"
    text = "".join(path.read_text().splitlines(keepends=True)[first - 1 : last])
    found = {c.target.symbol.name: c.reason for c in rank(app_index, path, first, last, [], text)}  # type: ignore[union-attr]
    assert "invoices" in found["Invoice"]
    assert "Invoice" not in _names(rank(app_index, path, first, last, []))  # not without the SQL


def test_top_items_in_full_the_rest_as_outlines_within_budget(app_index: WorkspaceIndex) -> None:
    path = app_index.root / "app/routes.py"
    first, last = _lines_of(app_index, "app/routes.py", "total")
    roomy = workspace_items(app_index, path, first, last, [], 12_000, [])
    assert all("(outline)" not in i.reason for i in roomy[:3])
    assert sum(i.tokens for i in roomy) <= 12_000
    outlines = sum(
        estimate_tokens(c.target.symbol.outline + "\n")  # type: ignore[union-attr]
        for c in rank(app_index, path, first, last, [])
    )
    full = sum(i.tokens for i in roomy)
    assert outlines < full
    tight_budget = (outlines + full) // 2
    tight = workspace_items(app_index, path, first, last, [], tight_budget, [])
    assert sum(i.tokens for i in tight) <= tight_budget
    assert any("(outline)" in i.reason for i in tight)
    # Full text only where it leaves room for the outlines of the rest: nothing is dropped.
    assert [(i.path, i.start_line) for i in tight] == [(i.path, i.start_line) for i in roomy]


def test_the_neighbourhood_is_bounded(tmp_path: Path) -> None:
    helpers = "\n".join(f"def helper_{i}():\n    return {i}\n" for i in range(MAX_NODES + 50))
    calls = "\n".join(f"    h.helper_{i}()" for i in range(MAX_NODES + 50))
    _write(tmp_path, {"h.py": helpers, "main.py": f"import h\n\ndef run():\n{calls}\n"})
    index = WorkspaceIndex(tmp_path, persist=False)
    index.build(workers=1)
    first, last = _lines_of(index, "main.py", "run")
    assert len(rank(index, tmp_path / "main.py", first, last, [])) < MAX_NODES


SETTINGS = {
    "conf.py": """
        from pydantic_settings import BaseSettings

        class PathSettings(BaseSettings):
            data_folder: str = "./data"
            database_url: str | None = (
                None
            )

        class Settings(PathSettings):
            debug: bool = False

            def public_url(self) -> str:
                return "https://example.test"

        settings = Settings()
        """,
    "views.py": """
        from conf import settings

        def backup() -> str:
            if settings.debug:
                return settings.public_url()
            return f"{settings.database_url} {settings.data_folder}"
        """,
}


def test_a_read_of_an_instance_field_sends_that_field(tmp_path: Path) -> None:
    _write(tmp_path, SETTINGS)
    index = WorkspaceIndex(tmp_path, persist=False)
    index.build(workers=1)
    first, last = _lines_of(index, "views.py", "backup")
    items = workspace_items(index, tmp_path / "views.py", first, last, [], 12_000, [])
    lines = (tmp_path / "conf.py").read_text().splitlines()
    sent = {(i.start_line, i.end_line): i for i in items if i.path == "conf.py"}

    def at(text: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if text in line)

    # Inherited fields, each by its own lines (a multi-line value included).
    assert sent[(at("data_folder:"), at("data_folder:"))].text.strip().startswith("data_folder")
    url = sent[(at("database_url:"), at("database_url:") + 2)]
    assert "field `PathSettings.database_url` read as `settings.database_url`" in url.reason
    assert (at("debug: bool"), at("debug: bool")) in sent
    assert any(i.start_line <= at("def public_url") <= i.end_line for i in sent.values())
