"""Hover on route handlers: FastAPI, Flask, Django class-based views and DRF."""

from __future__ import annotations

from explain_helpers import hover

FASTAPI = """\
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Security
from sqlalchemy import select
from sqlalchemy.orm import Session

router = APIRouter()


class Sort(str, Enum):
    new = "new"
    old = "old"


@router.get("/users/{user_id}/orders", response_model=list[OrderOut], status_code=200)
async def list_orders(
    user_id: int,
    sort: Sort = Sort.new,
    q: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    x_request_id: str = Header(None),
    db: Session = Depends(get_db),
    user: User = Security(get_current_user, scopes=["orders"]),
):
    stmt = select(Order).where(Order.user_id == user_id).order_by(Order.id)
    orders = db.scalars(stmt).all()
    if not orders:
        raise HTTPException(status_code=404, detail="none")
    return orders


@router.post("/orders", status_code=201, dependencies=[Depends(rate_limit)])
def create_order(payload: OrderIn, db: Session = Depends(get_db)) -> OrderOut:
    try:
        db.add(Order(**payload.model_dump()))
        db.commit()
    except Exception:
        pass
    return payload


def helper(x):
    return x
"""


def test_fastapi_heading_parameters_and_dependencies() -> None:
    text = hover(FASTAPI, "@router.get")
    assert text is not None
    lines = text.splitlines()
    assert lines[0].startswith("**Route** `GET /users/{user_id}/orders` · FastAPI · async")
    path_line = next(line for line in lines if line.startswith("- Path params"))
    assert "user_id: int" in path_line
    query_line = next(line for line in lines if line.startswith("- Query params"))
    # Enums and scalars are query parameters; Query() says so explicitly.
    assert "sort: Sort" in query_line and "q: str | None" in query_line and "page:" in query_line
    assert "Body" not in text
    assert any(line.startswith("- Headers") and "x_request_id" in line for line in lines)
    assert "Depends(get_db)" in next(line for line in lines if line.startswith("- Dependencies"))
    assert "get_current_user" in next(line for line in lines if line.startswith("- Auth"))


def test_fastapi_database_access_and_response() -> None:
    text = hover(FASTAPI, "list_orders")
    assert text is not None
    orm = [line for line in text.splitlines() if line.startswith("- ORM")]
    # The lazily built select() and its execution are one query, reported once.
    assert len(orm) == 1 and "Order" in orm[0] and "unbounded" in orm[0]
    response = next(line for line in text.splitlines() if line.startswith("- Response"))
    assert "`list[OrderOut]`" in response and "`200`" in response and "`404`" in response


def test_fastapi_body_writes_and_findings_inside_handler() -> None:
    text = hover(FASTAPI, "def create_order", delta=4)
    assert text is not None
    assert text.startswith("**Route** `POST /orders` · FastAPI · handler `create_order`")
    assert "- Body: `payload: OrderIn`" in text
    assert "Depends(rate_limit)" in text
    assert "- Auth: none detected" in text
    assert "`db.add()`" in text and "`db.commit()`" in text
    assert "returns `OrderOut`" in text and "status `201`" in text
    assert "[BE015](" in text  # the swallowed exception inside this handler


def test_cursor_inside_body_is_not_a_route_hover() -> None:
    assert hover(FASTAPI, "return orders") is None
    assert hover(FASTAPI, "def helper") is None


FLASK = """\
from flask import Flask, abort, request
from flask_login import login_required

app = Flask(__name__)


@app.route("/items/<int:item_id>", methods=["GET", "PUT"])
@login_required
def item(item_id):
    page = request.args.get("page", 1)
    if request.method == "PUT":
        data = request.get_json()
        cur = get_db().cursor()
        cur.execute("UPDATE items SET name = ? WHERE id = ?", (data["name"], item_id))
    row = get_db().execute("SELECT id, name FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        abort(404)
    return dict(row)
"""


def test_flask_route_with_request_reads_and_sql() -> None:
    text = hover(FLASK, "def item")
    assert text is not None
    lines = text.splitlines()
    assert lines[0].startswith("**Route** `GET|PUT /items/<int:item_id>` · Flask")
    assert "- Path params: `item_id`" in lines
    assert "`page`" in next(line for line in lines if line.startswith("- Query params"))
    assert "`request.get_json`" in next(line for line in lines if line.startswith("- Body"))
    assert "login_required" in next(line for line in lines if line.startswith("- Auth"))
    sql = next(line for line in lines if line.startswith("- SQL"))
    assert "UPDATE (items)" in sql and "SELECT (items)" in sql
    assert "raises `404`" in text


DJANGO = """\
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView


class OrderListView(LoginRequiredMixin, View):
    def get(self, request):
        orders = Order.objects.filter(owner=request.user).order_by("-created")[:50]
        return render(request, "orders.html", {"orders": orders})


class OrderApi(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request):
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = serializer.save()
        return Response({"id": order.id}, status=201)


@api_view(["GET"])
@permission_classes([AllowAny])
def health(request):
    return Response({"ok": True})
"""


def test_django_class_based_view_with_mixin_auth() -> None:
    text = hover(DJANGO, "def get", delta=4, path="shop/views.py")
    assert text is not None
    assert text.startswith("**Route** `GET (path set in urls/router)` · Django")
    assert "LoginRequiredMixin" in next(
        line for line in text.splitlines() if line.startswith("- Auth")
    )
    orm = next(line for line in text.splitlines() if line.startswith("- ORM"))
    assert "Order" in orm and "bounded" in orm


def test_drf_apiview_permission_classes_and_body() -> None:
    text = hover(DJANGO, "def post", delta=4, path="shop/views.py")
    assert text is not None
    assert "POST" in text.splitlines()[0]
    assert "permission_classes = [IsAuthenticated]" in text
    assert "`request.data`" in text


def test_drf_api_view_public_endpoint() -> None:
    text = hover(DJANGO, "@api_view")
    assert text is not None
    assert "Django REST" in text.splitlines()[0] and "GET" in text.splitlines()[0]
    assert "- Auth: public" in text
