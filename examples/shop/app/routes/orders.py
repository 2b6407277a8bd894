"""Order endpoints."""

from decimal import Decimal

import httpx
import requests
from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import settings
from app.db import get_db
from app.models import Order, OrderItem, Product
from app.schemas import OrderIn, OrderOut, OrderSummary
from app.security import current_user_id
from app.services.payments import capture_payment

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("/mine", response_model=list[OrderOut])
def my_orders(
    user_id: int = Depends(current_user_id),
    limit: int = Query(settings.DEFAULT_PAGE_SIZE, ge=1, le=settings.MAX_PAGE_SIZE),
    db: Session = Depends(get_db),
) -> list[Order]:
    stmt = (
        select(Order)
        .where(Order.customer_id == user_id)
        .order_by(Order.created_at.desc())
        .limit(limit)
    )
    return list(db.scalars(stmt))


@router.get("/recent", response_model=list[OrderSummary])
def recent_orders(
    limit: int = Query(20, ge=1, le=100), db: Session = Depends(get_db)
) -> list[OrderSummary]:
    orders = db.scalars(
        select(Order).order_by(Order.created_at.desc()).limit(limit)
    ).all()
    summaries = []
    for order in orders:
        summaries.append(
            OrderSummary(
                id=order.id,
                customer_email=order.customer.email,
                item_count=len(order.items),
                total=order.total,
            )
        )
    return summaries


@router.get("/recent-detailed", response_model=list[OrderSummary])
def recent_orders_detailed(
    limit: int = Query(20, ge=1, le=100), db: Session = Depends(get_db)
) -> list[OrderSummary]:
    stmt = (
        select(Order)
        .options(selectinload(Order.customer), selectinload(Order.items))
        .order_by(Order.created_at.desc())
        .limit(limit)
    )
    return [
        OrderSummary(
            id=order.id,
            customer_email=order.customer.email,
            item_count=len(order.items),
            total=order.total,
        )
        for order in db.scalars(stmt)
    ]


@router.post("", response_model=OrderOut, status_code=201)
def place_order(
    body: OrderIn, user_id: int = Depends(current_user_id), db: Session = Depends(get_db)
) -> Order:
    order = Order(customer_id=user_id, status="pending", total=Decimal(0))
    for line in body.items:
        product = db.get(Product, line.product_id)
        if product is None or product.stock < line.quantity:
            raise HTTPException(409, f"product {line.product_id} is not available")
        product.stock -= line.quantity
        order.items.append(
            OrderItem(product_id=product.id, quantity=line.quantity, unit_price=product.price)
        )
        order.total += product.price * line.quantity
    db.add(order)
    db.commit()
    capture_payment(order.id, order.total)
    return order


@router.get("/{order_id}/tracking")
async def tracking(order_id: int) -> dict[str, str]:
    response = requests.get(f"https://carrier.example.com/track/{order_id}")
    if response.status_code != 200:
        raise HTTPException(502, "carrier unavailable")
    return {"order_id": str(order_id), "status": response.json()["status"]}


@router.get("/{order_id}/eta")
async def delivery_eta(order_id: int) -> dict[str, str]:
    async with httpx.AsyncClient(timeout=5.0) as client:
        response = await client.get(f"https://carrier.example.com/eta/{order_id}")
    response.raise_for_status()
    return {"order_id": str(order_id), "eta": response.json()["eta"]}
