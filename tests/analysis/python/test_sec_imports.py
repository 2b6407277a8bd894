"""ensure_import / import_aliases: where the import goes and when it is not needed."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.python.imports import ensure_import, import_aliases, qualified_name
from backend_lsp.syntax.document import ParsedDocument


def add(source: str, module: str, name: str | None = None) -> str:
    document = ParsedDocument(source, "python")
    assert document.root is not None
    edit = ensure_import(document.source, document.root, module, name)
    if edit is None:
        return source
    data = document.source
    return (data[: edit.start] + edit.new_text.encode() + data[edit.end :]).decode()


TRY_IMPORT = (
    "import sys\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\nimport re\n"
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\n", "import os\nx = 1\n"),
        ("", "import os\n"),
        ('"""Doc."""\nx = 1\n', '"""Doc."""\nimport os\nx = 1\n'),
        (
            "#!/usr/bin/env python\n# licence\nx = 1\n",
            "#!/usr/bin/env python\n# licence\nimport os\nx = 1\n",
        ),
        (
            "import sys\nfrom a import b\n\nx = 1\n",
            "import sys\nfrom a import b\nimport os\n\nx = 1\n",
        ),
        ("import sys", "import sys\nimport os\n"),
        (
            TRY_IMPORT,
            TRY_IMPORT + "import os\n",
        ),
        ("import os\nx = 1\n", "import os\nx = 1\n"),
        ("import os.path\n", "import os.path\n"),
    ],
)
def test_ensure_import_places_module_import(source: str, expected: str) -> None:
    assert add(source, "os") == expected


def test_alias_does_not_count_as_present() -> None:
    assert add("import os as o\n", "os") == "import os as o\nimport os\n"


def test_from_import() -> None:
    assert (
        add("import yaml\n", "yaml", "SafeLoader") == "import yaml\nfrom yaml import SafeLoader\n"
    )
    assert (
        add("from yaml import SafeLoader\n", "yaml", "SafeLoader")
        == "from yaml import SafeLoader\n"
    )


def test_aliases_resolve_callees() -> None:
    source = (
        b"import pickle as pkl\nfrom yaml import load as yload\nimport os.path\nfrom . import x\n"
    )
    document = ParsedDocument(source, "python")
    assert document.root is not None
    aliases = import_aliases(source, document.root)
    assert qualified_name("pkl.loads", aliases) == "pickle.loads"
    assert qualified_name("yload", aliases) == "yaml.load"
    assert qualified_name("os.path.join", aliases) == "os.path.join"
    assert "x" not in aliases
