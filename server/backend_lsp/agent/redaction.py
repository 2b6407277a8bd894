"""Secrets never leave the machine: placeholders out, originals back in.

One ``Redactor`` lives for one request. Everything sent to the model goes
through ``redact``; the same secret always gets the same placeholder, so the
model can still see that two places use one credential. Whatever comes back
(hunks, new files) goes through ``restore``, so an edit that keeps a line
holding a secret writes the real value back instead of a placeholder.

Redaction errs on the side of hiding: every match of ``find_secrets`` is
replaced whatever its confidence (a false positive costs the model a little
context; a miss leaks a credential), and explicitly named values such as the
API key are replaced wherever they appear, detected or not.

Limit: a placeholder-shaped string already present in the code (``<<SECRET_1>>``)
is never issued, so it cannot be confused on the way back; but if such a
literal first appears in a later text of the same request, after that number
was issued, it would be restored too. Real code does not contain these.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import TypeVar, cast

from backend_lsp.analysis.secrets import find_secrets

_PLACEHOLDER = re.compile(r"<<SECRET_(\d+)>>")
_MIN_EXPLICIT_LENGTH = 8  # shorter "secrets" would blank out ordinary words

T = TypeVar("T")


class Redactor:
    """Replaces secrets with ``<<SECRET_n>>`` and puts them back, for one request."""

    def __init__(self, explicit: Iterable[str | None] = (), *, min_confidence: float = 0.0) -> None:
        """``explicit``: values to hide wherever they occur (the API key, tokens from config)."""
        self._explicit = sorted(
            {value for value in explicit if value and len(value) >= _MIN_EXPLICIT_LENGTH},
            key=len,
            reverse=True,
        )
        self._min_confidence = min_confidence
        self._by_value: dict[str, str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._kinds: Counter[str] = Counter()
        self._reserved: set[int] = set()
        self._next = 1

    @property
    def count(self) -> int:
        """How many distinct secrets were replaced so far."""
        return len(self._by_value)

    def summary(self) -> dict[str, int]:
        """Kinds of secret replaced and how often (safe to log: no values)."""
        return dict(self._kinds)

    def redact(self, text: str) -> str:
        """``text`` with every secret replaced by its placeholder."""
        self._reserved.update(int(m.group(1)) for m in _PLACEHOLDER.finditer(text))
        spans = self._spans(text)
        if not spans:
            return text
        out: list[str] = []
        cursor = 0
        for start, end, kind in spans:
            out.append(text[cursor:start])
            out.append(self._placeholder(text[start:end], kind))
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def restore(self, text: str) -> str:
        """Put the original values back for the placeholders this redactor issued."""
        if not self._by_placeholder:
            return text

        def original(match: re.Match[str]) -> str:
            return self._by_placeholder.get(match.group(0), match.group(0))

        return _PLACEHOLDER.sub(original, text)

    def restore_value(self, value: T) -> T:
        """``restore`` applied to every string inside a JSON-like value (tool input)."""
        return cast(T, self._restore_any(value))

    def _restore_any(self, value: object) -> object:
        if isinstance(value, str):
            return self.restore(value)
        if isinstance(value, list):
            return [self._restore_any(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self._restore_any(item) for item in value)
        if isinstance(value, dict):
            return {key: self._restore_any(item) for key, item in value.items()}
        return value

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        """Secret ranges, overlapping ones merged (never leak half a secret)."""
        raw: list[tuple[int, int, str]] = []
        for secret in self._explicit:
            position = text.find(secret)
            while position != -1:
                raw.append((position, position + len(secret), "configured-secret"))
                position = text.find(secret, position + len(secret))
        raw.extend(
            (match.start, match.end, match.kind)
            for match in find_secrets(text)
            if match.confidence >= self._min_confidence and match.end > match.start
        )
        raw.sort()
        merged: list[tuple[int, int, str]] = []
        for start, end, kind in raw:
            if merged and start < merged[-1][1]:
                last_start, last_end, last_kind = merged[-1]
                merged[-1] = (last_start, max(last_end, end), last_kind)
            else:
                merged.append((start, end, kind))
        return merged

    def _placeholder(self, value: str, kind: str) -> str:
        existing = self._by_value.get(value)
        if existing is not None:
            return existing
        while self._next in self._reserved:
            self._next += 1
        placeholder = f"<<SECRET_{self._next}>>"
        self._next += 1
        self._by_value[value] = placeholder
        self._by_placeholder[placeholder] = value
        self._kinds[kind] += 1
        return placeholder
