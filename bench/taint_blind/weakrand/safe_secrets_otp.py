# blind: weakrand safe
import secrets

from flask import Flask, session

app = Flask(__name__)


@app.post("/2fa/send")
def send_otp():
    otp = f"{secrets.randbelow(10**6):06d}"
    session["pending_otp"] = otp
    return {"sent": True}
