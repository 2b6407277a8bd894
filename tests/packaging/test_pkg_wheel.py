"""The wheel a user installs: builds from the checkout, runs, and carries its data files.

The fresh venv gets no dependencies from the network: a .pth line makes the dev
environment's site-packages visible *after* the venv's own, so the package
comes from the wheel while pygls & co. come from what is already installed.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def _run(*argv: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT
    )


def _setuptools_version() -> tuple[int, ...]:
    try:
        text = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return (0,)
    return tuple(int(part) for part in text.split(".")[:2] if part.isdigit())


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if _setuptools_version() < (70, 1):
        pytest.skip("an offline wheel build needs setuptools>=70.1 (scripts/test.sh installs it)")
    work = tmp_path_factory.mktemp("pkg")
    source = work / "src"
    source.mkdir()
    # Build from a copy so the checkout gets no build/ or egg-info droppings.
    shutil.copy2(REPO / "pyproject.toml", source)
    shutil.copy2(REPO / "README.md", source)
    shutil.copytree(
        REPO / "server",
        source / "server",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--disable-pip-version-check",
        "--quiet",
        "-w",
        work / "dist",
        source,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("backend_lsp-*.whl")

    env_dir = work / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    Path(site.stdout.strip(), "dev-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--disable-pip-version-check",
        "--quiet",
        wheel,
    )
    assert done.returncode == 0, done.stderr
    return env_dir


def test_console_script_reports_version(installed: Path) -> None:
    from backend_lsp import __version__

    done = _run(installed / "bin" / "backend-lsp", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"backend-lsp {__version__}"


def test_package_comes_from_the_wheel_with_its_data(installed: Path) -> None:
    probe = (
        "import backend_lsp, pathlib;"
        "root = pathlib.Path(backend_lsp.__file__).parent;"
        "print(root);"
        "print((root / 'py.typed').is_file());"
        "print(','.join(sorted(p.name for p in (root / 'agents').glob('*.md'))))"
    )
    done = _run(installed / "bin" / "python", "-c", probe, cwd=installed)
    assert done.returncode == 0, done.stderr
    location, typed, agents = done.stdout.splitlines()
    assert Path(location).is_relative_to(installed)
    assert typed == "True"
    shipped = sorted(p.name for p in (REPO / "server" / "backend_lsp" / "agents").glob("*.md"))
    if not shipped:
        pytest.skip("no agent definitions in the checkout yet")
    assert agents.split(",") == shipped
    assert "backend-developer.md" in shipped


def test_installed_check_runs_offline(installed: Path, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "job.py").write_text(
        "def run():\n    try:\n        step()\n    except Exception:\n        pass\n"
    )
    done = _run(installed / "bin" / "backend-lsp", "check", ".", "--select", "BE015", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("job.py:4:5: BE015 ")


def test_installed_rule_command_reads_its_packaged_doc(installed: Path, tmp_path: Path) -> None:
    done = _run(installed / "bin" / "backend-lsp", "rule", "BE004", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# BE004 n-plus-one\n")
    assert "## How to suppress" in done.stdout
