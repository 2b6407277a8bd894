# blind: redirect safe
from flask import Flask, redirect, request

app = Flask(__name__)


@app.get("/old-list")
def old_list():
    page = int(request.args.get("page", 1))
    return redirect(f"/items?page={page}", code=301)
