"""Database schema known in the workspace (tables and their columns).

Filled from CREATE TABLE statements in .sql files / migrations and from ORM
model classes; used to expand ``SELECT *`` into real columns and to explain
queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# SQLAlchemy ``relationship(lazy=...)`` strategies that load the relation with its parent
# rows (a JOIN, or one extra SELECT for the whole batch): reading it per row runs no query.
EAGER_LOADING = frozenset({"joined", "selectin", "subquery", "immediate"})
# Strategies that never query on access (``raise`` errors out, ``noload`` stays empty).
NO_QUERY_LOADING = frozenset({"noload", "raise", "raise_on_sql"})


@dataclass(slots=True)
class Table:
    name: str
    columns: list[str]
    path: str | None = None
    line: int | None = None
    model: str | None = None  # ORM class name when the table came from a model
    # ORM relation attribute -> target model/table name (ForeignKey, relationship(), ...)
    relations: dict[str, str] = field(default_factory=dict)
    # SQLAlchemy relation attribute -> its declared ``lazy=`` strategy, when one is written
    loading: dict[str, str] = field(default_factory=dict)

    def loads_with_row(self, relation: str) -> bool:
        """Whether reading ``relation`` on a loaded row needs no query of its own."""
        return self.loading.get(relation) in EAGER_LOADING | NO_QUERY_LOADING


@dataclass(slots=True)
class WorkspaceSchema:
    """Case-insensitive table lookup; later definitions refine earlier ones."""

    tables: dict[str, Table] = field(default_factory=dict)

    def add(self, table: Table) -> None:
        key = table.name.lower()
        existing = self.tables.get(key)
        if existing is not None and existing.columns and not table.columns:
            return
        self.tables[key] = table

    def get(self, name: str) -> Table | None:
        return self.tables.get(name.lower().split(".")[-1].strip('"`[]'))

    def by_model(self, model: str) -> Table | None:
        for table in self.tables.values():
            if table.model == model:
                return table
        return None

    def __len__(self) -> int:
        return len(self.tables)
