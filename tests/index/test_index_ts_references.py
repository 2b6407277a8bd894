"""TypeScript project references in a real Node backend: a solution ``tsconfig.json``
(``files: []`` + ``references``), composite projects whose shared config comes from a
bare package name (``extends: "@invoicing/tsconfig"``, its package.json ``tsconfig``
field; ``@tsconfig/node20`` by its default ``tsconfig.json``) with ``${configDir}``
layout, and imports of a referenced project's build output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from index_helpers import built_index, resolved

from backend_lsp.cli import main


def test_bare_package_extends_and_config_dir_layout(references_root: Path) -> None:
    index = built_index(references_root)
    files = index.files
    # the package.json ``tsconfig`` field names the file; both entries of the list
    # it extends come from node_modules, by the packages' default tsconfig.json
    assert files["tooling/tsconfig/node.json"].language == "tsconfig"
    assert "node_modules/@tsconfig/node20/tsconfig.json" in files
    assert "node_modules/@tsconfig/strictest/tsconfig.json" in files
    projects = index.view().resolver.js.projects
    assert projects.chain("packages/core/tsconfig.json") == [
        "packages/core/tsconfig.json",
        "tooling/tsconfig/node.json",
        "node_modules/@tsconfig/strictest/tsconfig.json",
        "node_modules/@tsconfig/node20/tsconfig.json",
    ]
    # ${configDir} in the shared config means each project's own directory
    core = projects.effective("packages/core/tsconfig.json")
    assert (core.root_dir, core.out_dir) == ("packages/core/src", "packages/core/lib")
    api = projects.effective("packages/api/tsconfig.json")
    assert (api.root_dir, api.out_dir) == ("packages/api/src", "packages/api/lib")


def test_solution_config_hands_files_to_the_referenced_project(references_root: Path) -> None:
    index = built_index(references_root)
    js = index.view().resolver.js
    # scripts/ sits under the solution config (files: []), which holds nothing itself:
    # the referenced tsconfig.scripts.json includes it, so its paths apply
    assert js.project_for("scripts/seed.ts") == "tsconfig.scripts.json"
    assert js.resolve("scripts/seed.ts", "@scripts/fixtures") == "scripts/lib/fixtures.ts"
    assert js.project_for("packages/api/src/app.ts") == "packages/api/tsconfig.json"
    # a workspace package's lib/ entry maps to src/ through its ${configDir} layout
    assert js.resolve("scripts/seed.ts", "@invoicing/core") == "packages/core/src/index.ts"
    # core's own baseUrl for its files; api's paths for api's files
    assert js.resolve("packages/core/src/invoices/service.ts", "db") == "packages/core/src/db.ts"
    assert js.resolve("packages/api/src/app.ts", "~/routes/invoices") == (
        "packages/api/src/routes/invoices.ts"
    )
    assert js.resolve("packages/api/src/app.ts", "db") is None  # core's baseUrl is core's


def test_imports_of_a_referenced_projects_output_mean_its_sources(references_root: Path) -> None:
    index = built_index(references_root)
    js = index.view().resolver.js
    routes = "packages/api/src/routes/invoices.ts"
    # paths into ../core/lib (the referenced project's outDir), and a relative import there
    assert js.resolve(routes, "@core/invoices/service") == "packages/core/src/invoices/service.ts"
    assert js.resolve(routes, "../../../core/lib/invoices/totals") == (
        "packages/core/src/invoices/totals.ts"
    )
    assert resolved(index, routes, "getInvoice") == (
        "packages/core/src/invoices/service.ts",
        "getInvoice",
    )
    assert resolved(index, routes, "invoiceTotal") == (
        "packages/core/src/invoices/totals.ts",
        "invoiceTotal",
    )
    # without the reference, api's build does not see core's output as core's sources
    tsconfig = references_root / "packages/api/tsconfig.json"
    text = tsconfig.read_text().replace('"references": [{ "path": "../core" }]', '"files": []')
    assert index.update(tsconfig, text.replace('"include": ["src/**/*"],', ""))
    js = index.view().resolver.js
    assert js.resolve(routes, "@core/invoices/service") is None


def test_app_use_tells_a_router_from_middleware_by_what_it_is(
    references_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # app.use(invoices) mounts the default-exported Router() although its name says
    # nothing; app.use(apiKeyAuth) is a middleware function although its name has "api"
    assert main(["routes", str(references_root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    deps = {(r["method"], r["path"]): r["dependencies"] for r in data["routes"]}
    before = ["helmet", "requestLog"]  # app.use(helmet()), app.use(requestLog)
    assert deps == {
        ("GET", "/invoices/:id"): before,  # mounted before app.use(apiKeyAuth)
        ("POST", "/invoices/preview"): before,
        ("POST", "/invoices"): before,
        ("GET", "/customers/:email"): [*before, "apiKeyAuth"],
        ("GET", "/healthz"): [*before, "apiKeyAuth"],  # the router is not its middleware
    }
    routes = {(r["method"], r["path"]): r for r in data["routes"]}
    assert routes[("GET", "/invoices/:id")]["file"] == "packages/api/src/routes/invoices.ts"
    assert routes[("GET", "/invoices/:id")]["models"] == [
        {"model": "Invoice", "table": "invoices", "access": "read"}
    ]
