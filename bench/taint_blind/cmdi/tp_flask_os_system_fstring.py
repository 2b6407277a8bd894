# blind: cmdi tp
import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/ping")
def ping_host():
    host = request.form["host"]
    os.system(f"ping -c 1 {host}")
    return "ok"
