"""``schema.prisma`` -> FileFacts: models with their tables, columns and relations.

Prisma has no tree-sitter grammar here, and its schema language is a flat list
of ``model|view|enum|type Name { ... }`` blocks with one field or ``@@``
attribute per line, so a line tokenizer is enough. A model's table is its
``@@map("...")`` or its name; a field is a column (named by ``@map``) when its
type is a scalar or an enum, and a relation (an ``fk`` Relation to the other
model, which context assembly follows) when its type is another model.
Models become ``model`` symbols, their fields ``field`` members, enums ``type``.
"""

from __future__ import annotations

import re

from backend_lsp.index.facts import FileFacts, Model, Relation, Symbol

_BLOCK = re.compile(r"^[ \t]*(model|view|enum|type)[ \t]+(\w+)[ \t]*\{", re.M)
_FIELD = re.compile(r"^\s*(\w+)\s+(\w+)(\[\])?(\?)?(.*)$")
_MAP = re.compile(r'@map\(\s*(?:name:\s*)?"([^"]*)"')
_TABLE = re.compile(r'@@map\(\s*(?:name:\s*)?"([^"]*)"')
_SCALARS = frozenset(
    {"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"}
)
_KINDS = {"model": "model", "view": "model", "enum": "type", "type": "type"}


def _blocks(text: str) -> list[tuple[str, str, int, int, list[str]]]:
    """(keyword, name, first line, last line, body lines) per block (comments dropped)."""
    lines = text.splitlines()
    found = []
    for match in _BLOCK.finditer(text):
        first = text.count("\n", 0, match.start()) + 1
        last = first
        while last < len(lines) and "}" not in lines[last - 1].split("//")[0]:
            last += 1
        body = [line.split("//")[0] for line in lines[first : last - 1]]
        found.append((match.group(1), match.group(2), first, last, body))
    return found


def extract_prisma(source: bytes, _root: object, _rel: str) -> FileFacts:
    text = source.decode("utf-8", "replace")
    blocks = _blocks(text)
    lines = text.splitlines()
    enums = {name for keyword, name, *_ in blocks if keyword == "enum"}
    models = {name for keyword, name, *_ in blocks if keyword in ("model", "view")}
    symbols: list[Symbol] = []
    records: list[Model] = []
    relations: list[Relation] = []
    for keyword, name, first, last, body in blocks:
        outline = "\n".join(lines[first - 1 : last])
        symbols.append(Symbol(name, _KINDS[keyword], None, first, last, outline))
        if keyword not in ("model", "view"):
            continue
        table = name
        columns: list[str] = []
        for offset, line in enumerate(body, first + 1):
            mapped = _TABLE.search(line)
            if mapped:
                table = mapped.group(1)
                continue
            field = _FIELD.match(line)
            if field is None or line.strip().startswith("@"):
                continue
            field_name, field_type, many = field.group(1), field.group(2), field.group(3)
            symbols.append(
                Symbol(field_name, "field", name, offset, offset, line.strip(), type=field_type)
            )
            if field_type in models:
                relations.append(Relation(name, "fk", field_type))
            elif (field_type in _SCALARS or field_type in enums) and not many:
                column = _MAP.search(field.group(5))
                columns.append(column.group(1) if column else field_name)
        records.append(Model(name, table, "prisma", tuple(columns)))
    return FileFacts(
        language="prisma", symbols=tuple(symbols), models=tuple(records), relations=tuple(relations)
    )
