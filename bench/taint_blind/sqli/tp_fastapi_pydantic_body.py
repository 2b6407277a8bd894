# blind: sqli tp
from fastapi import FastAPI
from pydantic import BaseModel

from .db import pool

app = FastAPI()


class ReportQuery(BaseModel):
    region: str
    min_total: int


@app.post("/reports")
async def run_report(q: ReportQuery):
    async with pool.acquire() as conn:
        sql = "SELECT * FROM sales WHERE region = '" + q.region + "'"
        return await conn.fetch(sql)
