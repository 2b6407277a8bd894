# blind: weakrand safe
import random

from fastapi import FastAPI

app = FastAPI()
PALETTE = ["#f44336", "#2196f3", "#4caf50", "#ff9800"]


@app.get("/avatar/{initials}")
def avatar(initials: str):
    rng = random.Random(initials)
    return {"initials": initials[:2].upper(), "color": rng.choice(PALETTE)}
