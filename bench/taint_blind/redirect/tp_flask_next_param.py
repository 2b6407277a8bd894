# blind: redirect tp
from flask import Flask, redirect, request

app = Flask(__name__)


@app.post("/login")
def login():
    # ... authenticate ...
    return redirect(request.args.get("next", "/"))
