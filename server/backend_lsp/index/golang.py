"""Go file -> FileFacts, from the tag queries in ``queries/go-tags.scm`` and ``go-refs.scm``.

Definitions are package-level functions, methods (``parent`` is the receiver
type), structs and interfaces (their fields and interface methods as member
symbols), constants and variables. Go has no type annotations on locals, so a
local name is rewritten to the type the code gives it (receiver and parameter
types, ``x := &T{}``, ``x := pkg.New()`` as ``pkg.New()``): ``h.svc.Create``
becomes ``ItemHandler.svc.Create``, which ``gopackages`` follows through the
field's type. Backend facts come from the function bodies: gin/echo/chi/fiber
and net/http routes with their group prefixes (``golang_routes``), GORM models
(``gorm.Model`` embeds, ``gorm:`` tags, ``AutoMigrate`` targets, ``TableName``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import cache
from importlib import resources

from tree_sitter import Node, QueryCursor

from backend_lsp.index.facts import FileFacts, Import, Model, Relation, Symbol
from backend_lsp.index.golang_routes import RouteWalker
from backend_lsp.index.golang_syntax import Bindings, chain, string_value, text, type_name
from backend_lsp.index.gorm import gorm_column, gorm_table
from backend_lsp.syntax.queries import compile_query, run_query

_GENERATED = re.compile(r"^// Code generated .* DO NOT EDIT\.$", re.M)
_PATHLIKE = re.compile(r"^/?[\w\-{}<>:.*]*(/[\w\-{}<>:.*]*)*$")
_BUILTINS = frozenset(
    [
        "bool",
        "byte",
        "complex64",
        "complex128",
        "error",
        "float32",
        "float64",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "rune",
        "string",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "any",
        "comparable",
        "nil",
        "true",
        "false",
        "iota",
        "err",
        "_",
        "append",
        "cap",
        "close",
        "copy",
        "delete",
        "len",
        "make",
        "new",
        "panic",
        "print",
        "println",
        "recover",
        "max",
        "min",
    ]
)
_GORM = "gorm.io/gorm"
# Field types GORM stores in a column (anything else is an association unless tagged).
_COLUMN_TYPES = frozenset(_BUILTINS) | {
    "time.Time",
    "gorm.DeletedAt",
    "uuid.UUID",
    "decimal.Decimal",
    "datatypes.JSON",
    "datatypes.Date",
    "json.RawMessage",
}
_GORM_MODEL_COLUMNS = ("id", "created_at", "updated_at", "deleted_at")


@cache
def _query(name: str) -> str:
    return (resources.files("backend_lsp.index") / "queries" / name).read_text()


def default_alias(path: str) -> str:
    """The name an import path is used by when the import gives none (``chi/v5`` -> chi)."""
    parts = [p for p in path.split("/") if p]
    last = parts[-1] if parts else path
    if re.fullmatch(r"v\d+", last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v\d+$", "", last)
    return last.removeprefix("go-").replace("-", "_")


class _Extractor:
    def __init__(self, source: bytes, root: Node, rel: str) -> None:
        self.source = source
        self.root = root
        self.rel = rel
        self.package = ""
        self.imports: list[Import] = []
        self.symbols: list[tuple[Node, Symbol, Bindings | None]] = []
        self.models: list[Model] = []
        self.relations: list[Relation] = []

    def alias_path(self, alias: str) -> str | None:
        return next((i.module for i in self.imports if i.alias == alias), None)

    def run(self) -> FileFacts:
        defs: list[tuple[str, Node, Node, dict[str, list[Node]]]] = []
        for _pattern, captures in run_query("go", _query("go-tags.scm"), self.root):
            if "package" in captures:
                self.package = text(self.source, captures["name"][0])
            elif "import" in captures:
                self._import(captures["import"][0])
            else:
                for kind in ("function", "method", "type", "constant", "variable"):
                    key = f"definition.{kind}"
                    if key in captures:
                        defs.append((kind, captures[key][0], captures["name"][0], captures))
        for kind, node, name, captures in sorted(defs, key=lambda d: d[1].start_byte):
            self._definition(kind, node, text(self.source, name), captures)
        walker = RouteWalker(self.source, self.imports)
        for node, symbol, bindings in self.symbols:
            if symbol.kind in ("function", "method") and bindings is not None:
                walker.function(node, symbol, bindings)
                self._gorm_calls(node, symbol, bindings)
        return self._facts(walker)

    def _import(self, node: Node) -> None:
        source = self.source
        path = string_value(source, node.child_by_field_name("path"))
        if not path:
            return
        name = node.child_by_field_name("name")
        alias = text(source, name) if name is not None else default_alias(path)
        if alias == "_":
            return
        self.imports.append(Import(path, None, alias))

    def _definition(
        self, kind: str, node: Node, name: str, captures: dict[str, list[Node]]
    ) -> None:
        source = self.source
        if kind in ("function", "method"):
            body = node.child_by_field_name("body")
            end = body.start_byte if body is not None else node.end_byte
            outline = source[node.start_byte : end].decode("utf-8", "replace").rstrip()
            result = node.child_by_field_name("result")
            if result is not None and result.type == "parameter_list":
                first = result.named_children[0] if result.named_children else None
                result = first.child_by_field_name("type") if first is not None else None
            bindings = Bindings(source)
            parent = None
            if kind == "method":
                receiver = captures["receiver"][0]
                declaration = receiver.named_children[0] if receiver.named_children else None
                parent = type_name(
                    source, declaration.child_by_field_name("type") if declaration else None
                )
                for receiver_name in (
                    declaration.children_by_field_name("name") if declaration else []
                ):
                    bindings.bind(text(source, receiver_name), parent)
                if name == "TableName" and body is not None:
                    table = _returned_string(source, body)
                    if table:
                        self.relations.append(Relation(parent, "table_name", table))
            bindings.collect(node)
            self._add(
                node,
                Symbol(
                    name,
                    kind,
                    parent or None,
                    node.start_point[0] + 1,
                    node.end_point[0] + 1,
                    outline + (" { ... }" if body is not None else ""),
                    type=type_name(source, result),
                ),
                bindings,
            )
            return
        if kind == "type":
            self._type(node, name, captures["type"][0])
            return
        declared = type_name(source, node.child_by_field_name("type"))
        if not declared:
            values = node.child_by_field_name("value")
            first = (
                values.named_children[0] if values is not None and values.named_children else None
            )
            declared = Bindings(source).expression(first) or ""
        body_text = text(source, node)
        self._add(
            node,
            Symbol(
                name,
                kind,
                None,
                node.start_point[0] + 1,
                node.end_point[0] + 1,
                body_text if len(body_text) <= 300 else body_text[:300] + " ...",
                type=declared,
            ),
            Bindings(source),
        )

    def _type(self, spec: Node, name: str, type_node: Node) -> None:
        source = self.source
        declaration = spec.parent
        whole = (
            declaration if declaration is not None and declaration.named_child_count == 1 else spec
        )
        outline = text(source, whole) if whole is declaration else "type " + text(source, spec)
        kind = {"struct_type": "struct", "interface_type": "interface"}.get(type_node.type, "type")
        bases: list[str] = []
        columns: list[str] = []
        tagged = False
        members: list[tuple[Node, Symbol]] = []
        if kind == "struct":
            fields = next(
                (c for c in type_node.named_children if c.type == "field_declaration_list"), None
            )
            for field in fields.named_children if fields else []:
                if field.type != "field_declaration":
                    continue
                field_type = field.child_by_field_name("type")
                declared = type_name(source, field_type)
                tag = string_value(source, field.child_by_field_name("tag")) or ""
                gorm_tag = re.search(r'gorm:"([^"]*)"', tag)
                tagged = tagged or gorm_tag is not None
                names = field.children_by_field_name("name")
                if not names:  # embedded: gorm.Model, a base struct
                    if declared:
                        bases.append(declared)
                    continue
                for field_name in names:
                    field_text = text(source, field_name)
                    members.append(
                        (
                            field,
                            Symbol(
                                field_text,
                                "field",
                                name,
                                field.start_point[0] + 1,
                                field.end_point[0] + 1,
                                text(source, field),
                                type=declared,
                            ),
                        )
                    )
                    column = _column(field_text, declared, field_type, gorm_tag)
                    if column:
                        columns.append(column)
        elif kind == "interface":
            for element in type_node.named_children:
                if element.type == "method_elem":
                    result = element.child_by_field_name("result")
                    if result is not None and result.type == "parameter_list":
                        first = result.named_children[0] if result.named_children else None
                        result = first.child_by_field_name("type") if first is not None else None
                    members.append(
                        (
                            element,
                            Symbol(
                                text(source, element.child_by_field_name("name")),
                                "method",
                                name,
                                element.start_point[0] + 1,
                                element.end_point[0] + 1,
                                text(source, element),
                                type=type_name(source, result),
                            ),
                        )
                    )
                elif element.type == "type_elem":
                    embedded = (
                        type_name(source, element.named_children[0])
                        if element.named_children
                        else ""
                    )
                    if embedded:
                        bases.append(embedded)
        node = whole
        self._add(
            node,
            Symbol(
                name,
                kind,
                None,
                node.start_point[0] + 1,
                node.end_point[0] + 1,
                outline,
                bases=tuple(bases),
            ),
            None,
        )
        for member_node, member in members:
            self._add(member_node, member, None)
        embeds_model = any(
            b.rpartition(".")[2] == "Model" and self.alias_path(b.partition(".")[0]) == _GORM
            for b in bases
            if "." in b
        )
        if embeds_model or tagged:
            prefix = _GORM_MODEL_COLUMNS if embeds_model else ()
            self.models.append(Model(name, gorm_table(name), "gorm", (*prefix, *columns)))

    def _add(self, node: Node, symbol: Symbol, bindings: Bindings | None) -> None:
        self.symbols.append((node, symbol, bindings))

    def _gorm_calls(self, node: Node, symbol: Symbol, bindings: Bindings) -> None:
        """``db.AutoMigrate(&models.Item{}, ...)``: each argument's type is a GORM model."""
        source = self.source
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "call_expression":
                function = current.child_by_field_name("function")
                if (
                    function is not None
                    and function.type == "selector_expression"
                    and text(source, function.child_by_field_name("field")) == "AutoMigrate"
                ):
                    arguments = current.child_by_field_name("arguments")
                    for argument in arguments.named_children if arguments else []:
                        target = bindings.expression(argument)
                        if target and not target.endswith("()"):
                            self.relations.append(Relation(symbol.qualname, "gorm_model", target))
            stack.extend(current.children)

    def _facts(self, walker: RouteWalker) -> FileFacts:
        source = self.source
        found = QueryCursor(compile_query("go", _query("go-refs.scm"))).captures(self.root)
        members = {n.start_byte for n in found.get("member", [])}
        refs: list[tuple[int, int, str, list[str]]] = []  # start, end, kind, parts
        for node in found.get("reference", []):
            if node.start_byte in members:
                continue
            word = text(source, node)
            if word not in _BUILTINS:
                refs.append((node.start_byte, node.end_byte, "name", [word]))
        for node in found.get("dotted", []):
            refs.append((node.start_byte, node.end_byte, "dotted", text(source, node).split(".")))
        for node in found.get("selector", []):
            parts = chain(source, node)
            if parts is not None:
                refs.append((node.start_byte, node.end_byte, "dotted", parts))
        refs.sort()
        starts = [r[0] for r in refs]
        strings = sorted(
            (n.start_byte, text(source, n))
            for n in found.get("string", [])
            if n.end_byte - n.start_byte < 200 and "/" in text(source, n)
        )
        string_starts = [s[0] for s in strings]
        symbols: list[Symbol] = []
        for node, symbol, bindings in self.symbols:
            low = bisect_left(starts, node.start_byte)
            high = bisect_right(starts, node.end_byte)
            uses: dict[str, None] = {}
            for _start, end, _kind, parts in refs[low:high]:
                if end > node.end_byte:
                    continue
                name = bindings.rewrite(parts) if bindings is not None else ".".join(parts)
                if name != symbol.name and name.split(".")[0] not in _BUILTINS:
                    uses[name] = None
            low = bisect_left(string_starts, node.start_byte)
            high = bisect_right(string_starts, node.end_byte)
            found_strings = tuple(
                dict.fromkeys(v for _s, v in strings[low:high] if _PATHLIKE.match(v))
            )
            symbols.append(replace(symbol, uses=tuple(uses), strings=found_strings))
        tables = {r.owner: r.target for r in self.relations if r.kind == "table_name"}
        models = tuple(
            replace(m, table=tables[m.name]) if m.name in tables else m for m in self.models
        )
        return FileFacts(
            language="go",
            symbols=tuple(symbols),
            imports=tuple(self.imports),
            routes=tuple(walker.routes),
            includes=tuple(walker.includes),
            models=models,
            relations=tuple(self.relations),
            package=self.package,
        )


def _column(
    name: str, declared: str, field_type: Node | None, tag: re.Match[str] | None
) -> str | None:
    """The column a struct field maps to, or None for associations and ``gorm:"-"``."""
    settings = tag.group(1) if tag is not None else ""
    options: dict[str, str] = {}
    for part in settings.split(";"):
        key, _, value = part.partition(":")
        if key.strip():
            options[key.strip().lower()] = value
    if settings.strip().startswith("-"):
        return None
    if options.get("column"):
        return options["column"]
    if any(k in options for k in ("foreignkey", "many2many", "references", "polymorphic")):
        return None
    many = field_type is not None and field_type.type in ("slice_type", "array_type")
    if declared == "byte" and many:
        return gorm_column(name)
    if declared in _COLUMN_TYPES and not many:
        return gorm_column(name)
    if declared.startswith("sql.Null") or (tag is not None and not many and "." in declared):
        return gorm_column(name)
    return None


def _returned_string(source: bytes, body: Node) -> str | None:
    """``return "items"`` as the only return of a TableName method."""
    stack = [body]
    while stack:
        current = stack.pop()
        if current.type == "return_statement":
            values = current.named_children[0] if current.named_children else None
            if values is not None and values.type == "expression_list" and values.named_children:
                values = values.named_children[0]
            return string_value(source, values)
        stack.extend(current.children)
    return None


def go_module_path(content: str) -> str:
    """The ``module`` line of a go.mod file."""
    found = re.search(r"^\s*module\s+\"?([^\s\"]+)\"?", content, re.M)
    return found.group(1) if found else ""


def extract_gomod(source: bytes, _root: Node | None, _rel: str) -> FileFacts | str:
    """go.mod: only the module path (imports under it resolve to workspace directories)."""
    module = go_module_path(source.decode("utf-8", "replace"))
    return FileFacts(language="gomod", package=module) if module else "no module line"


def extract_go(source: bytes, root: Node | None, rel: str) -> FileFacts | str:
    """Facts of one parsed Go file (``rel`` is its workspace-relative POSIX path)."""
    head = source[: source.find(b"\npackage ") + 1 if b"\npackage " in source else 4096]
    if _GENERATED.search(head.decode("utf-8", "replace")):
        return "generated (Code generated ... DO NOT EDIT)"
    assert root is not None
    return _Extractor(source, root, rel).run()
