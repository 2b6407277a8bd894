# blind: deser tp
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/jobs")
def submit_job():
    job = pickle.loads(request.data)
    return {"queued": job.get("name")}
