"""LineIndex.edited: the index after an edit, derived from the one before it."""

from __future__ import annotations

import random

from backend_lsp.text import LineIndex

_PIECES = (b"", b"\n", b"x", b"\r\n", b"def f():\n    return 1\n", b"\n\n", "é\n".encode())


def test_edited_equals_a_fresh_index_after_random_edits() -> None:
    rng = random.Random(11)
    text = b"import os\n\ndef view(request):\n    return os.getcwd()\n"
    index = LineIndex(text)
    for _ in range(2000):
        start = rng.randint(0, len(text))
        end = rng.randint(start, min(len(text), start + rng.choice((0, 1, 3, 12))))
        new = rng.choice(_PIECES)
        updated = text[:start] + new + text[end:]
        index = index.edited(start, end, new, updated)
        text = updated
        fresh = LineIndex(text)
        assert index._starts == fresh._starts
        assert index.source is text
