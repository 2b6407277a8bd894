# blind: deser tp
import base64

import dill
from flask import Flask, request

app = Flask(__name__)


@app.post("/tasks")
def run_task():
    fn = dill.loads(base64.b64decode(request.headers["X-Task"]))
    return {"result": fn()}
