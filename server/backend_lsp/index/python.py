"""Python file -> FileFacts, from the tag query in ``queries/python-tags.scm``.

The query finds definitions, imports, references and path-like strings; the
backend facts (routes, routers, ORM models, DRF/Django links, migrations) are
read off the definitions' decorators, bases and class bodies, which is where
FastAPI, SQLAlchemy/SQLModel, Django and DRF put them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache
from importlib import resources

from tree_sitter import Node, QueryCursor

from backend_lsp.analysis.python.imports import statement_imports
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.python.roles import file_kinds
from backend_lsp.index.facts import FileFacts, Import, Include, Model, Relation, Route, Symbol
from backend_lsp.syntax.queries import compile_query

_HTTP = ("get", "post", "put", "patch", "delete", "head", "options")
_ROUTER_FACTORIES = {"APIRouter": "prefix", "FastAPI": "root_path", "Blueprint": "url_prefix"}
_MODEL_BASES = {
    "SQLModel": "sqlmodel",
    "Base": "sqlalchemy",
    "DeclarativeBase": "sqlalchemy",
    "Model": "django",
}
_RELATION_FIELDS = ("serializer_class", "queryset", "model")
_AUTH_FIELDS = ("permission_classes", "authentication_classes")
_FK_CALLS = ("ForeignKey", "OneToOneField", "ManyToManyField", "relationship")
_PATHLIKE = re.compile(r"^/?[\w\-{}<>:.]*(/[\w\-{}<>:.]*)*$")


@cache
def _query(name: str) -> str:
    return (resources.files("backend_lsp.index") / "queries" / name).read_text()


def _text(source: bytes, node: Node | None) -> str:
    return (
        "" if node is None else source[node.start_byte : node.end_byte].decode("utf-8", "replace")
    )


def _string(source: bytes, node: Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    parts = [c for c in node.children if c.type == "string_content"]
    if any(c.type == "interpolation" for c in node.children):
        return None
    return "".join(_text(source, p) for p in parts)


def _call_name(source: bytes, call: Node) -> str:
    function = call.child_by_field_name("function")
    return _text(source, function)


def _last(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


def _keyword(source: bytes, call: Node, name: str) -> Node | None:
    arguments = call.child_by_field_name("arguments")
    for argument in arguments.named_children if arguments else []:
        if (
            argument.type == "keyword_argument"
            and _text(source, argument.child_by_field_name("name")) == name
        ):
            return argument.child_by_field_name("value")
    return None


def _positional(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [
        a
        for a in arguments.named_children
        if a.type not in ("keyword_argument", "comment", "list_splat", "dictionary_splat")
    ]


# The callees (last dotted part) ``_call`` records: its branches test these tuples, and
# ``_CALLS`` lets the module walk skip every other call before reading its arguments.
_MOUNTS = ("include_router", "register_blueprint")
_URL_CALLS = ("path", "re_path", "url")
_ALEMBIC_OPS = ("create_table", "add_column", "alter_column", "drop_table", "create_index")
_DJANGO_OPS = ("CreateModel", "AddField", "AlterField")
_CALLS = frozenset({*_MOUNTS, *_URL_CALLS, "register", *_ALEMBIC_OPS, *_DJANGO_OPS})


def _enclosing_class(node: Node) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type == "class_definition":
            return current
        if current.type == "function_definition":
            return None
        current = current.parent
    return None


def _outer(node: Node) -> Node:
    """The decorated_definition around a def/class, so decorators go with it."""
    parent = node.parent
    return parent if parent is not None and parent.type == "decorated_definition" else node


def _header(source: bytes, node: Node) -> str:
    """``def f(a: int) -> X:`` / ``class C(B):`` with decorators, without the body."""
    outer = _outer(node)
    body = node.child_by_field_name("body")
    end = body.start_byte if body is not None else node.end_byte
    return source[outer.start_byte : end].decode("utf-8", "replace").rstrip()


def _class_outline(source: bytes, node: Node) -> str:
    """Header, fields in full and method signatures: what a reader needs of a class."""
    lines = [_header(source, node)]
    body = node.child_by_field_name("body")
    for child in body.named_children if body else []:
        inner = child
        if child.type == "decorated_definition":
            inner = child.child_by_field_name("definition") or child
        if inner.type == "function_definition":
            lines.append("    " + _header(source, inner).replace("\n", "\n    ") + " ...")
        elif inner.type == "class_definition":
            lines.append("    " + _class_outline(source, inner).replace("\n", "\n    "))
        elif child.type == "expression_statement":
            lines.append("    " + _text(source, child))
    return "\n".join(lines)


def _dependencies(source: bytes, node: Node) -> list[str]:
    """Names passed to ``Depends(...)`` / ``Security(...)`` anywhere under ``node``."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "call" and _last(_call_name(source, current)) in ("Depends", "Security"):
            args = _positional(current)
            if args and args[0].type in ("identifier", "attribute"):
                name = _text(source, args[0])
                if name not in found:
                    found.append(name)
        stack.extend(reversed(current.children))
    return found


_KINDS = ("class", "function", "variable", "field")
_NAME_FIELD = {"class": "name", "function": "name", "variable": "left", "field": "left"}


def _start(node: Node) -> int:
    return node.start_byte


def _pre_order(node: Node) -> tuple[int, int]:
    """Outer before inner (a call that is another call's callee starts where it does)."""
    return (node.start_byte, -node.end_byte)


def _outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside another, sorted (definitions nest, never overlap)."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


@cache
def _tags_query() -> str:
    names = " ".join(f'"{name}"' for name in sorted(_CALLS))
    return _query("python-tags.scm").replace("$CALLS", names)


def _first(item: tuple[int, str, Node]) -> int:
    return item[0]


class _Extractor:
    def __init__(self, source: bytes, root: Node, rel: str) -> None:
        self.source = source
        self.root = root
        self.rel = rel
        # (outer node, name, kind, parent, start line, end line, outline, bases): a
        # Symbol's fields before its uses and strings, which come last (``_facts``).
        self.symbols: list[tuple[Node, str, str, str | None, int, int, str, tuple[str, ...]]] = []
        self.imports: list[Import] = []
        self.routes: list[Route] = []
        self.routers: dict[str, str] = {}
        self.includes: list[Include] = []
        self.models: list[Model] = []
        self.relations: list[Relation] = []
        self.migration_tables: list[str] = []
        # The analyzer's answer (path or content: an Alembic revision in any folder).
        self._migration = Location.MIGRATIONS in file_kinds(rel, source, root)

    def run(self) -> FileFacts:
        found = QueryCursor(compile_query("python", _tags_query())).captures(self.root)
        for node in sorted(found.get("import", ()), key=_start):
            self._import(node)
        defs: list[tuple[int, str, Node]] = []
        for kind in _KINDS:
            defs.extend(
                (node.start_byte, kind, node) for node in found.get(f"definition.{kind}", ())
            )
        defs.sort(key=_first)
        for _start_byte, kind, node in defs:
            self._definition(kind, node)
        self._module_calls(found.get("call", ()), found)
        source = self.source
        references = self._names()
        for node in found.get("dotted", []):
            text = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
            if text.isascii() and " " not in text and "\n" not in text:
                references.append((node.start_byte, text))
        references.sort()
        strings: list[tuple[int, str]] = []
        for node in found.get("string", []):
            value = source[node.start_byte : node.end_byte].decode("utf-8", "replace")
            if len(value) < 200 and "/" in value and _PATHLIKE.match(value):
                strings.append((node.start_byte, value))
        strings.sort()
        return self._facts(references, strings)

    def _names(self) -> list[tuple[int, str]]:
        """(offset, name) of every identifier that can resolve in this file.

        Only names the file defines at the top or imports can mean a definition
        (``Resolver.lookup`` starts there), so those are found by a text search
        (``bytes.find``, at C speed) and each whole-word hit kept only if the
        tree has an identifier exactly there that is not an attribute's member.
        This replaces a Node per identifier of the file (most are locals,
        parameters and builtins) with a Node per hit.
        (``a.b`` uses come from the ``@dotted`` captures.)
        """
        names = {d[1] for d in self.symbols if d[3] is None}
        names.update(imp.alias for imp in self.imports)
        names.discard("*")
        if not names:
            return []
        source, root = self.source, self.root
        size = len(source)
        found: list[tuple[int, str]] = []
        for name in names:
            word = name.encode("utf-8")
            start = source.find(word)
            while start != -1:
                end = start + len(word)
                if (start == 0 or source[start - 1] not in _WORD_BYTES) and (
                    end >= size or source[end] not in _WORD_BYTES
                ):
                    node = root.descendant_for_byte_range(start, end)
                    if (
                        node is not None
                        and node.type == "identifier"
                        and node.start_byte == start
                        and node.end_byte == end
                        and not _is_member(node)
                    ):
                        found.append((start, name))
                start = source.find(word, end)
        return found

    def _import(self, node: Node) -> None:
        """The names the statement binds, read by the one import scanner."""
        self.imports.extend(
            Import(b.module, b.name, b.local, b.level) for b in statement_imports(self.source, node)
        )

    def _definition(self, kind: str, node: Node) -> None:
        source = self.source
        name = _text(source, node.child_by_field_name(_NAME_FIELD[kind]))
        cls = _enclosing_class(node) if kind in ("function", "class") else None
        parent = _text(source, cls.child_by_field_name("name")) if cls is not None else None
        if kind == "field":  # part of its class's text; only its links are kept
            cls = _enclosing_class(node)
            parent = _text(source, cls.child_by_field_name("name")) if cls is not None else None
            self._assignment(node, name, parent)
            return
        if kind == "function" and cls is None and _inside_function(node):
            return  # nested helpers are part of their function's text
        outer = _outer(node) if kind in ("function", "class") else node
        bases: tuple[str, ...] = ()
        if kind == "class":
            outline = _class_outline(source, node)
            bases_node = node.child_by_field_name("superclasses")
            if bases_node is not None:
                bases = tuple(
                    _text(source, b)
                    for b in bases_node.named_children
                    if b.type in ("identifier", "attribute")
                )
            self._class_facts(node, name, bases)
        elif kind == "function":
            outline = _header(source, node) + " ..."
            self._route(node, name, parent)
        else:
            outline = _text(source, node)
            self._assignment(node, name, parent)
        self.symbols.append(
            (
                outer,
                name,
                "method" if kind == "function" and parent else kind,
                parent,
                outer.start_point[0] + 1,
                outer.end_point[0] + 1,
                outline,
                bases,
            )
        )

    def _class_facts(self, node: Node, name: str, bases: tuple[str, ...]) -> None:
        source = self.source
        body = node.child_by_field_name("body")
        base_names = {_last(b) for b in bases}
        table: str | None = None
        is_table_model = False
        superclasses = node.child_by_field_name("superclasses")
        if superclasses is not None:
            flag = _keyword_in_args(source, superclasses, "table")
            is_table_model = flag == "True"
        for child in body.named_children if body else []:
            if child.type == "expression_statement" and child.named_children:
                assignment = child.named_children[0]
                if assignment.type == "assignment":
                    left = _text(source, assignment.child_by_field_name("left"))
                    if left == "__tablename__":
                        table = _string(source, assignment.child_by_field_name("right"))
            if (
                child.type == "class_definition"
                and _text(source, child.child_by_field_name("name")) == "Meta"
            ):
                meta_body = child.child_by_field_name("body")
                for stmt in meta_body.named_children if meta_body else []:
                    meta = stmt.named_children[0] if stmt.named_children else None
                    if meta is None or meta.type != "assignment":
                        continue
                    left = _text(source, meta.child_by_field_name("left"))
                    right = meta.child_by_field_name("right")
                    if left == "db_table":
                        table = _string(source, right) or table
                    elif left == "model" and right is not None:
                        self.relations.append(Relation(name, "model", _text(source, right)))
        orm = next((_MODEL_BASES[b] for b in base_names if b in _MODEL_BASES), None)
        if is_table_model:  # SQLModel table, whatever its (schema) bases are
            orm = "sqlmodel"
        elif orm == "sqlmodel":
            return
        if orm == "django" and not any(
            (b.endswith("Model") and "." in b) or b == "Model" for b in bases
        ):
            return
        if orm is not None or table is not None:
            self.models.append(Model(name, table or _default_table(name, orm), orm or "sqlalchemy"))

    def _assignment(self, node: Node, name: str, parent: str | None) -> None:
        source = self.source
        right = node.child_by_field_name("right")
        if right is None:
            return
        if parent is not None and name in _RELATION_FIELDS and name != "model":
            target = right
            if right.type == "call":  # ItemSerializer or Item.objects.all()
                target = right
            head = _text(source, target).split("(")[0].split(".objects")[0]
            self.relations.append(Relation(parent, name, head))
        if parent is not None and name in _AUTH_FIELDS and right.type in ("list", "tuple"):
            for element in right.named_children:
                self.relations.append(Relation(parent, "auth", _text(source, element)))
        if parent is None:  # SessionDep = Annotated[Session, Depends(get_db)]
            for dependency in _dependencies(source, right):
                self.relations.append(Relation(name, "depends", dependency))
        if right.type == "call":
            callee = _last(_call_name(source, right))
            if callee in _ROUTER_FACTORIES and parent is None:
                prefix = _string(source, _keyword(source, right, _ROUTER_FACTORIES[callee]))
                self.routers[name] = prefix or ""
            foreign = _string(source, _keyword(source, right, "foreign_key"))
            if foreign and parent is not None:
                self.relations.append(Relation(parent, "fk_table", foreign.split(".")[0]))
            if callee in _FK_CALLS and parent is not None:
                args = _positional(right)
                if args:
                    fk = _string(source, args[0]) or _text(source, args[0])
                    self.relations.append(Relation(parent, "fk", fk))

    def _route(self, function: Node, name: str, parent: str | None) -> None:
        source = self.source
        outer = _outer(function)
        if outer is function:
            return
        for decorator in outer.named_children:
            if decorator.type != "decorator":
                continue
            call = decorator.named_children[0] if decorator.named_children else None
            if call is None or call.type != "call":
                continue
            callee = _call_name(source, call)
            method = _last(callee)
            router = callee.rsplit(".", 1)[0] if "." in callee else None
            if method in ("route", "api_route", "websocket"):
                methods_node = _keyword(source, call, "methods")
                methods = [
                    (_string(source, m) or "").upper()
                    for m in (methods_node.named_children if methods_node else [])
                ]
                method_text = ",".join(m for m in methods if m) or (
                    "WS" if method == "websocket" else "GET"
                )
            elif method in _HTTP and router is not None:
                method_text = method.upper()
            elif method == "action" and parent is not None:  # DRF @action on a ViewSet
                verbs = _keyword(source, call, "methods")
                listed = [
                    (_string(source, m) or "").upper()
                    for m in (verbs.named_children if verbs else [])
                ]
                url = _string(source, _keyword(source, call, "url_path")) or name
                detail = _text(source, _keyword(source, call, "detail")) == "True"
                self.routes.append(
                    Route(
                        ",".join(m for m in listed if m) or "GET",
                        ("{pk}/" if detail else "") + url.strip("/") + "/",
                        f"{parent}.{name}",
                        parent,
                        function.start_point[0] + 1,
                        (),
                        "drf-action",
                    )
                )
                continue
            elif method == "api_view":
                args = _positional(call)
                methods = [
                    (_string(source, m) or "").upper()
                    for m in (args[0].named_children if args else [])
                ]
                self.routes.append(
                    Route(
                        ",".join(methods) or "GET",
                        "",
                        name,
                        None,
                        function.start_point[0] + 1,
                        (),
                        "drf",
                    )
                )
                continue
            else:
                continue
            args = _positional(call)
            path = _string(source, args[0]) if args else None
            if path is None:
                path = _string(source, _keyword(source, call, "path")) or ""
            deps = _dependencies(source, function.child_by_field_name("parameters") or function)
            deps += [d for d in _dependencies(source, call) if d not in deps]
            self.routes.append(
                Route(
                    method_text,
                    path,
                    f"{parent}.{name}" if parent else name,
                    router,
                    function.start_point[0] + 1,
                    tuple(deps),
                    "flask" if method == "route" else "fastapi",
                )
            )

    def _module_calls(self, calls: Iterable[Node], found: dict[str, list[Node]]) -> None:
        """include_router(...), Django path()/include(), DRF router.register, migrations.

        ``calls`` are the query's candidates (by callee name); outside a migration only
        those in no function or class body count (a body's calls are its own).
        """
        source = self.source
        if self._migration:
            inside: list[tuple[int, int]] = []
        else:
            inside = _outermost(
                (n.start_byte, n.end_byte)
                for key in ("definition.function", "definition.class")
                for n in found.get(key, ())
            )
        starts = [span[0] for span in inside]
        for call in sorted(calls, key=_pre_order):
            start = call.start_byte
            at = bisect_right(starts, start) - 1
            if at >= 0 and start < inside[at][1]:
                continue
            callee = _call_name(source, call)
            if _last(callee) in _CALLS:
                self._call(call, callee)

    def _call(self, call: Node, callee: str) -> None:
        source = self.source
        last = _last(callee)
        args = _positional(call)
        line = call.start_point[0] + 1
        if last in _MOUNTS and args:
            prefix_key = "prefix" if last == "include_router" else "url_prefix"
            mount = _string(source, _keyword(source, call, prefix_key)) or ""
            parent = callee.rsplit(".", 1)[0] if "." in callee else None
            self.includes.append(Include(parent, _text(source, args[0]), mount, line))
        elif last in _URL_CALLS and len(args) >= 2 and "urls" in self.rel:
            prefix = _string(source, args[0])
            target = args[1]
            if prefix is None:
                return
            if target.type == "call" and _last(_call_name(source, target)) == "include":
                inner = _positional(target)
                module = _string(source, inner[0]) if inner else None
                child = module if module is not None else _text(source, inner[0]) if inner else ""
                self.includes.append(Include(None, child, prefix, line))
            elif not _text(source, target).endswith(".urls"):  # admin.site.urls
                handler = _text(source, target).replace(".as_view()", "")
                handler = re.sub(r"\.as_view\(.*\)$", "", handler, flags=re.S)
                self.routes.append(Route("ANY", prefix, handler, None, line, (), "django"))
        elif last == "register" and len(args) >= 2 and "." in callee:
            registered = _string(source, args[0])
            if registered is not None:
                self.routes.append(
                    Route(
                        "ANY",
                        registered.strip("^$").rstrip("/") + "/",
                        _text(source, args[1]),
                        callee.rsplit(".", 1)[0],
                        line,
                        (),
                        "drf",
                    )
                )
        elif self._migration and last in _ALEMBIC_OPS:
            index = 1 if last == "create_index" else 0
            name = _string(source, args[index]) if len(args) > index else None
            if name and name not in self.migration_tables:
                self.migration_tables.append(name)
        elif self._migration and last in _DJANGO_OPS:
            key = "name" if last == "CreateModel" else "model_name"
            name = _string(source, _keyword(source, call, key))
            if name and name.lower() not in self.migration_tables:
                self.migration_tables.append(name.lower())

    def _facts(
        self, references: list[tuple[int, str]], strings: list[tuple[int, str]]
    ) -> FileFacts:
        spans = [(d[0].start_byte, d[0].end_byte) for d in self.symbols]
        order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
        uses: list[dict[str, None]] = [{} for _ in spans]
        found: list[dict[str, None]] = [{} for _ in spans]
        module_uses: dict[str, None] = {}

        def attribute(
            items: list[tuple[int, str]],
            into: list[dict[str, None]],
            outside: dict[str, None] | None,
        ) -> None:
            """One sweep over offsets and spans (both sorted): innermost open span wins."""
            stack: list[int] = []
            position = 0
            for offset, name in items:
                while stack and spans[stack[-1]][1] <= offset:
                    stack.pop()
                while position < len(order) and spans[order[position]][0] <= offset:
                    candidate = order[position]
                    while stack and spans[stack[-1]][1] <= spans[candidate][0]:
                        stack.pop()
                    stack.append(candidate)
                    position += 1
                while stack and spans[stack[-1]][1] <= offset:
                    stack.pop()
                if stack:
                    into[stack[-1]][name] = None
                elif outside is not None:
                    outside[name] = None

        attribute(references, uses, module_uses)
        attribute(strings, found, None)
        symbols = tuple(
            Symbol(
                name,
                kind,
                parent,
                start_line,
                end_line,
                outline,
                bases,
                tuple(u for u in uses[i] if u != name),
                tuple(found[i]),
            )
            for i, (_node, name, kind, parent, start_line, end_line, outline, bases) in enumerate(
                self.symbols
            )
        )
        return FileFacts(
            language="python",
            symbols=symbols,
            imports=tuple(self.imports),
            routes=tuple(self.routes),
            routers=self.routers,
            includes=tuple(self.includes),
            models=tuple(self.models),
            relations=tuple(self.relations),
            migration_tables=tuple(self.migration_tables),
            module_uses=tuple(module_uses),
        )


_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") | set(
    range(0x80, 0x100)
)  # an identifier's bytes (any non-ASCII byte may be part of one)


def _is_member(node: Node) -> bool:
    """``node`` is the ``b`` of ``a.b`` (a member, resolved only through ``a``)."""
    parent = node.parent
    if parent is None or parent.type != "attribute":
        return False
    member = parent.child_by_field_name("attribute")
    return member is not None and member.start_byte == node.start_byte


def _inside_function(node: Node) -> bool:
    current = node.parent
    while current is not None:
        if current.type == "function_definition":
            return True
        current = current.parent
    return False


def _keyword_in_args(source: bytes, arguments: Node, name: str) -> str | None:
    for argument in arguments.named_children:
        if (
            argument.type == "keyword_argument"
            and _text(source, argument.child_by_field_name("name")) == name
        ):
            return _text(source, argument.child_by_field_name("value"))
    return None


def _default_table(name: str, orm: str | None) -> str:
    """SQLModel lower-cases the class name; Django uses app_model (app unknown here)."""
    return name.lower()


def extract_python(source: bytes, root: Node, rel: str) -> FileFacts:
    """Facts of one parsed Python file (``rel`` is its workspace-relative POSIX path)."""
    return _Extractor(source, root, rel).run()
