"""A FastAPI ``UploadFile`` parameter is the client's file: its ``filename`` and what
``await file.read()`` returns are request data, like Flask's ``request.files``."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
import pickle
from fastapi import FastAPI, File, UploadFile
from lxml import etree
from werkzeug.utils import secure_filename
app = FastAPI()
"""

FLAGGED = {
    "entities resolved in an uploaded document": (
        "BE022",
        """
@app.post("/sitemaps")
async def upload_sitemap(file: UploadFile):
    content = await file.read()
    tree = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=True))
    return {"urls": len(tree)}
""",
    ),
    "the client's file name as the path": (
        "BE018",
        """
@app.post("/avatars")
async def avatar(upload: UploadFile | None = None):
    with open("/srv/avatars/" + upload.filename, "wb") as out:
        out.write(await upload.read())
""",
    ),
    "an uploaded pickle": (
        "BE013",
        """
@app.post("/models")
async def load_model(model: UploadFile = File(...)):
    return {"keys": list(pickle.loads(await model.read()))}
""",
    ),
}

SAFE = {
    "the name made safe": (
        "BE018",
        """
@app.post("/avatars")
async def avatar(upload: UploadFile):
    with open("/srv/avatars/" + secure_filename(upload.filename), "wb") as out:
        out.write(await upload.read())
""",
    ),
    "a fixed name for the content": (
        "BE018",
        """
@app.post("/avatars/{user_id}")
async def avatar(user_id: int, upload: UploadFile):
    with open(f"/srv/avatars/{user_id}.png", "wb") as out:
        out.write(await upload.read())
""",
    ),
    "a hardened parser": (
        "BE022",
        """
@app.post("/sitemaps")
async def upload_sitemap(file: UploadFile):
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(await file.read(), parser=parser)
    return {"urls": len(tree)}
""",
    ),
}


@pytest.mark.parametrize(("code", "body"), FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(code: str, body: str) -> None:
    assert code in [f.code for f in run(code, HEAD + body, "app/api/uploads.py")]


@pytest.mark.parametrize(("code", "body"), SAFE.values(), ids=SAFE.keys())
def test_safe(code: str, body: str) -> None:
    assert run(code, HEAD + body, "app/api/uploads.py") == []
