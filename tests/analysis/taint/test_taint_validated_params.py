"""FastAPI route parameters typed so the framework validates them (Enum, Literal, numbers,
UUID, dates) carry no caller text (issue 10, false-positive class "validated parameter")."""

from __future__ import annotations

from pathlib import Path

from tests.analysis.rule_helpers import run
from tests.analysis.taint.test_taint_xmodule import findings, line_of, project

API = """
import subprocess
from datetime import date
from enum import Enum, IntEnum
from typing import Annotated, Literal, Optional
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel
from sqlalchemy import text

router = APIRouter()


class TimeUnit(str, Enum):
    week = "week"
    day = "day"


class Priority(IntEnum):
    low = 1
    high = 2


class Bucket(TimeUnit):
    pass
"""


def test_enum_and_literal_parameters_are_validated() -> None:
    source = (
        API
        + """
@router.get("/count-by/{unit}")
async def count_by(unit: TimeUnit = Path(...), db=Depends()):
    return await db.execute(text(f"SELECT date_trunc('{unit.value}', created) FROM events"))

@router.get("/by-priority")
async def by_priority(priority: Optional[Priority] = Query(None), db=Depends()):
    return await db.execute(text(f"SELECT * FROM tasks WHERE priority = {priority}"))

@router.get("/buckets/{bucket}")
async def buckets(bucket: Annotated[Bucket, Path()], db=Depends()):
    return await db.execute(text(f"SELECT * FROM buckets_{bucket.value}"))

@router.post("/export")
def export(fmt: Literal["csv", "json"] = Query("csv")):
    subprocess.run(f"flowctl export --format {fmt}", shell=True)
"""
    )
    assert run("BE001", source) == []
    assert run("BE016", source) == []


def test_numbers_uuids_and_dates_are_validated() -> None:
    source = (
        API
        + """
@router.get("/runs/{run_id}/logs")
def logs(run_id: UUID = Path(...), day: date | None = Query(None)):
    return open(f"/var/log/flows/{run_id}/{day}.log").read()

@router.get("/pages/{page}")
def page(page: Annotated[int, Path(ge=1)], db=Depends()):
    return db.execute(text(f"SELECT * FROM items LIMIT 50 OFFSET {page * 50}"))
"""
    )
    assert run("BE018", source) == []
    assert run("BE001", source) == []


def test_an_enum_imported_from_the_workspace_is_validated(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        {
            "flows/__init__.py": "",
            "flows/utilities.py": "from enum import Enum\n\n\nclass AutoEnum(str, Enum):\n"
            "    pass\n",
            "flows/counting.py": "from flows.utilities import AutoEnum\n\n\n"
            "class Countable(AutoEnum):\n    day = 'day'\n    event = 'event'\n\n\n"
            "class Label:\n    pass\n",
            "flows/api.py": "from fastapi import APIRouter, Path\nfrom sqlalchemy import text\n\n"
            "from flows.counting import Countable, Label\n\nrouter = APIRouter()\n\n\n"
            "@router.post('/count-by/{countable}')\n"
            "async def count(countable: Countable = Path(...), db=None):\n"
            "    return await db.execute(text(f'SELECT count(*) FROM e GROUP BY {countable}'))"
            "\n\n\n"
            "@router.post('/label/{label}')\n"
            "async def label(label: Label = Path(...), db=None):\n"
            "    return await db.execute(text(f'SELECT * FROM e WHERE label = {label}'))\n",
        },
    )
    found = findings(root, "flows/api.py", "BE001")
    assert [line_of(root, "flows/api.py", f).strip() for f in found] == [
        "return await db.execute(text(f'SELECT * FROM e WHERE label = {label}'))"
    ]


# Text parameters stay request data ------------------------------------------------------


def test_string_path_and_query_parameters_stay_tainted() -> None:
    source = (
        API
        + """
@router.get("/flows/{name}")
async def by_name(name: str = Path(...), db=Depends()):
    return await db.execute(text(f"SELECT * FROM flows WHERE name = '{name}'"))

@router.get("/search")
async def search(q: Optional[str] = Query(None), db=Depends()):
    return await db.execute(text(f"SELECT * FROM flows WHERE name LIKE '%{q}%'"))

@router.get("/tags/{tag}")
async def tag(tag: Annotated[str, Path()], db=Depends()):
    return await db.execute(text(f"SELECT * FROM tags WHERE tag = '{tag}'"))
"""
    )
    assert len(run("BE001", source)) == 3


def test_a_literal_mixed_with_free_text_stays_tainted() -> None:
    source = (
        API
        + """
@router.post("/export")
def export(fmt: Literal["csv", "json"] | str = Query("csv")):
    subprocess.run(f"flowctl export --format {fmt}", shell=True)
"""
    )
    assert len(run("BE016", source)) == 1


def test_a_class_that_is_not_an_enum_is_not_validated() -> None:
    source = (
        API
        + """
class Filter(BaseModel):
    name: str

class Slug(str):
    pass

@router.post("/filter")
async def filter_flows(body: Filter, db=Depends()):
    return await db.execute(text(f"SELECT * FROM flows WHERE name = '{body.name}'"))

@router.get("/slug/{slug}")
async def by_slug(slug: Slug = Path(...), db=Depends()):
    return await db.execute(text(f"SELECT * FROM flows WHERE slug = '{slug}'"))
"""
    )
    assert len(run("BE001", source)) == 2
