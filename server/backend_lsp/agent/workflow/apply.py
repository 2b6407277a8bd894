"""Writing an outcome to disk (the CLI's ``--apply``): all files or none.

Every new content is first written to a temporary file next to its target;
only when all of them exist are they renamed into place, so a failure (disk
full, permissions, the file changed on disk meanwhile) leaves the tree as it
was. A rename is atomic per file on POSIX and Windows.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from backend_lsp.agent.workflow.outcome import ActionFailed, ActionOutcome, sha256_text


def _stage(target: Path, content: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    if target.exists():
        with contextlib.suppress(OSError):
            os.chmod(name, target.stat().st_mode & 0o7777)
    return Path(name)


def _on_disk(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8", "surrogatepass")
    except (OSError, UnicodeDecodeError):
        return None


def apply_outcome(outcome: ActionOutcome, root: Path) -> list[Path]:
    """Write the edit and the new files; returns the paths written (in that order).

    Refuses (ActionFailed, nothing written) when the edited file no longer has
    the text the edits were planned on, or a new file appeared meanwhile.
    """
    plan: list[tuple[Path, str]] = []
    if outcome.edits:
        current = _on_disk(outcome.path)
        if current is None or sha256_text(current) != outcome.base_sha256:
            raise ActionFailed(
                f"{outcome.display_path} changed on disk since the action ran; nothing written",
                "stale",
            )
        plan.append((outcome.path, outcome.new_text))
    for new in outcome.new_files:
        target = root / new.path
        if target.exists() or target.is_symlink():
            raise ActionFailed(f"{new.path} already exists; nothing written", "refused")
        plan.append((target, new.content))
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in plan:
            staged.append((_stage(target, content), target))
        for temporary, target in staged:
            os.replace(temporary, target)
    except OSError as error:
        raise ActionFailed(
            f"cannot write {error.filename or 'the result'}: {error.strerror or error}", "io"
        ) from None
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(OSError):
                temporary.unlink()
    return [target for target, _ in plan]
