"""Database schema known in the workspace (tables and their columns).

Filled from CREATE TABLE statements in .sql files / migrations and from ORM
model classes; used to expand ``SELECT *`` into real columns and to explain
queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Table:
    name: str
    columns: list[str]
    path: str | None = None
    line: int | None = None
    model: str | None = None  # ORM class name when the table came from a model
    # ORM relation attribute -> target model/table name (ForeignKey, relationship(), ...)
    relations: dict[str, str] = field(default_factory=dict)


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
