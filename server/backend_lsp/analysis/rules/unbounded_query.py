"""BE005: list endpoints that return every row of a table.

A handler that lists things and fetches without a bound gets slower and
larger with every row the table gains, until it times out or exhausts memory.
Only route handlers that list (GET, no item parameter) are checked; a handler
that uses any paginator (Django ``Paginator``, DRF ``paginate_queryset`` /
``pagination_class``, fastapi-pagination ``paginate``, Flask-SQLAlchemy
``paginate``) is trusted. No automatic fix: the right page size and the
response shape are API decisions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from backend_lsp.analysis.context import AnalysisContext
from backend_lsp.analysis.locations import ONE_OFF_DATA_CODE
from backend_lsp.analysis.model import Finding, RuleMeta, Severity
from backend_lsp.analysis.python.bindings import resolve_name
from backend_lsp.analysis.python.nodes import (
    call_name,
    keyword_argument,
    node_text,
    own_nodes,
    positional_arguments,
    string_value,
    walk,
)
from backend_lsp.analysis.python.orm import (
    DJANGO_QUERYSET_METHODS,
    OrmChain,
    chain_through_variables,
    orm_chain_at,
)
from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.python.routes import RouteHandler, find_routes
from backend_lsp.analysis.registry import register

_PAGINATION_MARKERS = (
    "paginate", "Paginator", "pagination_class", "get_paginated_response", "Page[",
    "LimitOffsetPage", "CursorPage", "paginated",
)  # fmt: skip
_DETAIL_PARAMS = frozenset({"pk", "id", "slug", "uuid"})
_RESPONDERS = frozenset(
    {"render", "render_template", "JsonResponse", "Response", "jsonify", "TemplateResponse",
     "HttpResponse", "JSONResponse", "ORJSONResponse", "list", "tuple", "dumps", "serialize",
     "get_serializer", "model_validate", "from_orm", "dict", "json", "StreamingHttpResponse"}
)  # fmt: skip
_CONTAINERS = frozenset(
    {"parenthesized_expression", "list", "tuple", "set", "dictionary", "pair",
     "keyword_argument", "conditional_expression", "argument_list", "expression_list",
     "list_splat", "await"}
)  # fmt: skip
_ROWS = frozenset({"all", "fetchall", "list", "iterate", "scalars", "partitions"})
_SQL_LIMIT = re.compile(r"\b(limit|fetch\s+(first|next)|top\s*\(?\s*\d)", re.IGNORECASE)
_SQL_SELECT = re.compile(r"^\s*(with\b.*?\bselect|select)\b", re.IGNORECASE | re.DOTALL)
_SQL_AGGREGATE_ONLY = re.compile(r"^\s*select\s+(count|sum|avg|min|max|exists)\s*\(", re.IGNORECASE)
_MAX_FOLLOW = 4


@register
class UnboundedQuery:
    meta = RuleMeta(
        code="BE005",
        name="unbounded-query",
        severity=Severity.WARNING,
        summary="A list endpoint fetches every matching row with no limit or pagination.",
        doc_url="https://docs.djangoproject.com/en/stable/topics/pagination/",
        locations=(*ONE_OFF_DATA_CODE[:-1], (Location.SCRIPTS, "skip")),
    )

    def check(self, ctx: AnalysisContext) -> Iterator[Finding]:
        assert ctx.root is not None
        for handler in find_routes(ctx.source, ctx.root, ctx.path):
            if not _lists_things(handler) or _paginated(ctx.source, handler):
                continue
            if _is_action(ctx.source, handler):
                continue
            yield from self._handler(ctx, handler)

    def _handler(self, ctx: AnalysisContext, handler: RouteHandler) -> Iterator[Finding]:
        source = ctx.source
        endpoint = _endpoint(handler)
        reported: set[int] = set()
        for node in own_nodes(handler.function.child_by_field_name("body")):
            if node.type not in ("call", "attribute", "subscript") or _continues(node):
                continue
            chain = orm_chain_at(source, node)
            label = _short(node_text(source, node))
            if chain is not None:
                if not _unbounded(source, chain, node, handler):
                    continue
                what = f"`{label}`"
            else:
                sql = _raw_fetch_all(source, node)
                if sql is None:
                    continue
                what = f"`{label}` (SQL without LIMIT)"
            if node.start_byte in reported:
                continue
            reported.add(node.start_byte)
            yield ctx.finding(
                self.meta,
                node,
                f"{what} loads every matching row in list endpoint {endpoint}: response "
                "size and query time grow with the table. Paginate (limit/offset or cursor "
                "parameters, Django Paginator, DRF pagination_class, fastapi-pagination) or "
                "cap the rows with a maximum page size.",
            )


# --- which handlers ------------------------------------------------------------------------


def _lists_things(handler: RouteHandler) -> bool:
    if not handler.is_list_endpoint:
        return False
    if not handler.methods and handler.name in _WRITE_METHODS:
        return False  # a class-based view's ``post``/``delete``: an action, not a listing
    if handler.path is None:  # Django views get URL parameters as arguments
        for name in handler.parameters:
            lowered = name.lower()
            if lowered in _DETAIL_PARAMS or lowered.endswith(("_id", "_pk", "_slug", "_uuid")):
                return False
        if _given_the_object(handler.function):
            return False
    return True


_OBJECT_PARAMS = frozenset({"instance", "obj", "object"})


def _given_the_object(function: Node) -> bool:
    """``get_extra_context(self, request, instance)``: a view helper handed the one object
    its page shows. A default (``instance=None``) means it also serves the list page."""
    params = function.child_by_field_name("parameters")
    for param in params.named_children if params is not None else []:
        if param.type == "identifier":
            name = param
        elif param.type == "typed_parameter" and param.named_children:
            name = param.named_children[0]
        else:
            continue  # defaults, *args, **kwargs
        if name.text is not None and name.text.decode() in _OBJECT_PARAMS:
            return True
    return False


# Words in a view's name that make it an action on rows, not a listing of them.
_ACTION_WORDS = frozenset({"move", "reorder", "sort", "toggle", "bulk", "webhook"})


def _is_action(source: bytes, handler: RouteHandler) -> bool:
    """POST-only views (``@require_POST``, a method named ``async_post``), bulk actions,
    reorder and webhook views: they act on rows and need them all, they do not list them."""
    words = set(handler.name.lower().split("_"))
    if words & _ACTION_WORDS or (_is_method(handler.function) and words & _WRITE_METHODS):
        return True
    decorated = handler.function.parent
    if decorated is None or decorated.type != "decorated_definition":
        return False
    for decorator in decorated.named_children:
        if decorator.type != "decorator":
            continue
        text = node_text(source, decorator)
        if "require_POST" in text:
            return True
        if "require_http_methods" in text and '"GET"' not in text and "'GET'" not in text:
            return True
    return False


def _is_method(function: Node) -> bool:
    node = function.parent
    if node is not None and node.type == "decorated_definition":
        node = node.parent
    return node is not None and node.parent is not None and node.parent.type == "class_definition"


def _paginated(source: bytes, handler: RouteHandler) -> bool:
    scope = handler.function
    parent = scope.parent
    if parent is not None and parent.type == "decorated_definition":
        scope = parent
    text = node_text(source, scope)
    klass = scope.parent.parent if scope.parent is not None else None
    if klass is not None and klass.type == "class_definition":
        text += node_text(source, klass.child_by_field_name("body"))[:20000]
    return any(marker in text for marker in _PAGINATION_MARKERS)


def _endpoint(handler: RouteHandler) -> str:
    method = handler.methods[0] if handler.methods else "GET"
    return f"`{method} {handler.path}`" if handler.path else f"`{handler.name}`"


# --- chains --------------------------------------------------------------------------------


def _continues(node: Node) -> bool:
    """True when ``node`` is an inner link of a longer chain."""
    parent = node.parent
    if parent is None:
        return False
    fields = {"attribute": "object", "call": "function", "subscript": "value"}
    name = fields.get(parent.type)
    return name is not None and parent.child_by_field_name(name) == node


_PER_ITEM = ("for_statement", "list_comprehension", "set_comprehension",
             "dictionary_comprehension", "generator_expression")  # fmt: skip


def _per_item_relation(chain: OrmChain, node: Node, function: Node) -> bool:
    """``author.posts.all()`` inside a loop: one parent's rows, BE004's concern, not BE005's."""
    if not chain.relation_manager:
        return False
    current = node.parent
    while current is not None and current != function:
        if current.type in _PER_ITEM:
            return True
        current = current.parent
    return False


_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
_DICT_VIEWS = frozenset({"values", "items", "keys"})


def _bounded_by_input(source: bytes, chain: OrmChain) -> bool:
    """``filter(id__in=ids)``: at most as many rows as the caller named."""
    for op in chain.operations:
        for argument in op.arguments():
            if argument.type != "keyword_argument":
                continue
            name = node_text(source, argument.child_by_field_name("name"))
            if name.endswith(("id__in", "pk__in", "uuid__in")):
                return True
    return False


# ``filter(<key>=value)``: a primary key's equality lookup matches at most one row.
_KEY_LOOKUPS = frozenset({"id", "pk", "uuid", "id__exact", "pk__exact", "uuid__exact"})
# Unique fields of framework models every project shares (Django's auth ``User``).
_UNIQUE_FIELDS = {"User": frozenset({"username", "username__exact"})}


def _filter_keywords(source: bytes, chain: OrmChain) -> Iterator[tuple[str, str]]:
    """The chain's ``filter(name=value)`` keywords, as texts."""
    for op in chain.operations:
        if op.name != "filter":
            continue
        for argument in op.arguments():
            if argument.type == "keyword_argument":
                yield (
                    node_text(source, argument.child_by_field_name("name")),
                    node_text(source, argument.child_by_field_name("value")),
                )


def _one_row_lookup(source: bytes, chain: OrmChain) -> bool:
    """``Dataset.objects.filter(id=layer_id)``, ``User.objects.filter(username=name)``: a
    filter on a key is at most one row however it is returned (``exclude`` is not)."""
    unique = _KEY_LOOKUPS | _UNIQUE_FIELDS.get(chain.model or "", frozenset())
    return any(name in unique for name, _ in _filter_keywords(source, chain))


# Credential models: a user holds a handful of API tokens or keys, never a growing table.
_CREDENTIAL_MODEL = re.compile(r"(?:Token|ApiKey|APIKey|AccessKey|Credential)s?$")
_OWNER_KEYWORDS = frozenset({"user", "user_id", "owner", "owner_id"})
_REQUEST_USER = re.compile(r"^(?:self\.)?request\.user(?:\.(?:id|pk))?$")


def _own_credentials(source: bytes, chain: OrmChain) -> bool:
    """``Token.objects.filter(user=request.user)``: the signed-in user's own API tokens or
    keys (an account page's list), bounded per user. Other models filtered by the user
    (orders, notifications) grow with use and stay findings."""
    if chain.model is None or not _CREDENTIAL_MODEL.search(chain.model):
        return False
    return any(
        name in _OWNER_KEYWORDS and _REQUEST_USER.match(value)
        for name, value in _filter_keywords(source, chain)
    )


# Tables of the site's own configuration, defined by its admins rather than grown by its
# users: a forum's ranks and categories, an app's roles, plugins, languages. A page shows
# them whole by design (a permission matrix needs every role), and they stay a handful.
_CONFIGURATION_MODEL = re.compile(
    r"(?:Role|Rank|Plugin|Permission|Category|Setting|Config|Configuration|Preference|Theme"
    r"|Language|Locale|Country|Currency|Timezone)s?(?:Registry)?$"
)
# A field that holds a hand-set display order: rows someone sorts by hand are few.
_MANUAL_ORDER = frozenset(
    {"order", "position", "sort_order", "sortorder", "display_order", "ordering", "menu_order"}
)


def _configuration_rows(source: bytes, chain: OrmChain) -> bool:
    """``Role.objects.order_by("name")``, ``Rank.objects.filter(is_tab=True).order_by("order")``,
    ``Category.query.order_by(Category.position.asc())``: a configuration table, or rows in
    an order set by hand, listed whole."""
    if chain.model is not None and _CONFIGURATION_MODEL.search(chain.model):
        return True
    for op in chain.operations:
        if op.name != "order_by":
            continue
        for argument in op.arguments():
            field = _order_field(source, argument)
            if field in _MANUAL_ORDER:
                return True
    return False


def _order_field(source: bytes, argument: Node) -> str:
    """``"-position"``, ``Model.position``, ``Model.position.asc()``, ``desc(Model.position)``
    -> ``position``."""
    if argument.type == "string":
        return node_text(source, argument).strip("\"'").lstrip("-").lower()
    node = argument
    if node.type == "call":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "attribute":  # ``Model.position.asc()``
            node = function.child_by_field_name("object") or node
        elif function is not None and node_text(source, function) in ("asc", "desc"):
            arguments = positional_arguments(node)
            node = arguments[0] if arguments else node
    if node.type == "attribute":
        return node_text(source, node.child_by_field_name("attribute")).lower()
    return ""


def _dict_view(source: bytes, chain: OrmChain) -> bool:
    """``self.handlers.values()`` or ``ContentType.objects.get_for_models(...).values()``:
    a dict's values (a manager method that is no queryset method returned it), not rows."""
    last = chain.operations[-1] if chain.operations else None
    if (
        last is not None
        and last.name in _DICT_VIEWS
        and not last.arguments()
        and len(chain.operations) >= 2
        and chain.operations[-2].called
        and chain.operations[-2].name not in DJANGO_QUERYSET_METHODS
    ):
        return True
    return (
        chain.relation_manager is not None
        and len(chain.operations) >= 1
        and chain.names[-1] in _DICT_VIEWS
        and not chain.operations[-1].arguments()
        and all(name in _DICT_VIEWS for name in chain.names)
    )


# ``qs.model`` / ``qs.model._meta``: the model class and its options, read without a query.
_METADATA = frozenset({"model", "_meta"})


def _reads_metadata(chain: OrmChain) -> bool:
    """``self.get_queryset().model._meta.verbose_name``: no row is fetched. A manager reached
    through the class again (``qs.model.objects.filter(...)``) is a query and still counts."""
    names = chain.names
    marks = [i for i, op in enumerate(chain.operations) if op.name in _METADATA and not op.called]
    return bool(marks) and "objects" not in names[marks[-1] :]


def _unbounded(source: bytes, chain: OrmChain, node: Node, handler: RouteHandler) -> bool:
    function = handler.function
    if chain.bounded or chain.single or _per_item_relation(chain, node, function):
        return False
    if _reads_metadata(chain):
        return False
    if _bounded_by_input(source, chain) or _one_row_lookup(source, chain):
        return False
    if _dict_view(source, chain):
        return False
    if _own_credentials(source, chain) or _configuration_rows(source, chain):
        return False
    parent = node.parent
    if parent is not None and parent.type == "for_in_clause" and _only_tested(source, parent):
        return False
    if chain.terminal in ("iterate", "list") or (chain.orm != "django" and chain.terminal in _ROWS):
        return True
    if chain.orm == "django" and chain.terminal in ("all", "lazy"):
        if chain.names and chain.names[-1] in ("aggregate", "exists", "count"):
            return False
        return _escapes(source, node, function, 0, hook=handler.framework == "django")
    return False


# Wrappers that leave the queryset itself as the value (``return (qs if ok else qs.none())``).
_BARE = frozenset({"parenthesized_expression", "conditional_expression"})


def _escapes(source: bytes, node: Node, function: Node, depth: int, *, hook: bool) -> bool:
    """Does this lazy queryset reach the response (returned, serialised, iterated) unbounded?

    ``hook``: the function is a Django view method or ``request``-taking helper, which
    must answer with a response object; one that returns the bare queryset is a hook
    (``ModelAdmin.get_queryset(request)``, ``alter_queryset(request)``) handing it, still
    lazy, to the framework code that paginates it."""
    if depth > _MAX_FOLLOW:
        return False
    current = node
    parent = current.parent
    bare = True
    while parent is not None and parent.type in _CONTAINERS:
        bare = bare and parent.type in _BARE
        if parent.type == "argument_list":
            call = parent.parent
            callee = call_name(source, call).rsplit(".", 1)[-1] if call is not None else ""
            if "paginat" in callee.lower() or callee == "Paginator":
                return False
            many = call is not None and keyword_argument(source, call, "many") is not None
            # any other call (``filter(id__in=qs)``, helpers) is not a response
            return callee in _RESPONDERS or callee.endswith(("Serializer", "Schema")) or many
        current, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type == "return_statement":
        return not (hook and bare)
    if parent.type == "yield":
        return True
    if parent.type == "for_in_clause" and _only_tested(source, parent):
        return False
    if parent.type in ("for_statement", "for_in_clause"):
        return parent.child_by_field_name("right") == current
    if parent.type == "assignment" and parent.child_by_field_name("right") == current:
        left = parent.child_by_field_name("left")
        if left is not None and left.type == "identifier":
            name = node_text(source, left)
            return _variable_escapes(source, parent, name, function, depth, hook=hook)
    return False


_TESTS = frozenset({"any", "all"})


def _only_tested(source: bytes, clause: Node) -> bool:
    """``any(s.allows(user) for s in storages)``: the rows answer a yes/no question (a
    permission or existence check); none of them reaches the response."""
    comprehension = clause.parent
    if comprehension is None or comprehension.type not in _PER_ITEM:
        return False
    holder = comprehension.parent
    if holder is not None and holder.type == "argument_list":
        if len(holder.named_children) != 1:
            return False
        holder = holder.parent
    return (
        holder is not None
        and holder.type == "call"
        and node_text(source, holder.child_by_field_name("function")) in _TESTS
    )


def _variable_escapes(
    source: bytes, assignment: Node, name: str, function: Node, depth: int, *, hook: bool
) -> bool:
    for use in walk(function):
        if use.start_byte < assignment.end_byte or use.type != "identifier":
            continue
        if node_text(source, use) != name:
            continue
        parent = use.parent
        if (
            parent is not None
            and parent.type == "assignment"
            and parent.child_by_field_name("left") == use
        ):
            continue
        top = use
        while _continues(top) and top.parent is not None:
            top = top.parent
        if top != use:
            chain = chain_through_variables(source, top)
            if chain is None or chain.bounded or chain.single:
                continue
        if _escapes(source, top, function, depth + 1, hook=hook):
            return True
    return False


# --- raw SQL -------------------------------------------------------------------------------


def _raw_fetch_all(source: bytes, node: Node) -> str | None:
    """SQL of ``cur.fetchall()`` / ``conn.execute(sql).fetchall()`` / ``await conn.fetch(sql)``."""
    if node.type != "call":
        return None
    name = call_name(source, node)
    receiver, _, method = name.rpartition(".")
    if method == "fetch" and receiver:
        args = positional_arguments(node)
        return _unlimited_sql(source, args[0]) if args else None
    if method not in ("fetchall", "all"):
        return None
    function = node.child_by_field_name("function")
    obj = function.child_by_field_name("object") if function is not None else None
    if obj is None:
        return None
    if obj.type == "call" and call_name(source, obj).endswith(".execute"):
        args = positional_arguments(obj)
        return _unlimited_sql(source, args[0]) if args else None
    if method == "fetchall" and obj.type == "identifier":
        execute = _last_execute(source, node, node_text(source, obj))
        if execute is not None:
            args = positional_arguments(execute)
            return _unlimited_sql(source, args[0]) if args else None
    return None


def _last_execute(source: bytes, before: Node, cursor: str) -> Node | None:
    scope = before
    while scope.parent is not None and scope.type != "function_definition":
        scope = scope.parent
    found: Node | None = None
    for node in walk(scope):
        if node.start_byte >= before.start_byte:
            break
        if node.type == "call" and call_name(source, node) == f"{cursor}.execute":
            found = node
    return found


def _unlimited_sql(source: bytes, node: Node) -> str | None:
    if node.type == "call" and call_name(source, node).rsplit(".", 1)[-1] == "text":
        args = positional_arguments(node)
        node = args[0] if args else node
    if node.type == "identifier":
        value = resolve_name(source, node)
        if value is None:
            return None
        node = value
    sql = string_value(source, node)
    if sql is None or not _SQL_SELECT.match(sql):
        return None
    if _SQL_LIMIT.search(sql):
        return None
    if _SQL_AGGREGATE_ONLY.match(sql) and "group by" not in sql.lower():
        return None
    return sql


def _short(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= 60 else first[:57] + "..."
