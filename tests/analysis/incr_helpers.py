"""Random edits applied like an editor would, and the full-run oracle they are checked against."""

from __future__ import annotations

import ast
import os
import random
import re
import textwrap
from pathlib import Path

from backend_lsp.analysis.model import Finding
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer, analyze_document
from backend_lsp.syntax.document import ParsedDocument, TextChange

ROOT = Path(__file__).resolve().parents[2]

# Lines that touch module facts, cross-chunk reads and the parser's error recovery.
INSERTS = (
    "# edited\n",
    "    x = 1\n",
    "\n",
    "import os\n",
    "    import json\n",
    "from sqlalchemy import text as sql_text\n",
    "class Extra(Base):\n    items = relationship('Item')\n",
    "    class Inner:\n        pass\n",
    "def helper():\n    return 1\n",
    "@app.get('/extra')\ndef extra(db=Depends(get_db)):\n    return db.query(Order).all()\n",
    "session = requests.Session()\n",
    "    s = requests.Session()\n    s.get(url)\n",
    "    client.mount('https://', adapter)\n",
    "REQUEST_TIMEOUT = 5\n",
    "logger = logging.getLogger(__name__)\n",
    "for item in Order.objects.all():\n    print(item.customer.name)\n",
    "async def poll():\n    time.sleep(1)\n    requests.get(url)\n",
    "    q = 'SELECT * FROM users WHERE id = ' + user_id\n    cursor.execute(q)\n",
    "    try:\n        run()\n    except Exception:\n        pass\n",
    "    (\n",
    '    """\n',
    ")\n",
    "def broken(:\n",
)
NAMES = ("db", "user_id", "Order", "session", "requests", "cursor", "logger", "x", "items")


def apply_random_edit(rng: random.Random, document: ParsedDocument) -> None:
    """One random single- or multi-line edit, through the incremental path of the tree."""
    source = document.source
    index = document.index
    lines = index.line_count
    boundaries = [
        n
        for n in range(lines)
        if index.line_bytes(n).startswith((b"def ", b"@", b"class ", b"async ", b"import"))
    ]
    if boundaries and rng.random() < 0.3:
        line = rng.choice(boundaries) + rng.choice((0, 0, 1, -1))
    else:
        line = rng.randrange(max(1, lines))
    start = index.line_start(line)
    op = rng.random()
    if op < 0.4:
        change = TextChange(start, start, rng.choice(INSERTS))
    elif op < 0.55:
        end = index.line_start(line + rng.randint(1, 4))
        change = TextChange(start, end, "")
    elif op < 0.75:
        text = index.line_bytes(line).decode("utf-8", "replace")
        words = list(re.finditer(r"\b\w+\b", text))
        if not words:
            change = TextChange(start, start, rng.choice(INSERTS))
        else:
            word = rng.choice(words)
            change = TextChange(
                start + len(text[: word.start()].encode()),
                start + len(text[: word.end()].encode()),
                rng.choice(NAMES),
            )
    elif op < 0.9:
        end = index.line_end(line)
        a = rng.randint(start, end)
        b = min(end, a + rng.randint(1, 3))
        change = TextChange(a, b, "")  # often a syntax error mid-edit
    else:
        line_bytes = source[start : index.line_start(line + 1)]
        change = TextChange(start, start, line_bytes.decode("utf-8", "replace"))
    document.apply(change, document.version + 1)


def check_edits(
    text: str,
    path: str,
    edits: int,
    seed: int,
    settings: AnalysisSettings | None = None,
) -> int:
    """Apply ``edits`` random edits; after each, incremental == full run. Returns chunks reused."""
    settings = settings or AnalysisSettings()
    rng = random.Random(seed)
    document = ParsedDocument(text, "python", 1)
    analyzer = IncrementalAnalyzer()
    assert_same(analyzer.analyze(path, document, settings), document, path, settings)
    reused = 0
    for _ in range(edits):
        apply_random_edit(rng, document)
        incremental = analyzer.analyze(path, document, settings)
        reused += analyzer.last_reused
        assert_same(incremental, document, path, settings)
    return reused


def assert_same(
    incremental: list[Finding], document: ParsedDocument, path: str, settings: AnalysisSettings
) -> None:
    full = full_run(path, document, settings)
    if incremental != full:
        missing = [f for f in full if f not in incremental]
        extra = [f for f in incremental if f not in full]
        raise AssertionError(
            f"incremental differs from a full run on {path}\n--- source ---\n"
            f"{document.text}\n--- missing ---\n{missing}\n--- extra ---\n{extra}"
        )


def full_run(path: str, document: ParsedDocument, settings: AnalysisSettings) -> list[Finding]:
    """The oracle: a full run with nothing of the taint engine's memos read."""
    saved = os.environ.get("BACKEND_LSP_TAINT_MEMO")
    os.environ["BACKEND_LSP_TAINT_MEMO"] = "off"
    try:
        return analyze_document(path, document, settings)
    finally:
        if saved is None:
            del os.environ["BACKEND_LSP_TAINT_MEMO"]
        else:
            os.environ["BACKEND_LSP_TAINT_MEMO"] = saved


def fixture_snippets(limit: int, seed: int) -> list[str]:
    """Python snippets the analysis tests use (triple-quoted strings that parse)."""
    found: list[str] = []
    for test_file in sorted((ROOT / "tests" / "analysis").rglob("test_*.py")):
        if "incremental" in test_file.parts:
            continue
        tree = ast.parse(test_file.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                snippet = textwrap.dedent(node.value)
                if "\n" in snippet and "def " in snippet and len(snippet) > 80:
                    try:
                        ast.parse(snippet)
                    except SyntaxError:
                        continue
                    found.append(snippet)
    random.Random(seed).shuffle(found)
    return found[:limit]
