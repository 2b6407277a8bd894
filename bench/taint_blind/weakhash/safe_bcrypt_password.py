# blind: weakhash safe
import bcrypt
from flask import Flask, request

from .db import save_user

app = Flask(__name__)


@app.post("/signup")
def signup():
    hashed = bcrypt.hashpw(request.form["password"].encode(), bcrypt.gensalt())
    save_user(request.form["username"], hashed)
    return "", 201
