# blind: deser safe
import json

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def submit_job():
    job = json.loads(request.data)
    return {"queued": job.get("name")}
