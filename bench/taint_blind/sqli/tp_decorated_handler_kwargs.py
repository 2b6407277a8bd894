# blind: sqli tp
import functools

from flask import Flask, request

from .db import conn

app = Flask(__name__)


def login_required(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)

    return wrapper


@app.get("/teams/<team>/members")
@login_required
def team_members(team):
    rows = conn.execute("SELECT name FROM members WHERE team = '%s'" % team).fetchall()
    return {"members": [r[0] for r in rows]}
