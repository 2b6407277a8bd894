"""Schema discovery from SQL, Alembic, SQLAlchemy and Django sources."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from backend_lsp.analysis.schema_discovery import discover_schema, schema_from_document
from backend_lsp.syntax.document import ParsedDocument


def _tables(path: str, source: str, language: str = "python") -> dict[str, object]:
    tables = schema_from_document(path, ParsedDocument(dedent(source), language))
    return {t.name: t for t in tables}


def test_create_table_sql() -> None:
    tables = _tables(
        "db/schema.sql",
        """
        -- users
        CREATE TABLE IF NOT EXISTS users (
            id SERIAL PRIMARY KEY,
            email TEXT NOT NULL UNIQUE,
            "display name" VARCHAR(80)
        );
        CREATE INDEX users_email ON users (email);
        CREATE TABLE orders (
            id BIGINT PRIMARY KEY,
            user_id INT REFERENCES users(id),
            total NUMERIC(10, 2) DEFAULT 0,
            CONSTRAINT positive CHECK (total >= 0)
        );
        """,
        "sql",
    )
    users, orders = tables["users"], tables["orders"]
    assert users.columns == ["id", "email", "display name"]  # type: ignore[attr-defined]
    assert users.line == 2  # type: ignore[attr-defined]
    assert orders.columns == ["id", "user_id", "total"]  # type: ignore[attr-defined]
    assert orders.relations == {"user_id": "users"}  # type: ignore[attr-defined]


def test_alembic_create_table() -> None:
    tables = _tables(
        "migrations/versions/0001_init.py",
        """
        import sqlalchemy as sa
        from alembic import op

        def upgrade() -> None:
            op.create_table(
                "invoices",
                sa.Column("id", sa.Integer(), nullable=False),
                sa.Column("amount", sa.Numeric(), nullable=False),
                sa.PrimaryKeyConstraint("id"),
            )
        """,
    )
    assert tables["invoices"].columns == ["id", "amount"]  # type: ignore[attr-defined]


def test_sqlalchemy_declarative_2_0_and_classic() -> None:
    tables = _tables(
        "app/models.py",
        """
        from sqlalchemy import Column, ForeignKey, Integer, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

        class Base(DeclarativeBase):
            pass

        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]
            email = Column("email_address", String(120))
            addresses: Mapped[list["Address"]] = relationship(back_populates="user")

        class Address(Base):
            __tablename__ = "addresses"
            id = Column(Integer, primary_key=True)
            user_id = mapped_column(ForeignKey("users.id"))
            user = relationship("User", backref="all_addresses")
        """,
    )
    users = tables["users"]
    assert users.columns == ["id", "name", "email_address"]  # type: ignore[attr-defined]
    assert users.model == "User"  # type: ignore[attr-defined]
    assert users.relations == {  # type: ignore[attr-defined]
        "addresses": "Address",
        "all_addresses": "Address",
    }
    assert tables["addresses"].relations == {"user": "User"}  # type: ignore[attr-defined]
    assert "Base" not in {t.model for t in tables.values()}  # type: ignore[attr-defined]


def test_django_models(tmp_path: Path) -> None:
    app = tmp_path / "shop"
    app.mkdir()
    (app / "models.py").write_text(
        dedent(
            """
            from django.db import models

            class Customer(models.Model):
                name = models.CharField(max_length=100)

            class Order(models.Model):
                customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
                tags = models.ManyToManyField("catalog.Tag", related_name="orders")
                ref = models.CharField(max_length=20, db_column="reference")

                class Meta:
                    ordering = ["-id"]

            class Profile(models.Model):
                customer = models.OneToOneField("Customer", on_delete=models.CASCADE)

                class Meta:
                    db_table = "customer_profile"

            class Stamped(models.Model):
                created = models.DateTimeField(auto_now_add=True)

                class Meta:
                    abstract = True
            """
        )
    )
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "models.py").write_text(
        "from django.db import models\n\nclass Tag(models.Model):\n    label = models.SlugField()\n"
    )
    schema = discover_schema(sorted(tmp_path.rglob("*.py")))
    order = schema.get("shop_order")
    assert order is not None
    assert order.columns == ["id", "customer_id", "reference"]
    assert order.relations == {"customer": "Customer", "tags": "Tag"}
    customer = schema.by_model("Customer")
    assert customer is not None and customer.name == "shop_customer"
    assert customer.relations == {"order_set": "Order", "profile": "Profile"}
    tag = schema.get("catalog_tag")
    assert tag is not None and tag.relations == {"orders": "Order"}
    assert schema.get("customer_profile") is not None
    assert schema.by_model("Stamped") is None


def test_bad_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "blob.sql").write_bytes(b"\x00\x01\x02CREATE TABLE x (a int)")
    (tmp_path / "huge.sql").write_bytes(b"-- " + b"x" * (2 * 1024 * 1024 + 10))
    (tmp_path / "latin1.sql").write_bytes("CREATE TABLE caf\xe9 (a int);".encode("latin-1"))
    (tmp_path / "broken.py").write_text("class User(Base:\n    __tablename__ = 'u'\n")
    (tmp_path / "good.sql").write_text("CREATE TABLE ok (id int);")
    schema = discover_schema([*sorted(tmp_path.iterdir()), tmp_path / "missing.sql"])
    assert schema.get("ok") is not None
    assert schema.get("x") is None


def test_create_table_in_python_string() -> None:
    tables = _tables(
        "app/db.py",
        '''
        import sqlite3

        SCHEMA = """
        CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
        """

        def init(conn):
            conn.executescript(SCHEMA)
        ''',
    )
    assert tables["notes"].columns == ["id", "body"]  # type: ignore[attr-defined]
