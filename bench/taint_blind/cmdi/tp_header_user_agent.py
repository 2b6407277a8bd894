# blind: cmdi tp
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/track")
def track():
    agent = request.headers.get("User-Agent", "")
    subprocess.run("echo '%s' >> /var/log/agents.log" % agent, shell=True, check=False)
    return "", 204
