# blind: redirect safe
from flask import Flask, redirect, request, url_for

app = Flask(__name__)


@app.post("/login")
def login():
    user_id = request.form["user_id"]
    return redirect(url_for("profile", user_id=user_id))
