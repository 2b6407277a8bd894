# blind: sqli tp
import sqlite3

from flask import Flask, request

app = Flask(__name__)


class UserRepo:
    def __init__(self, conn: sqlite3.Connection, name_filter: str):
        self.conn = conn
        self.name_filter = name_filter

    def find(self):
        return self.conn.execute(
            "SELECT id FROM users WHERE name LIKE '%" + self.name_filter + "%'"
        ).fetchall()


@app.get("/users")
def users():
    repo = UserRepo(sqlite3.connect("app.db"), request.args.get("q", ""))
    return {"users": repo.find()}
