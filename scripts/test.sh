#!/usr/bin/env bash
# Set up (or refresh) .venv with the package and its dev extras, then run
# ruff, mypy and the whole pytest suite. Safe to run again and again: the
# install step is skipped while pyproject.toml and the interpreter are unchanged.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh tests/cli -x`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "scripts/test.sh: Python 3.11 or newer is required ($PYTHON is $("$PYTHON" -V 2>&1))" >&2
    exit 2
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi

stamp="$VENV/.backend-lsp-install"
want="$(cat pyproject.toml "$VENV/pyvenv.cfg" | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] \
    || ! "$VENV/bin/python" -c 'import backend_lsp, pytest, mypy' 2>/dev/null; then
    echo "==> installing -e .[dev] into $VENV"
    # setuptools>=70.1 builds wheels without the `wheel` package, so the packaging
    # test can build offline (--no-build-isolation).
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -e ".[dev]" "setuptools>=70.1"
    echo "$want" > "$stamp"
fi

echo "==> ruff"
"$VENV/bin/ruff" check server tests bench
echo "==> mypy"
"$VENV/bin/mypy"
status=0
# On a full run (no pytest arguments, as in CI) the VS Code extension's unit tests run and
# its .vsix is built first: tests/e2e/test_e2e_vscode.py installs that .vsix into code-server.
if [ "$#" -eq 0 ]; then
    bash scripts/vscode-test.sh || status=$?
fi
echo "==> pytest"
pytest_status=0
"$VENV/bin/python" -m pytest "$@" || pytest_status=$?
if [ "$pytest_status" -eq 5 ]; then
    echo "scripts/test.sh: pytest collected no tests; that is a failure here" >&2
fi
if [ "$pytest_status" -ne 0 ]; then status=$pytest_status; fi
exit "$status"
