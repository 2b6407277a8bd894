# blind: sqli safe
from enum import Enum

from fastapi import FastAPI
from sqlalchemy import text

from .db import engine

app = FastAPI()


class SortField(str, Enum):
    name = "name"
    created = "created_at"


@app.get("/projects")
def projects(sort: SortField = SortField.name):
    with engine.connect() as conn:
        return [
            r.name for r in conn.execute(text(f"SELECT name FROM projects ORDER BY {sort.value}"))
        ]
