# blind: weakrand tp
import random

from flask import Flask, session

app = Flask(__name__)


@app.post("/2fa/send")
def send_otp():
    digits = []
    for _ in range(6):
        digits.append(str(random.randrange(10)))
    otp = "".join(digits)
    session["pending_otp"] = otp
    return {"sent": True}
