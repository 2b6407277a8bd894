# blind: ssrf tp
import requests
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Target(BaseModel):
    host: str
    port: int = 443


class ScanRequest(BaseModel):
    target: Target
    note: str = ""


@app.post("/tls-check")
def tls_check(req: ScanRequest):
    r = requests.get(f"https://{req.target.host}:{req.target.port}/", timeout=5)
    return {"status": r.status_code}
