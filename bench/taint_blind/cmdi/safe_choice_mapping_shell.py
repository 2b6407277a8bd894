# blind: cmdi safe
import subprocess

from flask import Flask, request

app = Flask(__name__)
SERVICES = {"web": "nginx", "db": "postgresql", "cache": "redis"}


@app.post("/restart")
def restart():
    unit = SERVICES[request.form.get("service", "web")]
    subprocess.run(f"systemctl restart {unit}", shell=True, check=True)
    return "restarted"
