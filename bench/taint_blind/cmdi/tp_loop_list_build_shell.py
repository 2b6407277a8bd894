# blind: cmdi tp
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/scan")
def scan_ports():
    targets = request.get_json()["targets"]
    parts = []
    for t in targets:
        parts.append(t)
    line = "nmap -Pn " + " ".join(parts)
    result = subprocess.getoutput(line)
    return {"report": result}
