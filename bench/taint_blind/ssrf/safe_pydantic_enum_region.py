# blind: ssrf safe
from enum import Enum

import requests
from fastapi import FastAPI

app = FastAPI()


class Region(str, Enum):
    eu = "eu"
    us = "us"


@app.get("/status/{region}")
def status(region: Region):
    r = requests.get(f"https://status-{region.value}.example.com/health", timeout=5)
    return {"ok": r.ok}
