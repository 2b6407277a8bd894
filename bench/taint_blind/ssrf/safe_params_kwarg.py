# blind: ssrf safe
import httpx
from fastapi import FastAPI

app = FastAPI()
SEARCH_URL = "https://search.internal.example.com/v1/query"


@app.get("/search")
async def search(q: str):
    async with httpx.AsyncClient(timeout=5) as client:
        r = await client.get(SEARCH_URL, params={"q": q})
    return r.json()
