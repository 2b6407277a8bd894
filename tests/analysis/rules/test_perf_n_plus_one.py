"""BE004: N+1 queries in Django, SQLAlchemy and raw DB code."""

from __future__ import annotations

from perf_helpers import apply_fix, flagged, run, schema

from backend_lsp.analysis.schema import Table

DJANGO_MODELS = """
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    total = models.DecimalField(max_digits=10, decimal_places=2)


class OrderItem(models.Model):
    order = models.ForeignKey(Order, related_name="items", on_delete=models.CASCADE)
    sku = models.CharField(max_length=20)
"""

SHOP_SCHEMA = schema(
    Table("orders_order", ["id", "customer_id", "total", "status"], model="Order",
          relations={"customer": "Customer", "items": "OrderItem"}),
    Table("orders_customer", ["id", "name"], model="Customer"),
)  # fmt: skip


def test_django_fk_access_in_loop_with_same_file_models() -> None:
    source = (
        DJANGO_MODELS
        + """

def export_orders():
    rows = []
    for order in Order.objects.filter(status="paid").order_by("-id"):
        rows.append((order.id, order.customer.name, order.customer_id))
    return rows
"""
    )
    findings = run("BE004", source)
    assert [flagged(f, source) for f in findings] == ["order.customer"]
    assert "select_related" in findings[0].message
    fixed = apply_fix(source, findings[0])
    assert 'Order.objects.select_related("customer").filter(status="paid")' in fixed


def test_django_reverse_relation_in_comprehension_through_variable() -> None:
    source = """
def order_summaries(request):
    orders = Order.objects.filter(customer=request.user.customer)
    return [{"id": o.id, "skus": [i.sku for i in o.items.all()]} for o in orders]
"""
    findings = run("BE004", source, known=SHOP_SCHEMA)
    assert [flagged(f, source) for f in findings] == ["o.items"]
    fixed = apply_fix(source, findings[0])
    assert 'Order.objects.prefetch_related("items").filter(' in fixed


def test_django_attribute_of_relation_known_from_schema() -> None:
    source = """
def invoice_lines(request):
    lines = []
    for i, order in enumerate(Order.objects.all()):
        lines.append(f"{i}: {order.customer.name} {order.total}")
    return lines
"""
    findings = run("BE004", source, known=SHOP_SCHEMA)
    assert [flagged(f, source) for f in findings] == ["order.customer"]


def test_django_reverse_set_without_model_knowledge() -> None:
    source = """
def authors(request):
    for author in Author.objects.all():
        print(author.name, author.book_set.count())
"""
    findings = run("BE004", source)
    assert [flagged(f, source) for f in findings] == ["author.book_set"]


def test_django_covered_by_select_and_prefetch_related() -> None:
    source = (
        DJANGO_MODELS
        + """

def export_orders():
    qs = Order.objects.select_related("customer")
    for order in qs.prefetch_related("items"):
        print(order.customer.name, [i.sku for i in order.items.all()], order.items.count())
"""
    )
    assert run("BE004", source) == []


def test_django_filter_on_prefetched_relation_still_queries() -> None:
    source = """
def report(request):
    for order in Order.objects.prefetch_related("items"):
        print(order.items.filter(sku__startswith="A").count())
"""
    findings = run("BE004", source, known=SHOP_SCHEMA)
    assert len(findings) == 1
    assert "Prefetch(" in findings[0].message
    assert findings[0].fix is None


def test_django_plain_columns_and_fk_ids_are_not_queries() -> None:
    source = (
        DJANGO_MODELS
        + """

def totals():
    return {o.customer_id: o.total for o in Order.objects.filter(total__gt=0)}


def names(request):
    for row in Order.objects.values("id", "customer__name"):
        print(row["customer__name"])
    for order in Order.objects.all():
        order.customer = None
        order.save()
        print(order.status.upper(), order.meta.get("x"))
"""
    )
    assert run("BE004", source) == []


def test_already_materialised_list_with_eager_loading() -> None:
    source = """
def page(request):
    orders = list(Order.objects.select_related("customer")[:50])
    return [o.customer.name for o in orders]
"""
    assert run("BE004", source, known=SHOP_SCHEMA) == []


SA_MODELS = """
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    posts: Mapped[list["Post"]] = relationship(back_populates="author")
    profile: Mapped["Profile"] = relationship(lazy="joined")


class Post(Base):
    __tablename__ = "posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author: Mapped["User"] = relationship(back_populates="posts")
"""


def test_sqlalchemy_2_lazy_relationship_in_loop_with_fix() -> None:
    source = (
        SA_MODELS
        + """

def post_counts(session):
    users = session.scalars(select(User).where(User.name != "")).all()
    return {u.name: len(u.posts) for u in users}
"""
    )
    findings = run("BE004", source)
    assert [flagged(f, source) for f in findings] == ["u.posts"]
    fixed = apply_fix(source, findings[0])
    assert "select(User).options(selectinload(User.posts)).where(" in fixed
    assert "from sqlalchemy.orm import selectinload\n" in fixed


def test_sqlalchemy_1x_query_with_import_already_present() -> None:
    source = """
from sqlalchemy.orm import joinedload, selectinload


def titles(db):
    out = []
    for post in db.session.query(Post).filter(Post.id > 10).all():
        out.append(post.author.name)
    return out
"""
    known = schema(Table("posts", ["id", "author_id"], model="Post", relations={"author": "User"}))
    findings = run("BE004", source, known=known)
    assert [flagged(f, source) for f in findings] == ["post.author"]
    fixed = apply_fix(source, findings[0])
    assert fixed.count("import joinedload, selectinload") == 1
    assert "query(Post).options(selectinload(Post.author)).filter(" in fixed


def test_sqlalchemy_eager_options_and_lazy_joined_are_fine() -> None:
    source = (
        SA_MODELS
        + """

async def feed(session):
    stmt = select(User).options(selectinload(User.posts))
    result = await session.execute(stmt)
    for user in result.scalars():
        print(user.name, user.profile.bio, [p.id for p in user.posts])
    for row in session.execute(select(User.id, User.name)):
        print(row.posts)
"""
    )
    assert run("BE004", source) == []


def test_query_inside_loop_raw_and_orm() -> None:
    source = """
def enrich(cursor, order_ids):
    result = []
    for order_id in order_ids:
        cursor.execute("SELECT * FROM orders WHERE id = %s", (order_id,))
        result.append(cursor.fetchone())
    return result


def owners(ids):
    return [Customer.objects.get(pk=i) for i in ids]


async def load(conn, keys):
    for key in keys:
        row = await conn.fetchrow("SELECT 1 FROM t WHERE k = $1", key)
        print(row)
"""
    findings = run("BE004", source)
    assert [flagged(f, source).split("(")[0] for f in findings] == [
        "cursor.execute",
        "Customer.objects.get",
        "conn.fetchrow",
    ]
    assert all(f.fix is None for f in findings)


def test_bulk_operations_and_small_fixed_loops_are_fine() -> None:
    source = """
def seed(cursor, rows, session):
    cursor.executemany("INSERT INTO t VALUES (%s)", rows)
    Order.objects.bulk_create([Order(total=r) for r in rows])
    for status in ("new", "paid", "shipped"):
        print(status, Order.objects.filter(status=status).count())
    for attempt in range(3):
        session.execute(text("SELECT 1"))
    for r in rows:
        handler = lambda: cursor.execute("SELECT 1")
        cache = {"x": 1}
        cache.get("x")
        print(handler, r)
"""
    assert run("BE004", source) == []
