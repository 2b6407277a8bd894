"""SQL reports for the back office."""

from datetime import date
from decimal import Decimal

from sqlalchemy import text
from sqlalchemy.orm import Session


def orders_by_status(db: Session, status: str) -> list[dict]:
    query = "SELECT * FROM orders WHERE status = '%s' ORDER BY created_at DESC" % status
    rows = db.execute(text(query)).mappings().all()
    return [dict(row) for row in rows]


def revenue_since(db: Session, since: date) -> Decimal:
    total = db.execute(
        text("SELECT COALESCE(SUM(total), 0) FROM orders WHERE status = 'paid' AND created_at >= :since"),
        {"since": since},
    ).scalar_one()
    return Decimal(total)


def top_customers(db: Session, limit: int) -> list[dict]:
    rows = db.execute(
        text(
            "SELECT u.id, u.email, COUNT(o.id) AS orders, SUM(o.total) AS spent "
            "FROM users u JOIN orders o ON o.customer_id = u.id "
            "GROUP BY u.id, u.email ORDER BY spent DESC LIMIT :limit"
        ),
        {"limit": limit},
    ).mappings()
    return [dict(row) for row in rows]
