# blind: sqli tp
from dataclasses import dataclass

from flask import Flask, request

from .db import get_cursor

app = Flask(__name__)


@dataclass
class Pagination:
    sort: str
    page: int = 1


@app.get("/posts")
def posts():
    pag = Pagination(sort=request.args.get("sort", "id"), page=int(request.args.get("page", 1)))
    cur = get_cursor()
    cur.execute(
        f"SELECT id, title FROM posts ORDER BY {pag.sort} LIMIT 20 OFFSET {(pag.page - 1) * 20}"
    )
    return {"posts": cur.fetchall()}
