"""Constants and a runner shared by the CLI agent tests (a unique module name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_lsp.cli import main

KEY = "sk-ant-api03-CLIAGENTKEYCLIAGENTKEY-0123456789"
SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"
PRODUCTS = "app/routes/products.py"
OLD = "    return db.query(Product).order_by(Product.name).all()"
NEW = "    return db.query(Product).order_by(Product.name).limit(200).all()"
GOOD = {"edits": [{"search": OLD, "replace": NEW}], "summary": "bounded the export"}


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr); the key must never be printed."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert KEY not in out and KEY not in err
    return code, out, err
