# blind: cmdi safe
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/ping")
def ping_host():
    host = request.form["host"]
    subprocess.run(["ping", "-c", "1", "--", host], check=False, timeout=5)
    return "ok"
