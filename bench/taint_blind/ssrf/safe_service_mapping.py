# blind: ssrf safe
import aiohttp
from fastapi import FastAPI, HTTPException

app = FastAPI()
SERVICES = {"billing": "http://billing.internal", "auth": "http://auth.internal"}


@app.get("/proxy/{service}/status")
async def service_status(service: str):
    base = SERVICES.get(service)
    if base is None:
        raise HTTPException(404)
    async with aiohttp.ClientSession() as session:
        async with session.get(base + "/status") as resp:
            return {"status": await resp.text()}
