# blind: cmdi safe
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


def quoted(value: str) -> str:
    return shlex.quote(value)


@app.get("/logs")
def tail_logs():
    service = quoted(request.args.get("service", "web"))
    return subprocess.check_output("journalctl -u " + service + " -n 50", shell=True, text=True)
