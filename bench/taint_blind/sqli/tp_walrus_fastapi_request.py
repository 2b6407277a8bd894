# blind: sqli tp
from fastapi import FastAPI, Request
from sqlalchemy import text

from .db import engine

app = FastAPI()


@app.get("/lookup")
async def lookup(req: Request):
    if (sku := req.query_params.get("sku")) is None:
        return {"error": "sku required"}
    with engine.begin() as conn:
        row = conn.execute(text(f"SELECT name FROM items WHERE sku = '{sku}'")).first()
    return {"name": row and row.name}
