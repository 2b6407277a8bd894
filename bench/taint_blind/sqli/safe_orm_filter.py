# blind: sqli safe
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import select

from .db import SessionLocal
from .models import Sale

app = FastAPI()


class ReportQuery(BaseModel):
    region: str


@app.post("/reports")
def run_report(q: ReportQuery):
    with SessionLocal() as s:
        return s.scalars(select(Sale).where(Sale.region == q.region)).all()
