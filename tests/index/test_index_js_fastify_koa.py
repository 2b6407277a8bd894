"""Fastify and Koa routes, read with Express's model: Fastify's shorthand verbs with route
options (``{ preHandler: [...] }``), ``fastify.route({ method, url, handler })``, plugins
``register``ed under a ``prefix`` and ``addHook`` hooks; Koa's ``@koa/router`` with its own
``prefix``, mounted by ``app.use(router.routes())``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from index_helpers import built_index
from tests.tree_files import write_tree

from backend_lsp.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


def _routes(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    assert main(["routes", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {(r["method"], r["path"]): r for r in data["routes"]}


def test_fastify_plugins_prefixes_hooks_and_route_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "fastify_prisma"
    shutil.copytree(DATA / "fastify_prisma", root)
    routes = _routes(root, capsys)
    found = {
        key: (r["handler"], r["dependencies"], [m["table"] for m in r["models"]])
        for key, r in routes.items()
    }
    hook = ["verifyApiToken"]  # app.addHook('onRequest', ...) before the plugins
    assert found == {
        ("GET", "/health"): ("GET /health", [], []),  # registered before the hook
        ("GET", "/products"): ("GET /", hook, ["products"]),
        ("GET", "/products/:id"): ("GET /:id", hook, ["products"]),
        ("POST", "/products"): ("POST /", [*hook, "requireAdmin"], ["products"]),
        # fastify.route({...}): a named handler, and method as a list with a hook
        ("GET", "/reviews/:productId"): ("listForProduct", hook, ["reviews"]),
        ("POST", "/reviews/:productId"): ("POST /:productId", [*hook, "requireAdmin"], ["reviews"]),
    }
    assert {r["framework"] for r in routes.values()} == {"fastify"}
    assert routes[("GET", "/reviews/:productId")]["file"] == "src/routes/reviews.ts"


def test_koa_router_prefix_and_mount(tmp_path: Path) -> None:
    root = tmp_path / "orders-koa"
    files = {
        "package.json": '{"name": "orders-koa", "dependencies": {"koa": "^2.15.0"}}\n',
        "src/app.js": (
            "const Koa = require('koa');\n"
            "const bodyParser = require('koa-bodyparser');\n"
            "const { requireUser } = require('./middleware/session');\n"
            "const orders = require('./routes/orders');\n\n"
            "const app = new Koa();\n"
            "app.use(bodyParser());\n"
            "app.use(requireUser);\n"
            "app.use(orders.routes()).use(orders.allowedMethods());\n"
            "module.exports = app;\n"
        ),
        "src/middleware/session.js": (
            "async function requireUser(ctx, next) {\n"
            "  if (!ctx.session.userId) ctx.throw(401);\n  await next();\n}\n"
            "module.exports = { requireUser };\n"
        ),
        "src/routes/orders.js": (
            "const Router = require('@koa/router');\n"
            "const { findOrder } = require('../services/orders');\n\n"
            "const router = new Router({ prefix: '/orders' });\n\n"
            "router.get('/:id', async (ctx) => {\n"
            "  ctx.body = await findOrder(ctx.params.id);\n});\n\n"
            "module.exports = router;\n"
        ),
        "src/services/orders.js": (
            "async function findOrder(id) {\n  return { id };\n}\nmodule.exports = { findOrder };\n"
        ),
    }
    write_tree(root, files)
    index = built_index(root)
    routes = index.view().routes.routes
    assert [(r.method, r.path, r.framework) for r in routes] == [("GET", "/orders/:id", "koa")]
    assert routes[0].dependency_names == ("bodyParser", "requireUser")
    assert routes[0].file == "src/routes/orders.js"


def test_fastify_plugin_wrapped_plugins_and_dynamic_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "fastify_plugins"
    shutil.copytree(DATA / "fastify_plugins", root)
    routes = _routes(root, capsys)
    found = {
        key: (r["file"], r["dependencies"], [m["table"] for m in r["models"]])
        for key, r in routes.items()
    }
    session = ["verifySession"]  # added by the fp-wrapped auth plugin to the app itself
    assert found == {
        # fp(): registered under { prefix: '/internal' }, which fastify-plugin ignores
        ("GET", "/healthz"): ("src/routes/health.ts", [], []),
        ("GET", "/readyz"): ("src/routes/health.ts", [], []),
        # register(import('./routes/accounts.js'), { prefix }) after the auth plugin
        ("GET", "/accounts/:id"): ("src/routes/accounts.ts", session, ["accounts"]),
        ("POST", "/accounts"): ("src/routes/accounts.ts", session, ["accounts"]),
        ("GET", "/admin/ping"): ("src/routes/admin/index.ts", session, []),
        # fp(auditRoutes) registered under '/events' inside the '/admin' plugin
        ("GET", "/admin/audit"): ("src/routes/admin/audit.ts", session, ["audit_events"]),
    }
    assert {r["framework"] for r in routes.values()} == {"fastify"}


def test_fastify_plugin_in_commonjs_and_an_encapsulated_hook(tmp_path: Path) -> None:
    """``module.exports = fp(...)`` leaks its hook; a plain plugin's hook stays inside it;
    a route's ``{ preHandler: [fastify.requireRole] }`` names a decorator of another file."""
    root = tmp_path / "catalog-api"
    files = {
        "package.json": '{"name": "catalog-api", "dependencies": {"fastify": "^4.28.1"}}\n',
        "app.js": (
            "const fastify = require('fastify')({ logger: true });\n"
            "const rateLimit = require('@fastify/rate-limit');\n\n"
            "fastify.register(rateLimit, { max: 100 });\n"
            "fastify.register(require('./plugins/tenant'));\n"
            "fastify.register(require('./plugins/metrics'));\n"
            "fastify.register(require('./routes/products'), { prefix: '/products' });\n"
            "fastify.listen({ port: 3000 });\n"
        ),
        "plugins/tenant.js": (
            "const fp = require('fastify-plugin');\n\n"
            "async function resolveTenant(request) {\n"
            "  request.tenant = request.headers['x-tenant'];\n}\n\n"
            "module.exports = fp(async function tenant(fastify) {\n"
            "  fastify.decorateRequest('tenant', null);\n"
            "  fastify.decorate('requireAdmin', async (request, reply) => {\n"
            "    if (request.user?.role !== 'admin') reply.code(403).send();\n"
            "  });\n"
            "  fastify.addHook('preHandler', resolveTenant);\n"
            "});\n"
        ),
        "plugins/metrics.js": (
            "async function countRequest(request) {\n  request.startedAt = Date.now();\n}\n\n"
            "module.exports = async function metrics(fastify) {\n"
            "  fastify.addHook('onRequest', countRequest);\n"
            "  fastify.get('/metrics', async () => ({ up: 1 }));\n"
            "};\n"
        ),
        "routes/products.js": (
            "module.exports = async function (fastify) {\n"
            "  fastify.get('/', async (request) => ({ tenant: request.tenant, items: [] }));\n"
            "  fastify.delete('/:id', { preHandler: [fastify.requireAdmin] }, async () => null);\n"
            "};\n"
        ),
    }
    write_tree(root, files)
    routes = built_index(root).view().routes.routes
    assert [(r.method, r.path, r.dependency_names) for r in routes] == [
        ("GET", "/metrics", ("resolveTenant", "countRequest")),
        ("GET", "/products", ("resolveTenant",)),
        ("DELETE", "/products/:id", ("resolveTenant", "decorate requireAdmin")),
    ]
    admin = next(r for r in routes if r.method == "DELETE").dependencies[-1]
    assert (admin.path, admin.symbol.start_line if admin.symbol else 0) == ("plugins/tenant.js", 9)


def test_koa_nested_routers_compose_prefixes(tmp_path: Path) -> None:
    """``router.use('/v1', inner.routes())`` nests prefixes; verbs chained on a router
    (``router.get(...).post(...)``) and a sub-app under ``koa-mount`` are routes too."""
    root = tmp_path / "ledger-koa"
    files = {
        "package.json": (
            '{"name": "ledger-koa", "dependencies": {"koa": "^2.15.3", "@koa/router": "^13.1.0"}}\n'
        ),
        "src/app.js": (
            "const Koa = require('koa');\n"
            "const mount = require('koa-mount');\n"
            "const api = require('./routes');\n"
            "const { reports } = require('./reports');\n\n"
            "const app = new Koa();\n"
            "app.use(api.routes()).use(api.allowedMethods());\n"
            "app.use(mount('/reports', reports));\n"
            "module.exports = app;\n"
        ),
        "src/routes/index.js": (
            "const Router = require('@koa/router');\n"
            "const accounts = require('./accounts');\n"
            "const entries = require('./entries');\n"
            "const { requireToken } = require('../middleware/auth');\n\n"
            "const api = new Router({ prefix: '/api' });\n"
            "const v1 = new Router();\n\n"
            "v1.get('/status', (ctx) => {\n  ctx.body = { ok: true };\n});\n"
            "v1.use('/accounts', requireToken, accounts.routes(), accounts.allowedMethods());\n"
            "v1.use(entries.routes());\n"
            "api.use('/v1', v1.routes(), v1.allowedMethods());\n\n"
            "module.exports = api;\n"
        ),
        "src/routes/accounts.js": (
            "const Router = require('@koa/router');\n"
            "const { getAccount } = require('../services/accounts');\n\n"
            "const router = new Router();\n\n"
            "router.get('/:id', async (ctx) => {\n"
            "  ctx.body = await getAccount(ctx.params.id);\n});\n\n"
            "module.exports = router;\n"
        ),
        "src/routes/entries.js": (
            "const Router = require('@koa/router');\n\n"
            "const router = new Router({ prefix: '/entries' });\n\n"
            "router\n"
            "  .get('/', async (ctx) => {\n    ctx.body = [];\n  })\n"
            "  .post('/', async (ctx) => {\n    ctx.status = 201;\n  });\n\n"
            "module.exports = router;\n"
        ),
        "src/reports.js": (
            "const Koa = require('koa');\n"
            "const Router = require('@koa/router');\n\n"
            "const reports = new Koa();\n"
            "const router = new Router();\n"
            "router.get('/monthly', async (ctx) => {\n  ctx.body = [];\n});\n"
            "reports.use(router.routes());\n\n"
            "module.exports = { reports };\n"
        ),
        "src/middleware/auth.js": (
            "async function requireToken(ctx, next) {\n"
            "  if (!ctx.get('authorization')) ctx.throw(401);\n  await next();\n}\n"
            "module.exports = { requireToken };\n"
        ),
        "src/services/accounts.js": (
            "async function getAccount(id) {\n  return { id };\n}\n"
            "module.exports = { getAccount };\n"
        ),
    }
    write_tree(root, files)
    routes = built_index(root).view().routes.routes
    assert [(r.method, r.path, r.file, r.dependency_names) for r in routes] == [
        ("GET", "/api/v1/accounts/:id", "src/routes/accounts.js", ("requireToken",)),
        ("GET", "/api/v1/entries", "src/routes/entries.js", ()),
        ("POST", "/api/v1/entries", "src/routes/entries.js", ()),
        ("GET", "/api/v1/status", "src/routes/index.js", ()),
        ("GET", "/reports/monthly", "src/reports.js", ()),
    ]
