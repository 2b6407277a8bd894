"""Request data stored in an object of a class defined in the same file: a dataclass field,
an attribute ``__init__`` sets, a method's argument. The object keeps what it was given,
attribute by attribute where ``__init__`` says; attributes it sets from constants stay
clean, and classes from elsewhere are not guessed at."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from flask import Flask, request
from django.db import connection
app = Flask(__name__)
"""

FLAGGED = {
    "dataclass field into SQL": (
        "BE001",
        """
@dataclass
class Pagination:
    sort: str
    page: int = 1

@app.get("/posts")
def posts():
    pag = Pagination(sort=request.args.get("sort", "id"))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM posts ORDER BY {pag.sort}")
""",
    ),
    "attribute set in __init__, read by a method": (
        "BE016",
        """
class GitRunner:
    def __init__(self, branch):
        self.branch = branch

    def checkout(self):
        return os.system("git checkout " + self.branch)

@app.post("/deploy")
def deploy():
    runner = GitRunner(request.form["branch"])
    return {"rc": runner.checkout()}
""",
    ),
    "object made and used in one expression": (
        "BE016",
        """
class GitRunner:
    def __init__(self, branch):
        self.branch = branch

    def checkout(self):
        return os.system("git checkout " + self.branch)

@app.post("/deploy")
def deploy():
    return {"rc": GitRunner(request.form["branch"]).checkout()}
""",
    ),
    "request data passed to a method": (
        "BE016",
        """
class Shell:
    def run(self, command):
        return subprocess.run(command, shell=True)

@app.post("/exec")
def execute():
    Shell().run(request.form["cmd"])
""",
    ),
    "what a method returns of the object": (
        "BE001",
        """
class Search:
    def __init__(self, term):
        self.term = term

    def where(self):
        return "name LIKE '%" + self.term + "%'"

@app.get("/users")
def users():
    search = Search(request.args["q"])
    with connection.cursor() as cur:
        cur.execute("SELECT id FROM users WHERE " + search.where())
""",
    ),
}

SAFE = {
    "object made from constants": (
        "BE016",
        """
class GitRunner:
    def __init__(self, branch):
        self.branch = branch

    def checkout(self):
        return os.system("git checkout " + self.branch)

@app.post("/deploy")
def deploy():
    return {"rc": GitRunner("main").checkout()}
""",
    ),
    "a constant attribute of an object holding request data": (
        "BE016",
        """
class Exporter:
    def __init__(self, table):
        self.table = table
        self.tool = "/usr/bin/pg_dump"

    def run(self):
        return subprocess.run([self.tool, "--table", self.table], check=False)

@app.post("/export")
def export():
    return {"rc": Exporter(request.form["table"]).run().returncode}
""",
    ),
    "a validated attribute": (
        "BE001",
        """
class Page:
    def __init__(self, number):
        self.number = int(number)

    def offset(self):
        return self.number * 20

@app.get("/posts")
def posts():
    page = Page(request.args.get("page", "1"))
    with connection.cursor() as cur:
        cur.execute(f"SELECT id FROM posts LIMIT 20 OFFSET {page.offset()}")
""",
    ),
    "the name rebound to another object": (
        "BE016",
        """
class GitRunner:
    def __init__(self, branch):
        self.branch = branch

    def checkout(self):
        return os.system("git checkout " + self.branch)

def fixed():
    return "main"

@app.post("/deploy")
def deploy():
    runner = GitRunner(request.form["branch"])
    runner = fixed()
    return {"rc": runner.checkout()}
""",
    ),
    "a static method takes no instance": (
        "BE016",
        """
class GitRunner:
    def __init__(self, branch):
        self.branch = branch

    @staticmethod
    def version():
        return os.system("git --version")

@app.post("/deploy")
def deploy():
    return {"rc": GitRunner(request.form["branch"]).version()}
""",
    ),
}


@pytest.mark.parametrize(("code", "body"), FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(code: str, body: str) -> None:
    assert code in [f.code for f in run(code, HEAD + body, "app/views.py")]


@pytest.mark.parametrize(("code", "body"), SAFE.values(), ids=SAFE.keys())
def test_safe(code: str, body: str) -> None:
    assert run(code, HEAD + body, "app/views.py") == []
