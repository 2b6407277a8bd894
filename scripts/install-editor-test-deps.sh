#!/usr/bin/env bash
# What the editor end-to-end tests drive. Debian: Emacs with eglot, Vim 9 with ALE, and for
# the VS Code test chromium plus the headers code-server's native modules build against.
# npm: code-server, Node 24 (code-server needs it) and playwright-core, pinned in
# editors/vscode/e2e/package-lock.json. Installs only what is missing; a no-op when all is
# present. Needs root or sudo for apt; prints what it would install and fails clearly otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

wanted=(emacs-nox elpa-eglot vim-nox vim-ale
        chromium build-essential libkrb5-dev libxkbfile-dev libsecret-1-dev)
missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-editor-test-deps: no apt-get here; install ${missing[*]} yourself" >&2
        exit 1
    fi
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "install-editor-test-deps: need root (or sudo) to install ${missing[*]}" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "==> installing editor test packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/install-vscode-e2e-deps.sh
