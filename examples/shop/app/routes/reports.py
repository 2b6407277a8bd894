"""Back-office reports."""

from datetime import date

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.services import reporting

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/orders")
def orders_report(status: str = "paid", db: Session = Depends(get_db)) -> list[dict]:
    return reporting.orders_by_status(db, status)


@router.get("/revenue")
def revenue_report(since: date, db: Session = Depends(get_db)) -> dict[str, str]:
    return {"since": since.isoformat(), "revenue": str(reporting.revenue_since(db, since))}


@router.get("/customers")
def top_customers(db: Session = Depends(get_db)) -> list[dict]:
    return reporting.top_customers(db, limit=10)
