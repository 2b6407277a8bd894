"""FastAPI fills a dependency's parameters from the request as it does a route's, so a
dependency of the same file that returns them (or builds on them) hands request data to
the route. A dependency returning a session, a settings value, a validated number or
nothing of its parameters hands none."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
import subprocess
from pathlib import Path
from typing import Annotated
from fastapi import Depends, FastAPI, Header, Query, Request
from sqlalchemy import text
from .db import engine
app = FastAPI()
"""

FLAGGED = {
    "query parameter through a filter builder": (
        "BE001",
        """
def region_filter(region: str = Query("eu")) -> str:
    return f"region = '{region}'"

@app.get("/stores")
def stores(where: str = Depends(region_filter)):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM stores WHERE " + where)).all()
""",
    ),
    "header parameter joined into a path": (
        "BE018",
        """
def workspace_dir(x_workspace: str = Header(...)) -> Path:
    return Path("/srv/workspaces") / x_workspace

@app.delete("/cache")
def clear_cache(ws: Path = Depends(workspace_dir)):
    (ws / "cache.db").unlink(missing_ok=True)
""",
    ),
    "plain str parameter, Annotated alias": (
        "BE016",
        """
def branch_name(branch: str) -> str:
    return branch.strip()

@app.post("/deploy")
def deploy(branch: Annotated[str, Depends(branch_name)]):
    subprocess.run("git checkout " + branch, shell=True)
""",
    ),
    "dependency reading the request object": (
        "BE016",
        """
async def raw_command(request: Request) -> str:
    return request.query_params["cmd"]

@app.post("/run")
async def run_it(cmd: str = Depends(raw_command)):
    subprocess.run(cmd, shell=True)
""",
    ),
}

SAFE = {
    "a session dependency": (
        "BE001",
        """
def get_db():
    with engine.connect() as conn:
        yield conn

@app.get("/stores")
def stores(region: int = Query(1), db=Depends(get_db)):
    return db.execute(text("SELECT * FROM stores WHERE region = :r"), {"r": region}).all()
""",
    ),
    "a validated number": (
        "BE001",
        """
def page_offset(page: int = Query(1)) -> str:
    return f"OFFSET {(page - 1) * 20}"

@app.get("/stores")
def stores(offset: str = Depends(page_offset)):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM stores LIMIT 20 " + offset)).all()
""",
    ),
    "a value from an allow-list": (
        "BE001",
        """
SORTS = {"name": "name ASC", "new": "created DESC"}

def sort_clause(sort: str = Query("name")) -> str:
    return SORTS.get(sort, "name ASC")

@app.get("/stores")
def stores(order: str = Depends(sort_clause)):
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM stores ORDER BY " + order)).all()
""",
    ),
    "a dependency returning none of its parameters": (
        "BE016",
        """
def tool_path(verbose: bool = Query(False)) -> str:
    return "/usr/bin/git"

@app.post("/deploy")
def deploy(git: str = Depends(tool_path)):
    subprocess.run(git + " pull", shell=True)
""",
    ),
}


@pytest.mark.parametrize(("code", "body"), FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(code: str, body: str) -> None:
    assert code in [f.code for f in run(code, HEAD + body, "app/api/routes.py")]


@pytest.mark.parametrize(("code", "body"), SAFE.values(), ids=SAFE.keys())
def test_safe(code: str, body: str) -> None:
    assert run(code, HEAD + body, "app/api/routes.py") == []
