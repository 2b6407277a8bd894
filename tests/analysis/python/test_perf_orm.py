"""describe_orm_chain on real-world Django / SQLAlchemy / SQLModel chains."""

from __future__ import annotations

import pytest
from tree_sitter import Node

from backend_lsp.analysis.python.nodes import walk
from backend_lsp.analysis.python.orm import (
    OrmChain,
    describe_orm_chain,
    is_queryset_expression,
    resolve_name,
)
from backend_lsp.syntax import ParsedDocument


def _chain_of(source: str, marker: str) -> OrmChain | None:
    """Describe the chain containing the first identifier spelled ``marker``."""
    doc = ParsedDocument(source, "python")
    assert doc.root is not None
    raw = doc.source
    for node in walk(doc.root):
        if node.type == "identifier" and raw[node.start_byte : node.end_byte] == marker.encode():
            return describe_orm_chain(raw, node)
    raise AssertionError(f"{marker} not found")


def test_django_chain_with_eager_loading_and_slice() -> None:
    chain = _chain_of(
        "def recent(request):\n"
        "    for order in Order.objects.filter(paid=True).exclude(refunded=True)"
        '.order_by("-created").select_related("customer", "shipping__address")[:20]:\n'
        "        print(order)\n",
        "exclude",
    )
    assert chain is not None
    assert (chain.orm, chain.model) == ("django", "Order")
    assert chain.names == ("filter", "exclude", "order_by", "select_related", "[]")
    assert chain.terminal == "iterate"
    assert chain.bounded
    assert chain.eager == ("customer", "shipping__address")
    assert chain.eager_loads("shipping") and not chain.eager_loads("items")
    assert "Order" in chain.summary and "bounded" in chain.summary


def test_django_open_ended_slice_is_not_bounded() -> None:
    chain = _chain_of("rows = list(Order.objects.all()[100:])\n", "objects")
    assert chain is not None
    assert not chain.bounded
    assert chain.terminal == "list"


@pytest.mark.parametrize(
    ("expr", "terminal", "bounded"),
    [
        ("Order.objects.get(pk=1)", "get", True),
        ("Order.objects.filter(a=1).first()", "first", True),
        ("Order.objects.count()", "count", True),
        ("Order.objects.values('id')", "lazy", False),
        ("Order.objects.filter(a=1).all()", "all", False),
    ],
)
def test_django_terminals(expr: str, terminal: str, bounded: bool) -> None:
    chain = _chain_of(f"x = {expr}\n", "Order")
    assert chain is not None
    assert (chain.terminal, chain.bounded) == (terminal, bounded)


def test_prefetch_object_and_custom_manager() -> None:
    chain = _chain_of(
        'books = Author.published.prefetch_related(Prefetch("books", queryset=q)).all()\n',
        "published",
    )
    assert chain is not None
    assert chain.model == "Author"
    assert chain.eager == ("books",)


def test_related_manager() -> None:
    chain = _chain_of("for item in order.items.all():\n    pass\n", "items")
    assert chain is not None
    assert chain.relation_manager == "items"
    assert chain.terminal == "iterate"


def test_sqlalchemy_1x_query_with_options() -> None:
    chain = _chain_of(
        "users = db.session.query(User).filter(User.active.is_(True))"
        ".options(joinedload(User.company), selectinload(User.roles).joinedload(Role.perms))"
        ".all()\n",
        "filter",
    )
    assert chain is not None
    assert (chain.orm, chain.model, chain.terminal) == ("sqlalchemy", "User", "all")
    assert set(chain.eager) == {"company", "roles", "roles.perms"}
    assert chain.eager_kinds["company"] == "joinedload"
    assert not chain.bounded
    assert "unbounded" in chain.summary


def test_sqlalchemy_2_statement_through_variable_and_await() -> None:
    source = (
        "async def list_users(session: AsyncSession):\n"
        "    stmt = select(User).where(User.active).limit(50)\n"
        "    result = (await session.execute(stmt)).scalars().all()\n"
        "    return result\n"
    )
    chain = _chain_of(source, "scalars")
    assert chain is not None
    assert chain.model == "User"
    assert chain.names == ("where", "limit", "execute", "scalars", "all")
    assert chain.bounded
    assert chain.terminal == "all"


def test_sqlmodel_exec_and_session_get() -> None:
    chain = _chain_of("heroes = session.exec(select(Hero).where(Hero.age > 30)).all()\n", "exec")
    assert chain is not None
    assert (chain.orm, chain.model, chain.bounded) == ("sqlmodel", "Hero", False)
    got = _chain_of("hero = session.get(Hero, hero_id)\n", "get")
    assert got is not None and got.terminal == "get" and got.single


def test_flask_sqlalchemy_model_query() -> None:
    chain = _chain_of("page = User.query.order_by(User.id).paginate(page=1)\n", "order_by")
    assert chain is not None
    assert chain.model == "User" and chain.bounded


@pytest.mark.parametrize(
    "expr",
    [
        'requests.get("https://x").json()',
        "session.execute(text('select 1')).fetchall()",
        "self.cache.get(key)",
        "request.args.get('q')",
        "data.items()",
        "config.settings.all()",
    ],
)
def test_non_orm_expressions(expr: str) -> None:
    doc = ParsedDocument(f"x = {expr}\n", "python")
    assert doc.root is not None
    value = doc.root.named_children[0].named_children[0].child_by_field_name("right")
    assert isinstance(value, Node)
    chain = describe_orm_chain(doc.source, value)
    assert chain is None or chain.relation_manager == "settings"
    if expr != "config.settings.all()":
        assert chain is None


def test_is_queryset_expression_and_resolve_name() -> None:
    source = (
        "def view(request):\n"
        "    qs = Order.objects.filter(paid=True)\n"
        "    one = Order.objects.get(pk=1)\n"
        "    return qs\n"
    )
    doc = ParsedDocument(source, "python")
    assert doc.root is not None
    returned = next(n for n in walk(doc.root) if n.type == "return_statement").named_children[0]
    value = resolve_name(doc.source, returned)
    assert value is not None and is_queryset_expression(doc.source, value)
    single = next(
        n for n in walk(doc.root) if n.type == "call" and n.text and n.text.endswith(b"(pk=1)")
    )
    assert not is_queryset_expression(doc.source, single)
