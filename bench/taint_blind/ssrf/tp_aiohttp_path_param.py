# blind: ssrf tp
import aiohttp
from fastapi import FastAPI

app = FastAPI()


@app.get("/proxy/{service}/status")
async def service_status(service: str):
    async with aiohttp.ClientSession() as session:
        async with session.get("http://" + service + ".internal/status") as resp:
            return {"status": await resp.text()}
