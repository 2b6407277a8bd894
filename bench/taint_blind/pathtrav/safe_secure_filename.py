# blind: pathtrav safe
import os

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)


@app.post("/upload")
def upload():
    f = request.files["doc"]
    name = secure_filename(f.filename)
    f.save(os.path.join("/srv/uploads", name))
    return {"saved": name}
