"""JS/TS module resolution of a real Node monorepo: npm/yarn/pnpm workspaces, package.json
``exports``/``main``/``types``/``imports`` mapped back to sources, and tsconfig ``extends``
chains through workspace config packages and ``node_modules``."""

from __future__ import annotations

from pathlib import Path

from index_helpers import built_index, resolved
from tests.tree_files import write_tree

from backend_lsp.index.jspackages import extract_manifest


def test_workspace_packages_resolve_to_their_sources(monorepo_root: Path) -> None:
    index = built_index(monorepo_root)
    js = index.view().resolver.js
    users = "apps/api/src/routes/users.ts"
    # main/types name dist/ output: mapped back through the package tsconfig's outDir/rootDir
    assert js.resolve(users, "@acme/db") == "packages/db/src/index.ts"
    # exports with nested conditions, a subpath export; no rootDir: outDir's sibling src/
    assert js.resolve(users, "@acme/auth") == "packages/auth/src/index.ts"
    assert js.resolve(users, "@acme/auth/password") == "packages/auth/src/password.ts"
    assert js.resolve(users, "@acme/auth/internal") is None  # not exported
    # paths of a config the app extends (second entry of an extends list)
    assert js.resolve(users, "@acme/shared/strings") == "packages/shared/src/strings.ts"
    # package.json "imports": exact and pattern keys, relative to the importer's package
    server = "apps/api/src/server.ts"
    assert js.resolve(server, "#logger") == "apps/api/src/lib/logger.ts"
    assert js.resolve(server, "#config/env") == "apps/api/src/config/env.ts"
    assert js.resolve(server, "#nowhere") is None
    # excluded from the workspaces by "!packages/legacy-*"; packages from the registry
    assert js.resolve(users, "@acme/legacy-db") is None
    assert js.resolve(users, "express") is None
    # definitions through the package's index re-exports, and its Prisma client
    cases = {
        "findUserByEmail": ("packages/db/src/users.ts", "findUserByEmail"),
        "verifyToken": ("packages/auth/src/index.ts", "verifyToken"),
        "hashPassword": ("packages/auth/src/password.ts", "hashPassword"),
        "slugify": ("packages/shared/src/strings.ts", "slugify"),
        "prisma.user.create": ("packages/db/prisma/schema.prisma", "User"),
    }
    for name, expected in cases.items():
        assert resolved(index, users, name) == expected, name


def test_extends_chain_reads_workspace_and_installed_configs(monorepo_root: Path) -> None:
    index = built_index(monorepo_root)
    files = index.files
    # the shared config package has no sources: found from the workspace globs
    assert files["packages/tsconfig/package.json"].package == "@acme/tsconfig"
    assert files["packages/tsconfig/base.json"].language == "tsconfig"
    assert files["packages/tsconfig/node.json"].language == "tsconfig"
    # what base.json extends, read from node_modules with the package's manifest (its
    # ``exports`` may name the file); nothing else from there, not express's tsconfig
    assert files["node_modules/@tsconfig/node20/tsconfig.json"].language == "tsconfig"
    assert sorted(rel for rel in files if rel.startswith("node_modules/")) == [
        "node_modules/@tsconfig/node20/package.json",
        "node_modules/@tsconfig/node20/tsconfig.json",
    ]
    js = index.view().resolver.js
    config = js.project_for("apps/api/src/app.ts")
    assert config == "apps/api/tsconfig.json"
    # the last extends entry wins, then the first one's own chain
    assert js.projects.chain(config) == [
        "apps/api/tsconfig.json",
        "tsconfig.paths.json",
        "packages/tsconfig/node.json",
        "packages/tsconfig/base.json",
        "node_modules/@tsconfig/node20/tsconfig.json",
    ]


def test_outdir_comes_through_the_chain_and_edits_move_resolution(monorepo_root: Path) -> None:
    root = monorepo_root
    write_tree(
        root,
        {
            "packages/mailer/package.json": '{"name": "@acme/mailer", "main": "lib/main.js"}\n',
            # outDir only in the shared base: packages inherit where their output goes
            "packages/mailer/tsconfig.json": (
                '{ "extends": "@acme/tsconfig/base.json", '
                '"compilerOptions": { "rootDir": "source" } }\n'
            ),
            "packages/tsconfig/base.json": (
                '{ "extends": "@tsconfig/node20/tsconfig.json", '
                '"compilerOptions": { "outDir": "../mailer/lib" } }\n'
            ),
            "packages/mailer/source/main.ts": "export const send = () => 1;\n",
        },
    )
    index = built_index(root)
    js = index.view().resolver.js
    assert js.resolve("apps/api/src/app.ts", "@acme/mailer") == "packages/mailer/source/main.ts"
    manifest = root / "packages/db/package.json"
    moved = manifest.read_text().replace('"name": "@acme/db"', '"name": "@acme/database"')
    assert index.update(manifest, moved)
    js = index.view().resolver.js
    assert js.resolve("apps/api/src/routes/users.ts", "@acme/db") is None
    assert js.resolve("apps/api/src/routes/users.ts", "@acme/database") == (
        "packages/db/src/index.ts"
    )


def test_pnpm_workspace_yaml_and_private_and_ignored_files(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    write_tree(
        root,
        {
            ".gitignore": "generated/\n",
            "package.json": '{"name": "shop", "private": true}\n',
            "pnpm-workspace.yaml": (
                "# pnpm workspaces\npackages:\n  - 'services/*'\n  - \"libs/**\"\n"
                "  - '!libs/**/fixtures'\ncatalog:\n  zod: ^3.23.0\n"
            ),
            "services/orders/package.json": '{"name": "@shop/orders"}\n',
            "services/orders/src/index.ts": (
                "import { money } from '@shop/money';\nimport { gen } from '@shop/gen';\n"
                "export const total = (a: number) => money(a);\n"
            ),
            "libs/core/money/package.json": (
                '{"name": "@shop/money", "exports": {"./*": "./src/*.ts", ".": "./src/index.ts"}}\n'
            ),
            "libs/core/money/src/index.ts": "export const money = (a: number) => a / 100;\n",
            "libs/core/fixtures/package.json": '{"name": "@shop/fixtures"}\n',
            "libs/core/fixtures/index.ts": "export const f = 1;\n",
            "generated/package.json": '{"name": "@shop/gen"}\n',
            "generated/index.ts": "export const gen = 1;\n",
            "services/orders/.env": "DATABASE_URL=postgres://secret\n",
        },
    )
    facts = extract_manifest(
        (root / "pnpm-workspace.yaml").read_bytes(), None, "pnpm-workspace.yaml"
    )
    assert [r.target for r in facts.relations] == ["services/*", "libs/**", "!libs/**/fixtures"]
    index = built_index(root)
    js = index.view().resolver.js
    importer = "services/orders/src/index.ts"
    assert js.resolve(importer, "@shop/money") == "libs/core/money/src/index.ts"
    assert js.resolve(importer, "@shop/money/index") == "libs/core/money/src/index.ts"
    assert js.resolve(importer, "@shop/fixtures") is None  # negated glob
    assert js.resolve(importer, "@shop/gen") is None  # gitignored, and not a member
    assert not any(rel.endswith(".env") for rel in index.files)
    assert "generated/package.json" not in index.files


def test_backend_lsp_ignore_keeps_installed_configs_out(monorepo_root: Path) -> None:
    (monorepo_root / ".backend-lsp-ignore").write_text("node_modules/@tsconfig/\n")
    index = built_index(monorepo_root)
    assert not any(rel.startswith("node_modules/") for rel in index.files)
    # the chain stops there; the workspace's own configs still resolve
    js = index.view().resolver.js
    assert js.resolve("apps/api/src/routes/users.ts", "@acme/db") == "packages/db/src/index.ts"
