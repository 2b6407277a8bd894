"""BE018: Werkzeug's ``FileStorage.save(dst)`` writes the upload to ``dst``; a destination
built from the client's file name (or other request data) is path traversal. A name made
safe, a server-chosen name, or a model's ``save()`` are not."""

from __future__ import annotations

import pytest
from tests.analysis.rule_helpers import run

HEAD = """
import uuid
from flask import Flask, request
from werkzeug.utils import secure_filename
from .models import Document
app = Flask(__name__)
UPLOADS = "/srv/uploads"
"""

FLAGGED = {
    "client's file name": """
@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save("/srv/uploads/" + f.filename)
""",
    "joined with a form field": """
@app.post("/upload")
def upload():
    request.files["doc"].save(os.path.join(UPLOADS, request.form["folder"], "doc.pdf"))
""",
}

SAFE = {
    "secure_filename": """
@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join(UPLOADS, secure_filename(f.filename)))
""",
    "a server-chosen name": """
@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join(UPLOADS, uuid.uuid4().hex + ".pdf"))
""",
    "a model's save": """
@app.post("/rename")
def rename():
    doc = Document.query.get(1)
    doc.title = request.form["title"]
    doc.save(request.form["title"])
""",
}


@pytest.mark.parametrize("body", FLAGGED.values(), ids=FLAGGED.keys())
def test_flagged(body: str) -> None:
    assert [f.code for f in run("BE018", HEAD + body, "app/views.py")] == ["BE018"]


@pytest.mark.parametrize("body", SAFE.values(), ids=SAFE.keys())
def test_safe(body: str) -> None:
    assert run("BE018", HEAD + body, "app/views.py") == []
