"""Which tsconfig a file belongs to, and configs named only by an ``extends``: a Node
service whose shared options live in JSON files without "tsconfig" in their names
(``./config/seed.json``, ``@billing/config/node.json`` from a workspace package whose
name says nothing of TypeScript), and whose ``exclude`` removes single files from a
directory the project otherwise holds (one goes to a referenced project, one to none)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from index_helpers import built_index

from backend_lsp.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "index"


@pytest.fixture
def scope_root(tmp_path: Path) -> Path:
    root = tmp_path / "ts_project_scope"
    shutil.copytree(DATA / "ts_project_scope", root)
    return root


def test_extends_names_json_configs_of_any_name(scope_root: Path) -> None:
    index = built_index(scope_root)
    assert index.files["packages/config/node.json"].language == "tsconfig"
    assert index.files["packages/config/base.json"].language == "tsconfig"
    assert index.files["services/api/config/seed.json"].language == "tsconfig"
    assert "packages/config/package.json" in index.files
    js = index.view().resolver.js
    assert js.projects.chain("services/api/tsconfig.json") == [
        "services/api/tsconfig.json",
        "packages/config/node.json",
        "packages/config/base.json",
    ]
    # base.json's ``paths`` with ${configDir}: the api project's own src/
    assert js.resolve("services/api/src/app.ts", "@/routes/invoices") == (
        "services/api/src/routes/invoices.ts"
    )


def test_routes_reach_prisma_through_paths_of_an_extended_json(
    scope_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["routes", str(scope_root), "--json"]) == 0
    routes = {(r["method"], r["path"]): r for r in json.loads(capsys.readouterr().out)["routes"]}
    assert sorted(routes) == [("GET", "/invoices/:customerId"), ("POST", "/invoices")]
    assert routes[("POST", "/invoices")]["models"] == [
        {"model": "Invoice", "table": "invoices", "access": "write"}
    ]
    assert routes[("GET", "/invoices/:customerId")]["models"] == [
        {"model": "Invoice", "table": "invoices", "access": "read"}
    ]


def test_exclude_of_single_files_moves_them_out_of_the_project(scope_root: Path) -> None:
    index = built_index(scope_root)
    js = index.view().resolver.js
    api, seed = "services/api/tsconfig.json", "services/api/tsconfig.seed.json"
    # three files of one directory, three owners: the project, the referenced seed
    # project (its ``include``), and none (an inferred project, without ``paths``)
    assert js.project_for("services/api/src/db/client.ts") == api
    assert js.project_for("services/api/src/db/seed.ts") == seed
    assert js.project_for("services/api/src/db/legacy-import.ts") is None
    fixtures = "services/api/test/fixtures/customers.ts"
    assert js.resolve("services/api/src/db/seed.ts", "@fixtures/customers") == fixtures
    assert js.resolve("services/api/src/db/client.ts", "@fixtures/customers") is None
    assert js.resolve("services/api/src/db/seed.ts", "@/db/client") == (
        "services/api/src/db/client.ts"
    )
    assert js.resolve("services/api/src/db/legacy-import.ts", "@/db/client") is None
    assert js.resolve("services/api/src/db/legacy-import.ts", "./client") == (
        "services/api/src/db/client.ts"
    )


def test_an_edit_that_extends_a_new_json_reads_it(scope_root: Path) -> None:
    index = built_index(scope_root)
    config = scope_root / "services/api/config/seed.json"
    extra = scope_root / "services/api/config/paths.json"
    extra.write_text('{ "compilerOptions": { "paths": { "@seed/*": ["../src/db/*"] } } }\n')
    config.write_text(
        '{ "extends": ["@billing/config/node.json", "./paths.json"],\n'
        '  "compilerOptions": { "noEmit": true } }\n'
    )
    assert index.update(config)
    assert index.files["services/api/config/paths.json"].language == "tsconfig"
    js = index.view().resolver.js
    assert js.resolve("services/api/src/db/seed.ts", "@seed/client") == (
        "services/api/src/db/client.ts"
    )
    extra.write_text('{ "compilerOptions": { "paths": { "@db/*": ["../src/db/*"] } } }\n')
    assert index.update(extra)  # watched as the config it is
    js = index.view().resolver.js
    assert js.resolve("services/api/src/db/seed.ts", "@db/client") == (
        "services/api/src/db/client.ts"
    )
