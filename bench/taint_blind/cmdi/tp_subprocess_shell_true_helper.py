# blind: cmdi tp
import subprocess

from flask import Flask, request

app = Flask(__name__)


def run_shell(cmd: str) -> str:
    return subprocess.check_output(cmd, shell=True, text=True)


@app.get("/logs")
def tail_logs():
    service = request.args.get("service", "web")
    return run_shell("journalctl -u " + service + " -n 50")
