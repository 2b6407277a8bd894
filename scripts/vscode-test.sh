#!/usr/bin/env bash
# VS Code extension: clean install from package-lock.json, unit tests (tsc output with a
# stubbed `vscode` module, Node's test runner), then `npm run package` to prove the .vsix
# (with the server wheel built from this checkout) still builds; the VS Code e2e test in
# tests/e2e installs that .vsix. Needs Node >= 20 and npm.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${VENV:-.venv}"

if ! command -v npm >/dev/null; then
    echo "scripts/vscode-test.sh: npm (Node 20 or newer) is required for the VS Code extension" >&2
    exit 2
fi
cd editors/vscode
echo "==> npm ci (editors/vscode)"
npm ci --no-audit --no-fund --loglevel=error
echo "==> VS Code extension unit tests"
npm test --silent
echo "==> npm run package"
PYTHON="$(cd ../.. && pwd)/$VENV/bin/python" npm run --silent package >/dev/null
ls -l backend-lsp.vsix
