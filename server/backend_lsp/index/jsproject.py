"""The JS/TS project files resolution needs that the source walk does not yield.

The walk yields files with a grammar; tsconfig.json and package.json are found
above the JS/TS files they govern (``build._js_project``). Two kinds are not
above any source file: the ``package.json`` of a workspace member without
sources of its own (a shared tsconfig package), found from the workspace
root's globs, and a config an ``extends`` names (``../../tsconfig.base.json``,
``@acme/tsconfig/base.json``, ``@tsconfig/node20`` in ``node_modules``, with
the package.json that says which file a bare package name means) or a project
``references`` entry names, followed along the chain. Only these JSON files
are read under ``node_modules``, never a package's code.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Collection
from pathlib import Path

from backend_lsp.index.extract import extracted_language
from backend_lsp.index.facts import FileFacts
from backend_lsp.index.jspackages import (
    INSTALL_MARKERS,
    MANIFEST,
    Workspaces,
    extract_manifest,
    glob_pattern,
)
from backend_lsp.index.tsconfig import extends_candidates, extract_tsconfig, reference_config

_MAX_FILES = 2_000  # a runaway glob or chain stops here
_SKIP = frozenset({"node_modules", ".git"})

Allowed = Callable[[Path, bool], bool]  # (path, under node_modules) -> may be read


def _facts(root: Path, rel: str) -> FileFacts | None:
    language = extracted_language(rel)
    try:
        data = (root / rel).read_bytes()
    except OSError:
        return None
    if language == "tsconfig":
        found = extract_tsconfig(data, None, rel)
        return found if isinstance(found, FileFacts) else None
    if language == "jspackage":
        return extract_manifest(data, None, rel)
    return None


def project_files(
    root: Path, rels: list[str], allowed: Allowed, known: Collection[str] = ()
) -> list[str]:
    """Workspace members' manifests and extended configs missing from ``rels`` (and from
    ``known``, the files indexed already)."""
    facts = {rel: f for rel in rels if (f := _facts(root, rel)) is not None}
    added: list[str] = []

    def add(rel: str) -> FileFacts | None:
        if rel in facts or rel in known or len(added) >= _MAX_FILES:
            return None
        path = root / rel
        if not path.is_file() or not allowed(path, "node_modules" in rel.split("/")):
            return None
        found = _facts(root, rel)
        if found is not None:
            facts[rel] = found
            added.append(rel)
        return found

    for rel, found in list(facts.items()):
        globs = [r.target for r in found.relations if r.kind == "workspace"]
        directory = posixpath.dirname(rel)
        for member in _members(root / directory, globs):
            add(posixpath.join(directory, member, MANIFEST))
    workspaces = Workspaces(facts)

    def manifest(directory: str) -> FileFacts | None:
        """A package's package.json (read for its ``exports``/``tsconfig`` field)."""
        rel = _real(root, posixpath.join(directory, MANIFEST))
        return facts.get(rel) or add(rel)

    queue = [rel for rel, f in facts.items() if f.language == "tsconfig"]
    while queue:
        rel = queue.pop()
        directory = posixpath.dirname(rel) or "."
        for relation in facts[rel].relations:
            if relation.kind == "extends":
                candidates = extends_candidates(
                    directory, relation.target, workspaces.package_dir, manifest
                )
            elif relation.kind == "reference":
                candidates = reference_config(directory, relation.target)
            else:
                continue
            for candidate in candidates:
                real = _real(root, candidate)
                if real in facts or real in known:
                    break
                read = add(real)
                if read is not None and read.language == "tsconfig":
                    queue.append(real)
                    break
    return added


def is_install_marker(rel: str) -> bool:
    """Whether ``rel`` is a file a package manager rewrites on install (``INSTALL_MARKERS``)."""
    parts = rel.split("/")
    return len(parts) >= 2 and parts[-2] == "node_modules" and parts[-1] in INSTALL_MARKERS


def named_configs(files: dict[str, FileFacts]) -> list[str]:
    """Every file the indexed configs' ``extends`` and ``references`` may name, present
    or not: a JSON file among them is a config whatever its name (``extracted_language``)."""
    workspaces = Workspaces(files)
    found: dict[str, None] = {}
    for rel, facts in files.items():
        if facts.language != "tsconfig":
            continue
        directory = posixpath.dirname(rel) or "."
        for relation in facts.relations:
            if relation.kind == "extends":
                candidates = extends_candidates(
                    directory, relation.target, workspaces.package_dir, workspaces.manifests.get
                )
            elif relation.kind == "reference":
                candidates = reference_config(directory, relation.target)
            else:
                continue
            found.update(dict.fromkeys(candidates))
    return list(found)


def vendored_candidates(files: dict[str, FileFacts]) -> list[str]:
    """The ``node_modules`` files the indexed configs' ``extends`` may name, present or
    not (an install may create them), with each package's package.json: what to watch
    there, so an install is noticed without listing ``node_modules``."""
    found: dict[str, None] = {}
    for candidate in named_configs(files):
        head, marker, tail = candidate.rpartition("node_modules/")
        if not marker:
            continue
        size = 2 if tail.startswith("@") else 1
        package = "/".join(tail.split("/")[:size])
        found[f"{head}{marker}{package}/{MANIFEST}"] = None
        found[candidate] = None
    return list(found)


def stamps(root: Path, rels: Collection[str]) -> dict[str, list[int]]:
    """(mtime, size) of each file, ``[0, -1]`` for a missing one: what changes on install."""
    found: dict[str, list[int]] = {}
    for rel in rels:
        try:
            info = os.stat(root / rel)
            found[rel] = [info.st_mtime_ns, info.st_size]
        except OSError:
            found[rel] = [0, -1]
    return found


def _real(root: Path, rel: str) -> str:
    """A ``node_modules`` entry that links into the workspace (a workspace package) is
    read at its own path, so it is indexed once."""
    if "node_modules" not in rel.split("/"):
        return rel
    try:
        inside = (root / rel).resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return rel
    return rel if "node_modules" in inside.split("/") else inside


def _members(base: Path, globs: list[str]) -> list[str]:
    """Directories (relative to the workspace root) its globs select that have a manifest;
    each glob is walked from its literal head (``packages/`` of ``packages/*``) only."""
    patterns = [(g.startswith("!"), glob_pattern(g.removeprefix("!"))) for g in globs]
    found: dict[str, None] = {}
    for glob in globs:
        if glob.startswith("!"):
            continue
        parts = glob.strip("/").removeprefix("./").split("/")
        literal = [p for p in parts[: next((i for i, p in enumerate(parts) if "*" in p), None)]]
        depth = 8 if "**" in parts else len(parts) - len(literal)
        stack = [(base.joinpath(*literal), depth)]
        while stack and len(found) < _MAX_FILES:
            directory, left = stack.pop()
            inner = directory.relative_to(base).as_posix() + "/"
            hits = [not negated for negated, p in patterns if p.fullmatch(inner)]
            if hits and hits[-1] and (directory / MANIFEST).is_file():
                found[inner.rstrip("/")] = None
            if left <= 0:
                continue
            try:
                entries = sorted(directory.iterdir())
            except OSError:
                continue
            stack += [
                (e, left - 1)
                for e in entries
                if e.name not in _SKIP and not e.is_symlink() and e.is_dir()
            ]
    return list(found)
