# blind: ssrf tp
import httpx
from fastapi import FastAPI, Request

app = FastAPI()


class RemoteCatalog:
    def __init__(self, base: str):
        self.base = base

    def items(self):
        return httpx.get(self.base + "/items", timeout=5).json()


@app.get("/catalog")
async def catalog(request: Request):
    return RemoteCatalog(request.query_params["source"]).items()
