"""JavaScript/TypeScript/TSX file -> FileFacts, from ``queries/js-*.scm`` (+ ``ts-*.scm``).

Definitions are top-level functions (``export const f = () => ...`` included),
classes with their methods and fields (TS constructor parameter properties are
fields too, with their declared type), variables (their type from the
annotation, ``new X()``, or ``getRepository(X)`` as ``Repository<X>``) and TS
interfaces/types/enums. Imports are ``import ... from``, ``require()`` and, as
``level=1`` records, ``export ... from`` re-exports; ``export default x`` /
``module.exports = x`` is an ``export_default`` Relation. A reference is kept
only when its head is defined or imported in the file (locals are noise), with
``this`` rewritten to the enclosing class and typed locals to their type, so
``jsmodules`` can follow ``ItemsController.itemsService.findOne``. Routes come
from ``js_routes``, ORM models from ``js_orm``; in test files each ``it()`` /
``test()`` call is a ``test`` symbol carrying the paths it requests.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import PurePosixPath

from tree_sitter import Node, QueryCursor

from backend_lsp.index.facts import FileFacts, Import, Include, Model, Relation, Route, Symbol
from backend_lsp.index.js_orm import entity, sequelize_calls, sequelize_define
from backend_lsp.index.js_routes import (
    HTTP_MODULES,
    MOUNTERS,
    PLUGIN_WRAPPERS,
    ExpressWalker,
    nest_bootstrap,
    nest_modules,
    nest_routes,
    require_alias,
)
from backend_lsp.index.js_syntax import (
    Decorator,
    arguments,
    call_expressions,
    chain,
    decorators_before,
    decorators_of,
    string_value,
    template_text,
    text,
    type_text,
)
from backend_lsp.syntax.languages import language_for_path
from backend_lsp.syntax.queries import compile_query, run_query

_TAGS = {"javascript": ("js-tags.scm", "js-fields.scm")}
_REFS = {"javascript": ("js-refs.scm",)}
_TS_TAGS = ("js-tags.scm", "ts-tags.scm")
_TS_REFS = ("js-refs.scm", "ts-refs.scm")
_PATHLIKE = re.compile(r"^/?[\w\-{}<>:.*]*(/[\w\-{}<>:.*]*)+$")
_GENERATED = re.compile(
    r"^\s*(?://|/\*+|\*)\s*(?:@generated|Code generated|auto-?generated)", re.I | re.M
)
_TEST_FILE = re.compile(r"\.(?:test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$")
_TEST_CALLS = frozenset({"it", "test", "it.only", "test.only", "it.each", "test.each"})
# Cheap gates before whole-tree walks: a router's verb call, a Sequelize init/association.
_ROUTER_CALL = re.compile(
    rb"\b(?:app|router|api|fastify|\w+Router)\s*\.\s*"
    rb"(?:get|post|put|patch|delete|all|use|route|register)\s*\("
)
_SEQUELIZE_CALL = re.compile(rb"\.\s*(?:init|belongsTo|hasMany|hasOne|belongsToMany)\s*\(")
_REPOSITORY_FACTORIES = frozenset({"getRepository", "getCustomRepository", "getMongoRepository"})


@cache
def _query(language: str, kind: str) -> str:
    names = (_TAGS if kind == "tags" else _REFS).get(language) or (
        _TS_TAGS if kind == "tags" else _TS_REFS
    )
    folder = resources.files("backend_lsp.index") / "queries"
    return "\n".join((folder / name).read_text() for name in names)


def is_js_test_path(rel: str) -> bool:
    """Jest/Vitest/Mocha conventions: ``*.test.ts``, ``*.spec.ts``, ``__tests__/``, ``test/``."""
    pure = PurePosixPath(rel)
    return bool(_TEST_FILE.search(pure.name)) or any(
        p in ("__tests__", "test", "tests", "e2e") for p in pure.parts[:-1]
    )


class _Extractor:
    def __init__(self, source: bytes, root: Node, rel: str, language: str) -> None:
        self.source = source
        self.root = root
        self.rel = rel
        self.language = language
        self.imports: list[Import] = []
        self.symbols: list[tuple[Node, Symbol]] = []
        self.relations: list[Relation] = []
        self.models: list[Model] = []
        self.routes: list[Route] = []
        self.routers: dict[str, str] = {}
        self.includes: list[Include] = []
        self.classes: dict[str, tuple[Node, list[tuple[str, int, list[Decorator]]]]] = {}
        self.fields: dict[str, list[tuple[str, list[Decorator]]]] = {}

    def run(self) -> FileFacts:
        defs: list[tuple[str, Node]] = []
        for _pattern, captures in run_query(
            self.language, _query(self.language, "tags"), self.root
        ):
            if "import" in captures:
                self._import(captures["import"][0])
            elif "reexport" in captures:
                self._reexport(captures["reexport"][0])
            elif "require" in captures:
                self._require(captures["require"][0], captures["source"][0])
            elif "default" in captures:
                self._default(captures["value"][0])
            else:
                for kind in ("function", "class", "variable", "method", "field", "type"):
                    if f"definition.{kind}" in captures:
                        defs.append((kind, captures[f"definition.{kind}"][0]))
        for kind, node in sorted(defs, key=lambda d: d[1].start_byte):
            self._definition(kind, node)
        self._backend()
        return self._facts()

    # -- imports --------------------------------------------------------------------------

    def _import(self, node: Node) -> None:
        source = self.source
        module = string_value(source, node.child_by_field_name("source"))
        if module is None:
            return
        clause = next((c for c in node.named_children if c.type == "import_clause"), None)
        if clause is None:
            self.imports.append(Import(module, None, ""))  # import './setup'
            return
        for child in clause.named_children:
            if child.type == "identifier":
                self.imports.append(Import(module, "default", text(source, child)))
            elif child.type == "namespace_import":
                names = [c for c in child.named_children if c.type == "identifier"]
                if names:
                    self.imports.append(Import(module, None, text(source, names[0])))
            elif child.type == "named_imports":
                for spec in child.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = text(source, spec.child_by_field_name("name"))
                    alias = spec.child_by_field_name("alias")
                    self.imports.append(
                        Import(module, name, text(source, alias) if alias else name)
                    )

    def _reexport(self, node: Node) -> None:
        source = self.source
        module = string_value(source, node.child_by_field_name("source"))
        if module is None:
            return
        clause = next((c for c in node.named_children if c.type == "export_clause"), None)
        namespace = next((c for c in node.named_children if c.type == "namespace_export"), None)
        if clause is not None:
            for spec in clause.named_children:
                if spec.type == "export_specifier":
                    name = text(source, spec.child_by_field_name("name"))
                    alias = spec.child_by_field_name("alias")
                    self.imports.append(
                        Import(module, name, text(source, alias) if alias else name, 1)
                    )
        elif namespace is not None:
            self.imports.append(Import(module, None, text(source, namespace.named_children[-1]), 1))
        else:
            self.imports.append(Import(module, None, "*", 1))

    def _require(self, call: Node, literal: Node) -> None:
        """``const x = require('m')``, ``const { a, b: c } = require('m')``, ``require('m').a``."""
        source = self.source
        module = string_value(source, literal)
        if module is None:
            return
        parent = call.parent
        member = None
        if parent is not None and parent.type == "member_expression":
            member = text(source, parent.child_by_field_name("property"))
            parent = parent.parent
        if parent is None or parent.type != "variable_declarator":  # app.use(require('./r'))
            self.imports.append(
                Import(module, member, require_alias(call) if member is None else "")
            )
            return
        pattern = parent.child_by_field_name("name")
        if pattern is None:
            return
        if pattern.type == "identifier":
            self.imports.append(Import(module, member, text(source, pattern)))
        elif pattern.type == "object_pattern":
            for item in pattern.named_children:
                if item.type == "shorthand_property_identifier_pattern":
                    name = text(source, item)
                    self.imports.append(Import(module, name, name))
                elif item.type == "pair_pattern":
                    key = text(source, item.child_by_field_name("key"))
                    value = item.child_by_field_name("value")
                    if value is not None and value.type == "identifier":
                        self.imports.append(Import(module, key, text(source, value)))

    def _default(self, value: Node) -> None:
        name = value.child_by_field_name("name") if value.type != "identifier" else value
        if name is None:
            return
        self.relations.append(Relation("module", "export_default", text(self.source, name)))
        if value.type in ("function_expression", "function"):  # module.exports = function f()
            self._add(value, self._callable(value, text(self.source, name), "function", None))

    # -- definitions ----------------------------------------------------------------------

    def _definition(self, kind: str, node: Node) -> None:
        source = self.source
        if kind == "function":
            self._add(
                node,
                self._callable(
                    node, text(source, node.child_by_field_name("name")), "function", None
                ),
            )
        elif kind == "class":
            self._class(node)
        elif kind == "variable":
            self._variable(node)
        elif kind == "type":
            name = text(source, node.child_by_field_name("name"))
            body = text(source, node)
            kind_name = "interface" if node.type == "interface_declaration" else "type"
            self._add(node, Symbol(name, kind_name, None, *_lines(node), _cap(body, 1200)))
        elif kind in ("method", "field"):
            owner = self._owner(node)
            if owner is None:
                return
            name = text(
                source, node.child_by_field_name("name") or node.child_by_field_name("property")
            )
            # TS hangs a field's decorators on the field, a method's before it
            decorators = decorators_before(source, node) + decorators_of(source, node)
            if kind == "method":
                self._add(node, self._callable(node, name, "method", owner))
                self.classes[owner][1].append((name, node.start_point[0] + 1, decorators))
                if name == "constructor":
                    self._parameter_properties(node, owner)
            else:
                declared = type_text(source, node.child_by_field_name("type"))
                self._add(
                    node,
                    Symbol(
                        name,
                        "field",
                        owner,
                        *_lines(node),
                        _cap(text(source, node), 300),
                        type=declared,
                    ),
                )
                self.fields.setdefault(owner, []).append((name, decorators))

    def _owner(self, member: Node) -> str | None:
        body = member.parent
        cls = body.parent if body is not None else None
        if cls is None:
            return None
        name = text(self.source, cls.child_by_field_name("name"))
        return name if name in self.classes else None

    def _callable(self, node: Node, name: str, kind: str, parent: str | None) -> Symbol:
        source = self.source
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        outline = source[node.start_byte : end].decode("utf-8", "replace").rstrip()
        if node.parent is not None and node.parent.type == "export_statement":
            outline = "export " + outline
        return Symbol(
            name, kind, parent, *_lines(node), outline + (" { ... }" if body is not None else "")
        )

    def _class(self, node: Node) -> None:
        source = self.source
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return
        name = text(source, name_node)
        bases: list[str] = []
        for heritage in (c for c in node.named_children if c.type == "class_heritage"):
            for clause in heritage.named_children:
                targets = (
                    clause.named_children
                    if clause.type in ("extends_clause", "implements_clause")
                    else [clause]
                )
                for target in targets:
                    if target.type in (
                        "identifier",
                        "type_identifier",
                        "member_expression",
                        "nested_type_identifier",
                    ):
                        bases.append(text(source, target))
        body = node.child_by_field_name("body")
        header = source[node.start_byte : body.start_byte if body else node.end_byte].decode(
            "utf-8", "replace"
        )
        members = [
            text(source, m).split("{", 1)[0].strip()
            if m.type == "method_definition"
            else text(source, m).strip()
            for m in (body.named_children if body else [])
            if m.type in ("method_definition", "public_field_definition", "field_definition")
        ]
        outline = header.strip() + " {\n" + "".join(f"  {_cap(m, 200)}\n" for m in members) + "}"
        self.classes[name] = (node, [])
        self._add(node, Symbol(name, "class", None, *_lines(node), outline, bases=tuple(bases)))

    def _parameter_properties(self, constructor: Node, owner: str) -> None:
        """``constructor(private readonly svc: ItemsService)``: a field of the class."""
        source = self.source
        parameters = constructor.child_by_field_name("parameters")
        for parameter in parameters.named_children if parameters else []:
            modifiers = [
                c for c in parameter.children if c.type in ("accessibility_modifier", "readonly")
            ]
            pattern = parameter.child_by_field_name("pattern")
            if not modifiers or pattern is None or pattern.type != "identifier":
                continue
            declared = type_text(source, parameter.child_by_field_name("type"))
            for found in decorators_of(source, parameter):
                if found.name in ("InjectRepository", "InjectModel") and found.args:
                    target = chain(source, found.args[0])
                    if target and not declared.startswith("Repository<"):
                        declared = f"Repository<{'.'.join(target)}>"
            name = text(source, pattern)
            self._add(
                parameter,
                Symbol(
                    name, "field", owner, *_lines(parameter), text(source, parameter), type=declared
                ),
            )

    def _variable(self, declarator: Node) -> None:
        source = self.source
        name_node = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if name_node is None or name_node.type != "identifier":
            return
        name = text(source, name_node)
        if _requires(source, value):
            return  # an import (``_require``), not a definition
        if value is not None and value.type in (
            "arrow_function",
            "function_expression",
            "function",
        ):
            body = value.child_by_field_name("body")
            end = body.start_byte if body is not None else value.end_byte
            declaration = declarator.parent
            start = (
                declaration.parent
                if declaration is not None
                and declaration.parent is not None
                and declaration.parent.type == "export_statement"
                else declaration
            )
            head = (
                source[(start or declarator).start_byte : end].decode("utf-8", "replace").rstrip()
            )
            self._add(
                start or declarator,
                Symbol(name, "function", None, *_lines(start or declarator), head + " ..."),
            )
            return
        declared = type_text(source, declarator.child_by_field_name("type")) or self._value_type(
            value
        )
        kind = "variable"
        if value is not None and (model := sequelize_define(source, name, value)) is not None:
            self.models.append(model)
            kind = "model"
        statement = declarator.parent or declarator
        whole = text(source, statement)
        self._add(
            declarator,
            Symbol(name, kind, None, *_lines(statement), _cap(whole, 300), type=declared),
        )

    def _value_type(self, value: Node | None) -> str:
        """``new PrismaClient()`` anywhere in the value, or ``x.getRepository(Item)``."""
        source = self.source
        if value is None:
            return ""
        if value.type == "call_expression":
            parts = chain(source, value.child_by_field_name("function"))
            args = arguments(value)
            if parts and parts[-1] in _REPOSITORY_FACTORIES and args:
                target = chain(source, args[0])
                if target:
                    return f"Repository<{'.'.join(target)}>"
        stack = [value]
        while stack:
            node = stack.pop()
            if node.type == "new_expression":
                parts = chain(source, node.child_by_field_name("constructor"))
                return ".".join(parts) if parts else ""
            if node.type not in ("arrow_function", "function_expression"):
                stack.extend(reversed(node.named_children))
        return ""

    def _add(self, node: Node, symbol: Symbol) -> None:
        self.symbols.append((node, symbol))

    # -- backend --------------------------------------------------------------------------

    def _backend(self) -> None:
        source = self.source
        aliases = {i.alias for i in self.imports if i.alias}
        makers = {
            i.alias: HTTP_MODULES[i.module]
            for i in self.imports
            if i.module in HTTP_MODULES and i.alias
        }
        wrappers = {
            i.alias: PLUGIN_WRAPPERS[i.module]
            for i in self.imports
            if i.module in PLUGIN_WRAPPERS and i.alias
        }
        mounters = {
            i.alias: MOUNTERS[i.module] for i in self.imports if i.module in MOUNTERS and i.alias
        }
        top = {s.name for _n, s in self.symbols if s.parent is None}
        if makers or wrappers or _ROUTER_CALL.search(source):  # the walk visits every node
            walker = ExpressWalker(source, makers, aliases | top, wrappers, mounters)
            walker.run(self.root)
            self.routes.extend(walker.routes)
            self.routers.update(walker.routers)
            self.includes = walker.includes
            self.relations.extend(walker.relations)
            if walker.default is not None and not any(
                r.kind == "export_default" for r in self.relations
            ):  # ``export default fp(plugin)``: the plugin is what the module exports
                self.relations.append(Relation("module", "export_default", walker.default))
            for node, handler in walker.handlers:
                self._add(node, handler)
        for cls, (node, methods) in self.classes.items():
            class_decorators = decorators_of(source, node)
            prefix, routes = nest_routes(source, cls, class_decorators, methods)
            if prefix is not None:
                self.routers[cls] = prefix
                self.routes.extend(routes)
            self.includes.extend(
                nest_modules(source, cls, class_decorators, node.start_point[0] + 1)
            )
            model, relations = entity(source, cls, class_decorators, self.fields.get(cls, []))
            if model is not None:
                self.models.append(model)
            self.relations.extend(relations)
        if b"setGlobalPrefix" in source:
            self.includes.extend(nest_bootstrap(source, self.root))
        models, relations = (
            sequelize_calls(source, self.root, set(self.classes))
            if _SEQUELIZE_CALL.search(source)
            else ([], [])
        )
        known = {m.name for m in self.models}
        self.models.extend(m for m in models if m.name not in known)
        self.relations.extend(relations)
        if is_js_test_path(self.rel):
            self._tests()

    def _tests(self) -> None:
        source = self.source
        for node in call_expressions(self.root):
            parts = chain(source, node.child_by_field_name("function"))
            args = arguments(node)
            if not parts or ".".join(parts) not in _TEST_CALLS or len(args) < 2:
                continue
            title = string_value(source, args[0]) or text(source, args[0])[:80]
            self._add(
                node,
                Symbol(title, "test", None, *_lines(node), text(source, node).split("\n", 1)[0]),
            )

    # -- references -----------------------------------------------------------------------

    def _facts(self) -> FileFacts:
        source = self.source
        found = QueryCursor(compile_query(self.language, _query(self.language, "refs"))).captures(
            self.root
        )
        known = {s.name for _n, s in self.symbols if s.parent is None} | {
            i.alias for i in self.imports if i.alias
        }
        refs: list[tuple[int, int, list[str]]] = []
        for node in found.get("reference", []):
            word = text(source, node)
            if word in known:
                refs.append((node.start_byte, node.end_byte, [word]))
        for node in found.get("dotted", []):
            refs.append((node.start_byte, node.end_byte, text(source, node).split(".")))
        for node in found.get("member", []):
            parent = node.parent
            if (
                parent is not None
                and parent.type == "member_expression"
                and parent.child_by_field_name("object") == node
            ):
                continue  # the outer chain covers it
            if (
                parent is not None
                and parent.type == "call_expression"
                and parent.parent is not None
                and parent.parent.type == "member_expression"
            ):
                continue  # db.where().find: the outer chain
            parts = chain(source, node)
            if parts is not None:
                refs.append((node.start_byte, node.end_byte, [p.removesuffix("()") for p in parts]))
        refs.sort()
        starts = [r[0] for r in refs]
        strings = sorted(
            [(n.start_byte, text(source, n)) for n in found.get("string", [])]
            + [(n.start_byte, template_text(source, n)) for n in found.get("template", [])]
        )
        strings = [(s, v) for s, v in strings if len(v) < 200 and "/" in v]
        string_starts = [s[0] for s in strings]
        bindings = self._bindings(found.get("local", []))
        symbols: list[Symbol] = []
        for node, symbol in self.symbols:
            low, high = bisect_left(starts, node.start_byte), bisect_right(starts, node.end_byte)
            this = symbol.parent or (symbol.name if symbol.kind == "class" else None)
            local = bindings.get(node.start_byte, {})
            uses: dict[str, None] = {}
            for _start, end, parts in refs[low:high]:
                if end > node.end_byte:
                    continue
                head = parts[0]
                if head == "this":
                    if this is None or len(parts) < 2:
                        continue
                    parts = [this, *parts[1:]]
                elif head in local:
                    parts = [local[head], *parts[1:]]
                elif head not in known:
                    continue
                name = ".".join(parts)
                if name != symbol.name:
                    uses[name] = None
            low, high = (
                bisect_left(string_starts, node.start_byte),
                bisect_right(string_starts, node.end_byte),
            )
            paths = tuple(dict.fromkeys(v for _s, v in strings[low:high] if _PATHLIKE.match(v)))
            symbols.append(replace(symbol, uses=tuple(uses), strings=paths))
        return FileFacts(
            language=self.language,
            symbols=tuple(symbols),
            imports=tuple(self.imports),
            routes=tuple(self.routes),
            routers=self.routers,
            includes=tuple(self.includes),
            models=tuple(self.models),
            relations=tuple(self.relations),
        )

    def _bindings(self, locals_: list[Node]) -> dict[int, dict[str, str]]:
        """Per function symbol: typed parameters and ``const x = new X()`` locals -> type."""
        source = self.source
        declared: list[tuple[int, str, str]] = []
        for node in sorted(locals_, key=lambda n: n.start_byte):
            named = node.child_by_field_name("name") or node.child_by_field_name("pattern")
            typed = type_text(source, node.child_by_field_name("type"))
            if not typed and node.type == "variable_declarator":
                typed = self._value_type(node.child_by_field_name("value"))
            if named is not None and typed:
                declared.append((node.start_byte, text(source, named), _bound(typed)))
        starts = [d[0] for d in declared]
        found: dict[int, dict[str, str]] = {}
        for node, symbol in self.symbols:
            if symbol.kind not in ("function", "method", "test"):
                continue
            low, high = bisect_left(starts, node.start_byte), bisect_right(starts, node.end_byte)
            names: dict[str, str] = {}
            for _start, local, typed in declared[low:high]:
                names.setdefault(local, typed)
            if symbol.kind == "test":  # `let controller: ItemsController` sits in describe()
                for _start, local, typed in declared[:low]:
                    names.setdefault(local, typed)
            found[node.start_byte] = names
        return found


def _requires(source: bytes, value: Node | None) -> bool:
    """``require('m')`` or ``require('m').x``."""
    if value is not None and value.type == "member_expression":
        value = value.child_by_field_name("object")
    if value is None or value.type != "call_expression":
        return False
    return text(source, value.child_by_field_name("function")) == "require"


def _bound(declared: str) -> str:
    """A local's type as a name to look up: ``Repository<Item>`` stands for ``Item``."""
    base, _, argument = declared.partition("<")
    if argument and base.rsplit(".", 1)[-1].endswith("Repository"):
        return argument.rstrip(">").split(",")[0].strip()
    return base


def _lines(node: Node) -> tuple[int, int]:
    return node.start_point[0] + 1, node.end_point[0] + 1


def _cap(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit] + " ..."


def extract_js(source: bytes, root: Node | None, rel: str) -> FileFacts | str:
    """Facts of one parsed JS/TS/TSX file (``rel`` is its workspace-relative POSIX path)."""
    if _GENERATED.search(source[:2048].decode("utf-8", "replace")):
        return "generated (header says so)"
    assert root is not None
    language = language_for_path(rel) or "javascript"
    return _Extractor(source, root, rel, language).run()
