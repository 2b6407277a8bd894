"""BE006: blocking calls inside async def."""

from __future__ import annotations

from perf_helpers import apply_fix, flagged, run

from backend_lsp.analysis.model import Severity


def test_time_sleep_in_fastapi_handler_fix_adds_import() -> None:
    source = """
import time

from fastapi import APIRouter

router = APIRouter()


@router.post("/jobs")
async def create_job(payload: dict):
    time.sleep(0.5)
    return {"ok": True}
"""
    findings = run("BE006", source, path="app/api.py")
    assert [flagged(f, source) for f in findings] == ["time.sleep"]
    assert "route handler" in findings[0].message
    fixed = apply_fix(source, findings[0])
    assert "    await asyncio.sleep(0.5)\n" in fixed
    assert fixed.index("import asyncio\n") < fixed.index("router = APIRouter()")


def test_from_import_sleep_in_expression_keeps_import() -> None:
    source = """
import asyncio
from time import sleep


async def poll(check):
    while not check():
        x = sleep(1) or 2
        print(x)
"""
    findings = run("BE006", source)
    assert len(findings) == 1
    fixed = apply_fix(source, findings[0])
    assert "x = (await asyncio.sleep(1)) or 2" in fixed
    assert fixed.count("import asyncio") == 1


def test_requests_sqlite_subprocess_in_async() -> None:
    source = """
import sqlite3
import subprocess

import requests


async def sync_user(user_id):
    profile = requests.get(f"https://api.example.com/users/{user_id}", timeout=5).json()
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("UPDATE users SET name = ? WHERE id = ?", (profile["name"], user_id))
    conn.commit()
    subprocess.run(["git", "pull"], check=True)
    proc = subprocess.Popen(["make"])
    proc.wait()
"""
    findings = run("BE006", source)
    assert [flagged(f, source) for f in findings] == [
        "requests.get",
        "sqlite3.connect",
        "conn.cursor",
        "cur.execute",
        "conn.commit",
        "subprocess.run",
        "proc.wait",
    ]
    assert "httpx.AsyncClient" in findings[0].message


def test_django_sync_orm_and_sync_sqlalchemy_session() -> None:
    source = """
async def dashboard(request):
    user = User.objects.get(pk=request.user.id)
    recent = [o async for o in Order.objects.filter(user=user)]
    for o in Order.objects.filter(user=user):
        print(o)
    qs = Order.objects.all()
    first = await Order.objects.afirst()
    return user, recent, qs, first


async def list_items(session):
    items = session.query(Item).all()
    rows = await session.execute(select(Item))
    return items, rows
"""
    findings = run("BE006", source)
    assert [flagged(f, source) for f in findings] == [
        "User.objects.get",
        "Order.objects.filter",
        "session.query",
    ]
    assert "SynchronousOnlyOperation" in findings[0].message


def test_offloaded_awaited_and_nested_sync_calls_are_fine() -> None:
    source = """
import asyncio
import time

import httpx
import requests
from starlette.concurrency import run_in_threadpool


async def fine(url):
    await asyncio.sleep(1)
    r = await asyncio.to_thread(requests.get, url, timeout=5)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: time.sleep(1))
    await run_in_threadpool(requests.post, url, timeout=5)
    async with httpx.AsyncClient() as client:
        await client.get(url)

    def helper():
        time.sleep(1)
        return requests.get(url, timeout=3)

    return r, helper


def sync_view():
    time.sleep(1)
    return requests.get("https://x", timeout=3)
"""
    assert run("BE006", source) == []


def test_open_is_only_a_hint_and_web_session_get_is_ignored() -> None:
    source = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/report")
async def report(request):
    token = request.session.get("token")
    with open("/tmp/report.csv") as fh:
        return fh.read(), token


@app.post("/upload")
async def upload(request):
    with open("/tmp/upload.bin", "wb") as fh:
        async for chunk in request.stream():
            await asyncio.to_thread(fh.write, chunk)


async def load_ignore_file(path):
    with open(path) as fh:
        return fh.read().splitlines()
"""
    findings = run("BE006", source)
    assert [(flagged(f, source), f.severity) for f in findings] == [("open", Severity.HINT)]
