# blind: sqli safe
from dataclasses import dataclass

from flask import Flask, request

from .db import get_cursor

app = Flask(__name__)


@dataclass
class Page:
    number: int
    size: int


@app.get("/posts")
def posts():
    pg = Page(
        number=int(request.args.get("page", 1)), size=min(int(request.args.get("size", 20)), 100)
    )
    cur = get_cursor()
    cur.execute(
        f"SELECT id, title FROM posts ORDER BY id LIMIT {pg.size} OFFSET {(pg.number - 1) * pg.size}"
    )
    return {"posts": cur.fetchall()}
