"""Express middleware in the order Express runs it: app/router ``use`` before a route (and
only under a ``use`` path), per-route handlers and handler arrays, mounts with their own
leading middleware, and what a parent applied before mounting a router from another file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from index_helpers import built_index

from backend_lsp.cli import main


def _routes(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[tuple[str, str], dict]:  # type: ignore[type-arg]
    assert main(["routes", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {(r["method"], r["path"]): r for r in data["routes"]}


def test_routes_carry_the_middleware_that_runs_before_them(
    monorepo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deps = {key: r["dependencies"] for key, r in _routes(monorepo_root, capsys).items()}
    base = ["helmet", "requestId"]  # app.use(helmet()), app.use(requestId); express.json() is not
    assert deps == {
        ("GET", "/healthz"): base,  # registered before app.use(authenticate)
        ("GET", "/users/:email"): base,  # mounted before it too
        ("POST", "/users"): [*base, "authenticate"],  # per-route handler
        ("GET", "/me"): [*base, "authenticate"],
        # app.use('/reports', auditLog): middleware, and only under /reports
        ("GET", "/reports/daily"): [*base, "authenticate", "auditLog"],
        # app.use('/admin', requireRole('admin'), adminRouter); in admin.ts a route before
        # adminRouter.use(auditLog) does not get it, one after does
        ("GET", "/admin/ping"): [*base, "authenticate", "requireRole"],
        ("GET", "/admin/stats"): [*base, "authenticate", "requireRole", "auditLog"],
        ("DELETE", "/admin/users/:id"): [
            *base,
            "authenticate",
            "requireRole",
            "auditLog",
            "requireFreshLogin",  # [requireFreshLogin, csrf]: a handler array
            "csrf",
        ],
        # adminRouter.route('/users/:id/sessions').all(requireFreshLogin).get(h).delete(csrf, h)
        ("GET", "/admin/users/:id/sessions"): [
            *base,
            "authenticate",
            "requireRole",
            "auditLog",
            "requireFreshLogin",
        ],
        ("DELETE", "/admin/users/:id/sessions"): [
            *base,
            "authenticate",
            "requireRole",
            "auditLog",
            "requireFreshLogin",
            "csrf",
        ],
        # two mounts deep: app -> billingRouter (rateLimit) -> invoicesRouter() (requireFreshLogin)
        ("GET", "/billing/invoices"): [*base, "authenticate", "rateLimit", "requireFreshLogin"],
    }


def test_middleware_resolves_in_the_file_that_applied_it(monorepo_root: Path) -> None:
    index = built_index(monorepo_root)
    routes = {(r.method, r.path): r for r in index.view().routes.routes}
    delete = routes[("DELETE", "/admin/users/:id")]
    found = {
        name: (t.path, t.symbol.name if t.symbol else None)
        for name, t in zip(delete.resolved_names, delete.dependencies, strict=True)
    }
    auth = "apps/api/src/middleware/auth.ts"
    assert found == {
        "requestId": ("apps/api/src/middleware/request-id.ts", "requestId"),
        "authenticate": (auth, "authenticate"),  # imported by app.ts, not by admin.ts
        "requireRole": (auth, "requireRole"),
        "auditLog": ("apps/api/src/middleware/audit.ts", "auditLog"),
        "requireFreshLogin": (auth, "requireFreshLogin"),
        "csrf": ("apps/api/src/middleware/csrf.ts", "csrf"),
    }  # helmet is a package: named, not resolved
    assert "helmet" in delete.dependency_names


def test_handler_context_holds_the_auth_middleware(
    monorepo_root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(monorepo_root)
    rel = "apps/api/src/routes/admin.ts"
    line = next(
        i
        for i, text in enumerate((monorepo_root / rel).read_text().splitlines(), 1)
        if "prisma.user.delete" in text
    )
    assert main(["context", f"{monorepo_root / rel}:{line}", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    reasons = {(i["path"], i["start_line"]): i["reason"] for i in data["items"]}
    auth = "apps/api/src/middleware/auth.ts"
    found = {path: reason for (path, _line), reason in reasons.items() if "dependency" in reason}
    assert auth in found and "DELETE /admin/users/:id" in found[auth]
    assert "apps/api/src/middleware/csrf.ts" in found
    assert any(path == "packages/db/prisma/schema.prisma" for path, _ in reasons)
    assert "apps/api/src/routes/billing.ts" not in {p for p, _ in reasons}
