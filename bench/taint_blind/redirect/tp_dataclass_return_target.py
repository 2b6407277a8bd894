# blind: redirect tp
from dataclasses import dataclass

from flask import Flask, redirect, request

app = Flask(__name__)


@dataclass
class LoginState:
    user: str
    next_url: str


@app.post("/signin")
def signin():
    state = LoginState(user=request.form["user"], next_url=request.form.get("next", "/"))
    return redirect(state.next_url)
