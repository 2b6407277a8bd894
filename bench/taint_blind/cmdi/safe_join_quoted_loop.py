# blind: cmdi safe
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/scan")
def scan_ports():
    targets = request.get_json()["targets"]
    line = "nmap -Pn " + " ".join(shlex.quote(t) for t in targets)
    return {"report": subprocess.getoutput(line)}
