# blind: sqli safe
from fastapi import FastAPI

from .db import pool

app = FastAPI()


@app.get("/items/{item_id}")
async def get_item(item_id: str):
    async with pool.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM items WHERE id = $1", item_id)
