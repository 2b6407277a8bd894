#!/usr/bin/env bash
# Debian packages the editor end-to-end tests drive: Emacs with eglot, and Vim 9 with ALE.
# Installs only what is missing (apt-get update first, once); a no-op when all are present.
# Needs root or sudo; prints what it would install and fails clearly otherwise.
set -euo pipefail

wanted=(emacs-nox elpa-eglot vim-nox vim-ale)
missing=()
for pkg in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
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
