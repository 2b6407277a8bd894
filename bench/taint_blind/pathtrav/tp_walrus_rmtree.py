# blind: pathtrav tp
import shutil

from flask import Flask, request

app = Flask(__name__)


@app.post("/workspaces/purge")
def purge_workspace():
    if ws := request.get_json().get("workspace"):
        shutil.rmtree(f"/srv/workspaces/{ws}")
    return {"purged": ws}
