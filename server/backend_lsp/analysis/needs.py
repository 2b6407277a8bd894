"""Byte patterns a rule's findings need: a file without them is skipped, not walked.

A rule (``RuleMeta.needs``) or a call table (``CallTable.needs``, derived from its
rows) states which byte strings any finding of it implies in the file's source:
a disjunction of conjunctions, so ``jwt.decode`` needs both ``jwt`` and ``decode``.
The registry skips a rule whose needs a file does not meet. A declaration must be
implied by every finding (a gate that skips a file with a finding loses it); the
default needs nothing, and every file is checked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Needs:
    """``alternatives``: each a tuple of byte strings that must all occur; the needs are
    met when one alternative is. ``None``: every file; ``()``: no file can hold one."""

    alternatives: tuple[tuple[bytes, ...], ...] | None = None

    def met(self, source: bytes) -> bool:
        if self.alternatives is None:
            return True
        found: dict[bytes, bool] = {}  # each token searched for once
        for tokens in self.alternatives:
            for token in tokens:
                present = found.get(token)
                if present is None:
                    present = found[token] = token in source
                if not present:
                    break
            else:
                return True
        return False

    def __or__(self, other: Needs) -> Needs:
        """Either holds a finding."""
        if self.alternatives is None or other.alternatives is None:
            return EVERY_FILE
        return _needs((*self.alternatives, *other.alternatives))

    def __and__(self, other: Needs) -> Needs:
        """A finding needs both."""
        if self.alternatives is None:
            return other
        if other.alternatives is None:
            return self
        return _needs(
            tuple(
                tuple(dict.fromkeys((*mine, *theirs)))
                for mine in self.alternatives
                for theirs in other.alternatives
            )
        )


EVERY_FILE = Needs()
NO_FILE = Needs(())


def any_of(*tokens: bytes) -> Needs:
    """One of ``tokens`` occurs (an empty token occurs in every file)."""
    return _needs(tuple((token,) if token else () for token in tokens))


def all_of(*tokens: bytes) -> Needs:
    """Every one of ``tokens`` occurs."""
    return _needs((tuple(dict.fromkeys(token for token in tokens if token)),))


def _needs(alternatives: tuple[tuple[bytes, ...], ...]) -> Needs:
    """An alternative with no token is met by every file: then so are the needs."""
    if () in alternatives:
        return EVERY_FILE
    return Needs(_simplest(alternatives))


def _simplest(alternatives: tuple[tuple[bytes, ...], ...]) -> tuple[tuple[bytes, ...], ...]:
    """The same condition without duplicates or alternatives another one implies
    (``(b"jwt", b"decode")`` goes when ``(b"jwt",)`` is there, ``(b"get", b"verify_ssl")``
    when ``(b"get", b"verify")`` is: a file holding the longer token holds the shorter)."""
    kept: list[tuple[bytes, ...]] = []
    ordered = sorted(set(alternatives), key=lambda t: (len(t), sum(map(len, t)), t))
    for tokens in ordered:
        if not any(_implies(tokens, weaker) for weaker in kept):
            kept.append(tokens)
    return tuple(kept)


def _implies(tokens: tuple[bytes, ...], weaker: tuple[bytes, ...]) -> bool:
    return all(any(short in token for token in tokens) for short in weaker)
