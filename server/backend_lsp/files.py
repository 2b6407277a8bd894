"""Which workspace files we look at, which we must never send anywhere, and reading them safely.

Three callers share this: ``backend-lsp check`` (walks the tree), the language
server (workspace scans) and the agent's context gathering (must never put a
secret file into a prompt). Keeping the rules in one place means a file that
git ignores or that holds keys is treated the same way everywhere.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pathspec import GitIgnoreSpec

from backend_lsp.syntax.languages import language_for_path

# Directories nobody wants analysed: VCS data, environments, caches, build output.
SKIP_DIRS: frozenset[str] = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "build",
        "dist",
        "site-packages",
        ".eggs",
    }
)

PROJECT_IGNORE_FILE = ".backend-lsp-ignore"

# Files that hold credentials by convention (gitignore syntax, matched anywhere).
PRIVATE_PATTERNS: tuple[str, ...] = (
    ".env*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.kdbx",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    "!id_*.pub",  # public keys are meant to be shared
    "credentials",
    "credentials.*",
    "*-credentials.json",
    "*_credentials.json",
    "service-account*.json",
    ".netrc",
    "_netrc",
    ".pgpass",
    ".pypirc",
    ".npmrc",
    ".htpasswd",
    ".ssh/",
    ".gnupg/",
    ".aws/",
    ".docker/config.json",
    ".git-credentials",
    "secrets",
    "secrets.*",
    "!secrets.example*",
    "!secrets.sample*",
    "!secrets.template*",
    "kubeconfig",
    "kubeconfig.*",
    ".kube/",
    ".vault-token",
    "*.tfstate",
    "*.tfstate.backup",
    "*.tfvars",
    "*.tfvars.json",
    "token.txt",
    "tokens.txt",
    "*_token.txt",
    "*-token.txt",
    "api_key.txt",
    "api-key.txt",
    "apikey.txt",
    "*.ovpn",
    ".boto",
    ".s3cfg",
    ".terraformrc",
    "terraform.rc",
    ".azure/",
    ".config/gcloud/",
)

_PRIVATE_SPEC = GitIgnoreSpec.from_lines(PRIVATE_PATTERNS)

SkipKind = Literal["binary", "too-large", "encoding", "unreadable", "failed"]


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Why a file was not read; callers report it instead of crashing."""

    path: Path
    kind: SkipKind
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: skipped ({self.detail})"


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _spec(lines: list[str]) -> GitIgnoreSpec | None:
    spec = GitIgnoreSpec.from_lines(lines)
    return spec if len(spec) else None


class IgnoreRules:
    """gitignore semantics (root, nested and .git/info/exclude) plus the private-file list.

    ``.gitignore`` files are read lazily, once per directory, so asking about a
    single file in a large tree stays cheap.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        self._specs_by_parts: dict[tuple[str, ...], GitIgnoreSpec | None] = {}

    @cached_property
    def _project_spec(self) -> GitIgnoreSpec | None:
        return _spec(_read_lines(self.root / PROJECT_IGNORE_FILE))

    def _spec_for(self, directory: Path) -> GitIgnoreSpec | None:
        if directory not in self._specs:
            lines = _read_lines(directory / ".gitignore")
            if directory == self.root:
                # Lower precedence than .gitignore: later patterns win.
                lines = _read_lines(directory / ".git" / "info" / "exclude") + lines
            self._specs[directory] = _spec(lines)
        return self._specs[directory]

    def _relative(self, path: Path) -> Path | None:
        """Path relative to the root (relative input is taken from the cwd), or None outside it."""
        absolute = Path(os.path.abspath(path))
        # Resolve the directory, not the file: a symlinked file still lives where it is listed.
        located = Path(os.path.realpath(absolute.parent)) / absolute.name
        try:
            return located.relative_to(self.root)
        except ValueError:
            return None

    def is_ignored(self, path: Path) -> bool:
        """True when git would ignore ``path`` (or a directory above it), or it is in SKIP_DIRS.

        Paths outside the root are never ignored by the root's rules.
        """
        rel = self._relative(path)
        if rel is None or rel == Path("."):
            return False
        parts = rel.parts
        for depth in range(1, len(parts) + 1):
            if depth < len(parts) and parts[depth - 1] in SKIP_DIRS:
                return True
            is_dir = depth < len(parts) or (self.root / rel).is_dir()
            if self._matches_gitignores(parts[:depth], is_dir):
                return True
        return False

    def relative_parts(self, directory: Path) -> tuple[str, ...] | None:
        """``directory`` relative to the root as parts, None outside it (for ``_walk``)."""
        rel = self._relative(directory)
        return None if rel is None else tuple(p for p in rel.parts if p != ".")

    def is_ignored_child(self, parts: tuple[str, ...] | None, name: str, is_dir: bool) -> bool:
        """``is_ignored`` for an entry of a directory already found not ignored.

        ``parts`` is that directory relative to the root (None: outside it, where
        nothing is ignored); only the entry's own name is left to match.
        """
        if parts is None:
            return False
        return self._matches_gitignores((*parts, name), is_dir)

    def _matches_gitignores(self, parts: tuple[str, ...], is_dir: bool) -> bool:
        """Deeper .gitignore files override shallower ones, like git."""
        ignored = False
        suffix = "/" if is_dir else ""
        for index in range(len(parts)):
            spec = self._spec_at(parts[:index])
            if spec is not None:
                decision = spec.check_file("/".join(parts[index:]) + suffix).include
                if decision is not None:
                    ignored = decision
        return ignored

    def _spec_at(self, parts: tuple[str, ...]) -> GitIgnoreSpec | None:
        """``_spec_for`` the directory at ``parts`` below the root, found by its parts: a
        walk asks for every entry of deep trees, and joining Paths was most of its time."""
        try:
            return self._specs_by_parts[parts]
        except KeyError:
            found = self._specs_by_parts[parts] = self._spec_for(self.root.joinpath(*parts))
            return found

    def is_private(self, path: Path) -> bool:
        """True for files that must never be read into an AI prompt.

        Ignored files, credential-looking files (.env*, keys, certificates,
        credentials) and anything matched by the project's ``.backend-lsp-ignore``.
        """
        return self.is_secret(path) or (self._relative(path) is not None and self.is_ignored(path))

    def is_secret(self, path: Path) -> bool:
        """Private whether or not git ignores it: credential-looking or in
        ``.backend-lsp-ignore`` (what may be read from an ignored ``node_modules``)."""
        rel = self._relative(path)
        if rel is None:
            return bool(_PRIVATE_SPEC.match_file(Path(path).name))
        return self.is_private_listed(rel.as_posix())

    def is_private_listed(self, rel: str) -> bool:
        """``is_private`` but for the gitignore part, for a root-relative POSIX path the
        walk already found not ignored (the index asks this for every file it lists)."""
        if _PRIVATE_SPEC.match_file(rel):
            return True
        project = self._project_spec
        return project is not None and (project.match_file(rel) or project.match_file(rel + "/"))


def iter_source_files(
    paths: Sequence[Path], root: Path, rules: IgnoreRules | None = None
) -> Iterator[Path]:
    """Files under ``paths`` that we have a grammar for, in a stable order.

    Directories are walked without following symlinked directories (or file
    symlinks whose target is outside ``root`` and the named directory), skipping
    git-ignored paths and SKIP_DIRS. A file named explicitly is yielded even if
    ignored (the user asked for it), as long as we can parse its language.
    A directory named explicitly is walked even if an outer rule ignores it.
    Missing paths are skipped; callers validate arguments first.
    """
    rules = rules or IgnoreRules(root)
    seen: set[Path] = set()
    real_root = Path(os.path.realpath(root))

    def emit(
        path: Path, walked_from: Path | None = None, key: Path | None = None
    ) -> Iterator[Path]:
        key = key or path.resolve()
        if walked_from is not None and not (
            key.is_relative_to(real_root) or key.is_relative_to(walked_from)
        ):
            return  # a symlink in the tree pointing out of the workspace
        if key not in seen:
            seen.add(key)
            yield path

    for start in paths:
        if start.is_file():
            if language_for_path(start) is not None:
                yield from emit(start)
        elif start.is_dir():
            # A directory the user names is walked even when an outer .gitignore
            # covers it (e.g. a vendored tree): its own contents' rules still apply.
            walk_rules = IgnoreRules(start) if rules.is_ignored(start) else rules
            real_start = start.resolve()
            for path, key in _walk(start, walk_rules):
                yield from emit(path, real_start, key)


def _walk(
    directory: Path, rules: IgnoreRules, parts: tuple[str, ...] | None = None, top: bool = True
) -> Iterator[tuple[Path, Path]]:
    """(path, resolved path) of the files below ``directory``, in name order.

    Below the top directory every ancestor is known not to be ignored, so an
    entry only has its own name matched (``is_ignored_child``); files that are not
    symlinks resolve through their directory's real path, once per directory.
    """
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    real = Path(os.path.realpath(directory))

    def ignored(path: Path, name: str, is_dir: bool) -> bool:
        if top:
            return rules.is_ignored(path)
        return rules.is_ignored_child(parts, name, is_dir)

    subdirs: list[Path] = []
    for entry in entries:
        path = directory / entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in SKIP_DIRS and not ignored(path, entry.name, True):
                    subdirs.append(path)
            elif (
                entry.is_file()
                and language_for_path(entry.name) is not None
                and not ignored(path, entry.name, False)
            ):
                yield path, path.resolve() if entry.is_symlink() else real / entry.name
        except OSError:
            continue
    for sub in subdirs:
        yield from _walk(sub, rules, rules.relative_parts(sub), top=False)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_source(path: Path, data: bytes) -> str | SkipReason:
    """Text of a file's bytes: UTF-8 (or a BOM-marked Unicode encoding), else a skip reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return SkipReason(path, "encoding", f"invalid {encoding} despite its BOM")
    if b"\x00" in data:
        return SkipReason(path, "binary", "binary file: contains NUL bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return SkipReason(
            path, "encoding", f"not valid UTF-8 at byte {error.start}; convert it to UTF-8"
        )


def read_source(path: Path, max_bytes: int) -> str | SkipReason:
    """Read a source file as text without ever raising for bad input."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return SkipReason(path, "unreadable", "not a regular file")
        size = info.st_size
        if size > max_bytes:
            return SkipReason(
                path, "too-large", f"{size:,} bytes is over the limit of {max_bytes:,}"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        return SkipReason(path, "unreadable", error.strerror or type(error).__name__)
    if len(data) > max_bytes:  # grew between stat and read
        return SkipReason(path, "too-large", f"over the limit of {max_bytes:,} bytes")
    return decode_source(path, data)


class OutsideWorkspace(ValueError):
    """A path whose real location (symlinks and ``..`` resolved) is not under the workspace root."""


def workspace_root(cwd: Path, root_arg: Path | None = None) -> Path:
    """The one workspace a command may read and write: ``--root``, else the project around ``cwd``.

    Taken from where the command runs, never from the file it is given, so a
    symlink or ``..`` cannot move the workspace to wherever it points.
    """
    base = root_arg if root_arg is not None else (find_project_root(cwd) or cwd)
    return Path(os.path.realpath(cwd / base))


def inside_workspace(path: Path, root: Path, *, cwd: Path) -> Path:
    """``path``'s real location, or OutsideWorkspace when it is not under ``root``."""
    real = Path(os.path.realpath(cwd / path))
    if not real.is_relative_to(root):
        shown = f"{path} (really {real})" if real != Path(os.path.abspath(cwd / path)) else path
        raise OutsideWorkspace(
            f"{shown} is outside the workspace {root}; nothing outside it is read or sent. "
            "Run from inside the project or pass --root."
        )
    return real


_ROOT_FILES = ("pyproject.toml", "go.mod", "package.json")


def find_project_root(start: Path) -> Path | None:
    """Nearest directory at or above ``start`` holding pyproject.toml, go.mod, package.json
    or .git."""
    current = Path(os.path.abspath(start))
    if not current.is_dir():
        current = current.parent
    for directory in (current, *current.parents):
        if (
            any((directory / marker).is_file() for marker in _ROOT_FILES)
            or (directory / ".git").exists()
        ):
            return directory
    return None
