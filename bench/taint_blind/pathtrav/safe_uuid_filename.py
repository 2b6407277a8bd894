# blind: pathtrav safe
import os
import uuid

from flask import Flask, request

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["doc"]
    ext = ".pdf" if f.filename.lower().endswith(".pdf") else ".bin"
    name = uuid.uuid4().hex + ext
    f.save(os.path.join("/srv/uploads", name))
    return {"saved": name}
