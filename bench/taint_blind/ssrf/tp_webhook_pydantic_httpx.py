# blind: ssrf tp
import httpx
from fastapi import FastAPI
from pydantic import BaseModel, HttpUrl

app = FastAPI()


class Webhook(BaseModel):
    callback_url: HttpUrl
    event: str


@app.post("/webhooks/test")
async def fire_webhook(hook: Webhook):
    async with httpx.AsyncClient(timeout=5) as client:
        r = await client.post(str(hook.callback_url), json={"event": hook.event})
    return {"code": r.status_code}
