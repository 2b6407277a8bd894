# blind: weakrand safe
import random
import time

import requests
from fastapi import FastAPI

app = FastAPI()


@app.post("/sync")
def sync():
    for attempt in range(5):
        r = requests.post("https://partner.example.com/sync", timeout=5)
        if r.ok:
            return {"ok": True}
        time.sleep((2**attempt) + random.uniform(0, 1))
    return {"ok": False}
