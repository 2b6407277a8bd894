# blind: cmdi safe
import subprocess

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/format")
async def format_code(req: Request):
    source = await req.body()
    proc = subprocess.run(["black", "-q", "-"], input=source, capture_output=True, timeout=10)
    return {"code": proc.stdout.decode()}
