"""Sources, sinks and sanitizers as data: the engine reads these tables, rules name a category.

Names are qualified through the module's imports (``from flask import request`` makes
``request.args`` read ``flask.request.args``); method sinks (``*.execute``) match on the
last attribute whatever the receiver, because cursors and sessions are rarely typed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

SQL = "sql"
COMMAND = "command"
CODE = "code"
PATH = "path"
SSRF = "ssrf"
XSS = "xss"
REDIRECT = "redirect"
DESERIALIZE = "deserialize"
XXE = "xxe"
XPATH, LDAP, TRUST = "xpath", "ldap", "trust"  # issue 10, branch i10-rules (tables at the end)
ALL = frozenset(
    {SQL, COMMAND, CODE, PATH, SSRF, XSS, REDIRECT, DESERIALIZE, XXE, XPATH, LDAP, TRUST}
)

# Attribute chains whose value is request data (qualified, or as written for the
# objects every framework calls ``request``).
SOURCE_ATTRIBUTES = frozenset(
    {
        # Flask / Werkzeug
        "flask.request.args", "flask.request.form", "flask.request.values",
        "flask.request.cookies", "flask.request.headers", "flask.request.json",
        "flask.request.data", "flask.request.files", "flask.request.path",
        "flask.request.url", "flask.request.view_args", "flask.request.full_path",
        "flask.request.query_string", "flask.request.stream",
        # Django / DRF / Starlette / aiohttp, by the conventional parameter name
        "request.GET", "request.POST", "request.COOKIES", "request.META", "request.headers",
        "request.body", "request.FILES", "request.data", "request.query_params",
        "request.path_params", "request.cookies", "request.match_info", "request.query",
        "request.args", "request.form", "request.values", "request.json", "request.files",
        "request.url", "request.path", "request.view_args", "request.rel_url",
        "self.request.GET", "self.request.POST", "self.request.data",
        "self.request.query_params", "self.kwargs",
        # class-based views read the same request through ``self`` (i10-deser)
        "self.request.FILES", "self.request.COOKIES", "self.request.META",
        "self.request.headers", "self.request.body",
    }
)  # fmt: skip
# Sources that are the path the router matched for this very request: a path of one of
# the app's own routes on this host, so as a redirect target (``redirect(request.path +
# "?" + query)``) they cannot pick another host. Werkzeug's ``path`` converter never
# starts with ``/`` and Django's resolver matches a route's literal prefix, so
# ``//evil.example`` does not reach the view; both percent-quote a backslash in
# ``Location``. They stay request data for every other category (a reflected path is
# XSS). Not covered: a Django catch-all route at the root (``path("<path:url>", ...)``),
# the shape of CVE-2018-14574.
ROUTED_PATH_CLEARS: dict[str, frozenset[str]] = {
    "request.path": frozenset({REDIRECT}), "flask.request.path": frozenset({REDIRECT}),
    "flask.request.full_path": frozenset({REDIRECT}),
}  # fmt: skip
# Calls returning request data.
SOURCE_CALLS = frozenset(
    {
        "input", "flask.request.get_json", "flask.request.get_data",
        "request.get_json", "request.get_data", "request.json", "request.body",
        "request.form", "request.post", "request.text", "request.read",
    }
)  # fmt: skip
# What a source call's value can never be, by category. ``input()`` reads the console:
# whoever types there is running the program (an operator's setup wizard), so the file
# they name reaches nothing they could not open themselves. It stays a source of text
# for every other category, and mixed with request data the mix is not cleared.
SOURCE_CALL_CLEARS: dict[str, frozenset[str]] = {"input": frozenset({PATH})}
# Calls that split a URL into parts, and the parts that name its host: an allow-list test on
# ``urlparse(u).hostname`` bounds where ``u`` itself points (SSRF, open redirect).
URL_PARSERS = frozenset(
    {"urllib.parse.urlparse", "urllib.parse.urlsplit", "urlparse.urlparse", "urlparse.urlsplit",
     "urllib3.util.parse_url", "urllib3.util.url.parse_url", "yarl.URL", "httpx.URL"}
)  # fmt: skip
URL_HOST_PARTS = frozenset({"hostname", "netloc", "host"})
# Decorators (last attribute) that make a function a view whose parameters are request data.
ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "api_view",
     "action", "view"}
)  # fmt: skip
# Methods a class-based view framework calls with the request (Django, DRF viewsets).
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "dispatch", "list",
     "retrieve", "create", "update", "partial_update", "destroy", "form_valid", "form_invalid",
     "get_context_data", "serve", "serve_preview", "handle", "__call__"}
)  # fmt: skip
# Annotations FastAPI validates into a value that cannot carry text (plus ``Literal[...]``
# and Enum classes, found by ``taint.views.enum_classes``).
VALIDATED_TYPES = frozenset(
    {"int", "float", "bool", "UUID", "uuid.UUID", "datetime", "date", "time", "timedelta",
     "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta", "Decimal",
     "decimal.Decimal", "UUID4", "UUID1", "PositiveInt", "NonNegativeInt", "StrictInt",
     "StrictBool", "Literal", "typing.Literal"}
)  # fmt: skip
ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"})
# Parameter annotations/defaults that carry request data in FastAPI/Starlette.
ROUTE_PARAM_MARKERS = ("Query", "Path", "Body", "Header", "Cookie", "Form", "File")

# Calls whose result is clean for the listed categories ("*" = every category).
SANITIZERS: dict[str, frozenset[str]] = {
    "int": ALL, "float": ALL, "bool": ALL, "len": ALL, "uuid.UUID": ALL, "abs": ALL,
    "round": ALL, "isinstance": ALL, "hasattr": ALL, "hash": ALL, "id": ALL, "ord": ALL,
    "decimal.Decimal": ALL, "datetime.date.fromisoformat": ALL, "os.path.exists": ALL,
    "os.path.isfile": ALL, "os.path.isdir": ALL, "json.dumps": frozenset({SQL, COMMAND, CODE}),
    "shlex.quote": frozenset({COMMAND}), "pipes.quote": frozenset({COMMAND}),
    "html.escape": frozenset({XSS}), "markupsafe.escape": frozenset({XSS}),
    "flask.escape": frozenset({XSS}), "cgi.escape": frozenset({XSS}),
    "django.utils.html.escape": frozenset({XSS}), "bleach.clean": frozenset({XSS}),
    "django.utils.html.format_html": frozenset({XSS}),
    "werkzeug.utils.secure_filename": frozenset({PATH}),
    "werkzeug.security.safe_join": frozenset({PATH}), "flask.safe_join": frozenset({PATH}),
    "os.path.basename": frozenset({PATH}),
    "django.utils.http.url_has_allowed_host_and_scheme": frozenset({REDIRECT}),
    "flask.url_for": frozenset({REDIRECT, SSRF, XSS}),
    "django.urls.reverse": frozenset({REDIRECT, SSRF, XSS}),
    "django.urls.reverse_lazy": frozenset({REDIRECT, SSRF, XSS}),
    "django.core.urlresolvers.reverse": frozenset({REDIRECT, SSRF, XSS}),
    "defusedxml.ElementTree.fromstring": frozenset({XXE}),
    "hashlib.sha256": ALL, "hashlib.md5": ALL, "hashlib.sha1": ALL,
}  # fmt: skip
# Calls whose result carries exactly their arguments' taint (no unknown origin of their own).
PROPAGATORS = frozenset(
    {"str", "bytes", "repr", "list", "tuple", "set", "frozenset", "dict", "sorted", "reversed",
     "format",
     "urllib.parse.unquote", "urllib.parse.unquote_plus", "urllib.parse.quote",
     "urllib.parse.urljoin", "base64.b64decode", "base64.b64encode",
     "base64.urlsafe_b64decode", "os.path.join", "os.path.normpath", "os.path.realpath",
     "os.path.abspath", "os.path.expanduser", "pathlib.Path", "io.BytesIO", "io.StringIO",
     "bytearray", "min", "max",
     # a SQLAlchemy text clause is its SQL string (i10-deser)
     "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"}
)  # fmt: skip
# URL reversal by method, whatever the receiver (Starlette/FastAPI ``request.url_for``,
# ``app.url_path_for``, ``router.url_path_for``): a same-site URL of a named route, the
# arguments only fill its path parameters. Starlette does not quote them, so only the
# redirect's host is settled (Django's ``reverse`` and Flask's ``url_for`` quote: above).
REVERSAL_METHODS: dict[str, frozenset[str]] = {
    "url_for": frozenset({REDIRECT}), "url_path_for": frozenset({REDIRECT}),
}  # fmt: skip
# Methods on a tainted value that return something clean (predicates, counts).
CLEAN_METHODS = frozenset(
    {"isdigit", "isnumeric", "isalnum", "isalpha", "startswith", "endswith", "count",
     "index", "find", "exists", "is_file", "is_dir", "hexdigest", "digest",
     # Django's ``UploadedFile.temporary_file_path()``: the server's temp file, not the
     # name the client sent (that is ``.name``)
     "temporary_file_path"}
)  # fmt: skip
# Guard calls: ``if not guard(x, ...): return`` makes ``x`` clean for the category after it.
GUARDS: dict[str, frozenset[str]] = {
    "django.utils.http.url_has_allowed_host_and_scheme": frozenset({REDIRECT}),
    "url_has_allowed_host_and_scheme": frozenset({REDIRECT}),
    "is_safe_url": frozenset({REDIRECT}),
    "re.fullmatch": ALL, "re.match": ALL,
}  # fmt: skip
# Project helpers named like redirect guards (``is_safe_redirect_url``, ``is_safe_next``):
# applications wrap url_has_allowed_host_and_scheme under such names.
GUARD_NAME = re.compile(
    r"(?:is_)?(?:safe|allowed|valid)_(?:redirect|url|next)\w*|is_safe_url\w*"
    r"|is_local(?:_(?:url|path|redirect|target))?|is_relative_(?:url|path)"
)


@dataclass(frozen=True, slots=True)
class Sink:
    """A call whose listed arguments must not carry request data for ``category``."""

    category: str
    positions: tuple[int, ...] = (0,)
    keywords: tuple[str, ...] = ()
    # Only dangerous when this keyword is true (``shell=True``); the argument is then text.
    when_true: str | None = None
    label: str = ""


_CMD = Sink(COMMAND, (0,), ("args", "cmd"), when_true="shell")
SINKS: dict[str, Sink] = {
    "os.system": Sink(COMMAND, (0,), ("command",)),
    "os.popen": Sink(COMMAND, (0,), ("cmd",)),
    "subprocess.getoutput": Sink(COMMAND, (0,), ("cmd",)),
    "subprocess.getstatusoutput": Sink(COMMAND, (0,), ("cmd",)),
    "subprocess.run": _CMD, "subprocess.call": _CMD, "subprocess.Popen": _CMD,
    "subprocess.check_call": _CMD, "subprocess.check_output": _CMD,
    "asyncio.create_subprocess_shell": Sink(COMMAND, (0,), ("cmd",)),
    "eval": Sink(CODE, (0,)), "exec": Sink(CODE, (0,)), "compile": Sink(CODE, (0,)),
    "builtins.eval": Sink(CODE, (0,)), "builtins.exec": Sink(CODE, (0,)),
    "flask.render_template_string": Sink(CODE, (0,), ("source",)),
    "jinja2.Template": Sink(CODE, (0,), ("source",)),
    "mako.template.Template": Sink(CODE, (0,), ("text",)),
    "open": Sink(PATH, (0,), ("file",)), "io.open": Sink(PATH, (0,), ("file",)),
    "codecs.open": Sink(PATH, (0,), ("filename",)),
    "flask.send_file": Sink(PATH, (0,), ("path_or_file",)),
    "os.remove": Sink(PATH, (0,)), "os.unlink": Sink(PATH, (0,)),
    "os.listdir": Sink(PATH, (0,)), "os.rmdir": Sink(PATH, (0,)),
    "shutil.rmtree": Sink(PATH, (0,)), "shutil.copy": Sink(PATH, (0, 1)),
    "shutil.copyfile": Sink(PATH, (0, 1)), "shutil.move": Sink(PATH, (0, 1)),
    "requests.get": Sink(SSRF, (0,), ("url",)), "requests.post": Sink(SSRF, (0,), ("url",)),
    "requests.put": Sink(SSRF, (0,), ("url",)), "requests.delete": Sink(SSRF, (0,), ("url",)),
    "requests.head": Sink(SSRF, (0,), ("url",)), "requests.patch": Sink(SSRF, (0,), ("url",)),
    "requests.request": Sink(SSRF, (1,), ("url",)),
    "httpx.get": Sink(SSRF, (0,), ("url",)), "httpx.post": Sink(SSRF, (0,), ("url",)),
    "httpx.request": Sink(SSRF, (1,), ("url",)),
    "urllib.request.urlopen": Sink(SSRF, (0,), ("url",)),
    "urllib.request.Request": Sink(SSRF, (0,), ("url",)),
    "urllib.urlopen": Sink(SSRF, (0,), ("url",)),
    "flask.make_response": Sink(XSS, (0,)), "flask.Response": Sink(XSS, (0,), ("response",)),
    "werkzeug.wrappers.Response": Sink(XSS, (0,), ("response",)),
    "markupsafe.Markup": Sink(XSS, (0,)), "flask.Markup": Sink(XSS, (0,)),
    "django.utils.safestring.mark_safe": Sink(XSS, (0,)),
    "django.http.HttpResponse": Sink(XSS, (0,), ("content",)),
    "starlette.responses.FileResponse": Sink(PATH, (0,), ("path",)),
    "fastapi.responses.FileResponse": Sink(PATH, (0,), ("path",)),
    "starlette.responses.HTMLResponse": Sink(XSS, (0,), ("content",)),
    "fastapi.responses.HTMLResponse": Sink(XSS, (0,), ("content",)),
    "flask.redirect": Sink(REDIRECT, (0,), ("location",)),
    "django.shortcuts.redirect": Sink(REDIRECT, (0,), ("to",)),
    "django.http.HttpResponseRedirect": Sink(REDIRECT, (0,), ("redirect_to",)),
    "starlette.responses.RedirectResponse": Sink(REDIRECT, (0,), ("url",)),
    "fastapi.responses.RedirectResponse": Sink(REDIRECT, (0,), ("url",)),
    "pickle.loads": Sink(DESERIALIZE, (0,)), "pickle.load": Sink(DESERIALIZE, (0,)),
    "yaml.load": Sink(DESERIALIZE, (0,)), "marshal.loads": Sink(DESERIALIZE, (0,)),
    # BE013 reads these flows when request data reaches a loader through a helper.
    **{f"{m}.{f}": Sink(DESERIALIZE, (0,)) for m in ("dill", "cloudpickle", "_pickle")
       for f in ("load", "loads")},
    "marshal.load": Sink(DESERIALIZE, (0,)), "jsonpickle.decode": Sink(DESERIALIZE, (0,)),
    "yaml.unsafe_load": Sink(DESERIALIZE, (0,)), "yaml.load_all": Sink(DESERIALIZE, (0,)),
    "shelve.open": Sink(DESERIALIZE, (0,)), "joblib.load": Sink(DESERIALIZE, (0,)),
    "torch.load": Sink(DESERIALIZE, (0,)), "pandas.read_pickle": Sink(DESERIALIZE, (0,)),
    "lxml.etree.fromstring": Sink(XXE, (0,)), "lxml.etree.parse": Sink(XXE, (0,)),
    "lxml.etree.XML": Sink(XXE, (0,)), "xml.sax.parseString": Sink(XXE, (0,)),
    "xml.dom.pulldom.parseString": Sink(XXE, (0,)),
}  # fmt: skip
# Method sinks by last attribute, whatever the receiver.
METHOD_SINKS: dict[str, Sink] = {
    "execute": Sink(SQL, (0,), ("sql", "statement", "query")),
    "executemany": Sink(SQL, (0,), ("sql", "query")),
    "executescript": Sink(SQL, (0,)), "raw": Sink(SQL, (0,), ("raw_query",)),
    "fetch": Sink(SQL, (0,), ("query",)), "fetchrow": Sink(SQL, (0,), ("query",)),
    "fetchval": Sink(SQL, (0,), ("query",)), "run": Sink(SQL, (0,), ("sql",)),
    "mogrify": Sink(SQL, (0,)), "read_sql": Sink(SQL, (0,), ("sql",)),
    "read_sql_query": Sink(SQL, (0,), ("sql",)),
    "urlopen": Sink(SSRF, (0,), ("url",)),
}  # fmt: skip
# Methods that touch the file a path object names: the tainted value is the receiver
# (``Path(base, name).read_text()``). Building a ``Path`` touches nothing, and Django's
# ``FileResponse`` takes an open file, so neither is a sink itself.
PATH_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "rmdir",
     "mkdir", "touch", "rename", "iterdir", "glob", "rglob", "symlink_to", "chmod"}
)  # fmt: skip
# Attributes of a ``Path(...)`` that keep only the final component (a basename).
PATH_BASENAME = frozenset({"name", "stem", "suffix"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PurePosixPath"})
# Receivers that make ``get/post/...`` an HTTP client call (``session.get(url)``).
HTTP_CLIENT_RECEIVERS = ("requests", "httpx", "session", "client", "http")
HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "request"})


# --- BE023 XPath injection, BE024 LDAP injection, BE028 trust boundary (branch i10-rules) ---
# XPath variables (``root.xpath("//u[@n=$n]", n=v)``) are keywords, never a sink position.
SINKS.update(
    {
        "lxml.etree.XPath": Sink(XPATH, (0,), ("path",)),
        "lxml.etree.ETXPath": Sink(XPATH, (0,), ("path",)),
        "lxml.etree.XPathEvaluator": Sink(XPATH, (0,)),
    }
)
METHOD_SINKS.update(
    {
        "xpath": Sink(XPATH, (0,), ("_path",)),
        "find": Sink(XPATH, (0,), ("path",)), "findall": Sink(XPATH, (0,), ("path",)),
        "findtext": Sink(XPATH, (0,), ("path",)), "iterfind": Sink(XPATH, (0,), ("path",)),
        # python-ldap: (base, scope, filterstr); ldap3 Connection.search: (base, filter)
        "search_s": Sink(LDAP, (0, 2), ("base", "filterstr")),
        "search_st": Sink(LDAP, (0, 2), ("base", "filterstr")),
        "search_ext": Sink(LDAP, (0, 2), ("base", "filterstr")),
        "search_ext_s": Sink(LDAP, (0, 2), ("base", "filterstr")),
        "search": Sink(LDAP, (0, 1, 2), ("search_base", "search_filter", "base", "filterstr")),
        # ldap3 ``conn.extend.standard.paged_search(search_base, search_filter, ...)``
        "paged_search": Sink(LDAP, (0, 1), ("search_base", "search_filter")),
        "simple_bind_s": Sink(LDAP, (0,), ("who",)), "bind_s": Sink(LDAP, (0,), ("who",)),
    }
)  # fmt: skip
# Method sinks whose name is common (``str.find``, ``re.search``): a sink only when the last
# part of the receiver contains one of these words (rules filter their flows by it).
METHOD_SINK_RECEIVERS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("find", "findall", "findtext", "iterfind"),
        ("root", "tree", "doc", "xml", "elem", "node", "dom", "getroot", "etree", "parse"),
    ),
    "search": ("conn", "ldap", "directory"),
}


def method_sink_fits(method: str, receiver: str) -> bool:
    """Whether ``receiver.method(...)`` can be the library's sink: a common name needs a
    receiver (its last dotted part) that looks like the library's object."""
    words = METHOD_SINK_RECEIVERS.get(method)
    last = receiver.rsplit(".", 1)[-1].lower()
    return words is None or any(word in last for word in words)


SANITIZERS.update(
    {
        "ldap.filter.escape_filter_chars": frozenset({LDAP}),
        "ldap.filter.filter_format": frozenset({LDAP}),
        "ldap.dn.escape_dn_chars": frozenset({LDAP}),
        "ldap3.utils.conv.escape_filter_chars": frozenset({LDAP}),
        "ldap3.utils.conv.escape_bytes": frozenset({LDAP}),
        "ldap3.utils.dn.escape_rdn": frozenset({LDAP}),
    }
)


# --- branch i10-sinks: async file APIs, jinja2 environments, xml.sax ---
# ``aiofiles``/``anyio``/``trio`` open and remove files exactly as ``open``/``os`` do.
SINKS.update(
    {
        "aiofiles.open": Sink(PATH, (0,), ("file",)),
        "aiofiles.os.remove": Sink(PATH, (0,)), "aiofiles.os.unlink": Sink(PATH, (0,)),
        "aiofiles.os.rmdir": Sink(PATH, (0,)), "aiofiles.os.listdir": Sink(PATH, (0,)),
        "aiofiles.os.rename": Sink(PATH, (0, 1)),
        "anyio.open_file": Sink(PATH, (0,), ("file",)),
        "trio.open_file": Sink(PATH, (0,), ("file",)),
        # ``xml.sax.parse(stream, handler)``: the same default parser as ``parseString``
        "xml.sax.parse": Sink(XXE, (0,), ("source",)),
    }
)  # fmt: skip
METHOD_SINKS.update(
    {
        # jinja2 ``Environment(...).from_string(source)`` compiles the text as a template
        "from_string": Sink(CODE, (0,), ("source",)),
        # an ``xml.sax.make_parser()`` reader; BE022 keeps it only once the file turns
        # ``feature_external_ges`` on for that reader (off by default since Python 3.7.1)
        "parse": Sink(XXE, (0,), ("source",)),
    }
)  # fmt: skip
METHOD_SINK_RECEIVERS.update(
    {
        "from_string": ("env", "jinja"),
        "parse": ("parser", "reader", "sax"),
    }
)


@dataclass(frozen=True, eq=False)
class TaintTables:
    """The tables one analysis reads: the built-in rows above, or them plus a project's.

    A value, not module state, so two workspace folders with different
    ``[tool.backend-lsp.analysis.taint]`` can be analysed at once. Compared by identity:
    ``taint.custom.tables_for`` builds one per distinct config.
    """

    source_attributes: frozenset[str]
    source_calls: frozenset[str]
    sinks: Mapping[str, Sink]
    sanitizers: Mapping[str, frozenset[str]]
    # Project sources' last names (``param`` of ``myapp.http.param``): a file mentioning
    # one is analysed even without ``request`` in it.
    extra_source_markers: tuple[bytes, ...] = ()


BUILTIN = TaintTables(
    SOURCE_ATTRIBUTES, SOURCE_CALLS, MappingProxyType(dict(SINKS)),
    MappingProxyType(dict(SANITIZERS)),
)  # fmt: skip
