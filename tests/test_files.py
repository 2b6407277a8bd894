"""files.py: walking, gitignore semantics, private files, safe reading."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from backend_lsp.files import IgnoreRules, SkipReason, iter_source_files, read_source


def write(root: Path, rel: str, text: str = "x = 1\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rels(paths: list[Path], root: Path) -> list[str]:
    return [p.resolve().relative_to(root.resolve()).as_posix() for p in paths]


def test_walk_yields_known_languages_in_stable_order(tmp_path: Path) -> None:
    write(tmp_path, "b.py")
    write(tmp_path, "a/z.go", "package a\n")
    write(tmp_path, "a/q.sql", "select 1;\n")
    write(tmp_path, "README.md", "# hi\n")
    write(tmp_path, "data.csv", "a,b\n")
    found = rels(list(iter_source_files([tmp_path], tmp_path)), tmp_path)
    assert found == ["b.py", "a/q.sql", "a/z.go"]


def test_walk_skips_environment_and_build_dirs(tmp_path: Path) -> None:
    for rel in [
        ".venv/lib/x.py",
        "venv/x.py",
        "node_modules/pkg/index.js",
        "__pycache__/m.py",
        "build/lib/m.py",
        "dist/m.py",
        "lib/python3.11/site-packages/m.py",
        ".git/hooks/x.py",
    ]:
        write(tmp_path, rel)
    keep = write(tmp_path, "src/app.py")
    assert list(iter_source_files([tmp_path], tmp_path)) == [keep]


def test_root_and_nested_gitignore_with_negation(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "*.gen.py\ngenerated/\n/only_top.py\n")
    write(tmp_path, "pkg/.gitignore", "!keep.gen.py\nlocal_*.py\n")
    write(tmp_path, "x.gen.py")
    write(tmp_path, "generated/a.py")
    write(tmp_path, "only_top.py")
    write(tmp_path, "pkg/only_top.py")
    write(tmp_path, "pkg/keep.gen.py")
    write(tmp_path, "pkg/drop.gen.py")
    write(tmp_path, "pkg/local_settings.py")
    write(tmp_path, "pkg/sub/local_x.py")
    write(tmp_path, "main.py")
    found = rels(list(iter_source_files([tmp_path], tmp_path)), tmp_path)
    assert found == ["main.py", "pkg/keep.gen.py", "pkg/only_top.py"]


def test_files_inside_ignored_directory_cannot_be_reincluded(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "out/\n!out/keep.py\n")
    write(tmp_path, "out/keep.py")
    rules = IgnoreRules(tmp_path)
    assert rules.is_ignored(tmp_path / "out" / "keep.py")


def test_git_info_exclude_is_honoured(tmp_path: Path) -> None:
    write(tmp_path, ".git/info/exclude", "scratch.py\n")
    write(tmp_path, "scratch.py")
    keep = write(tmp_path, "kept.py")
    assert list(iter_source_files([tmp_path], tmp_path)) == [keep]


def test_explicit_file_is_yielded_even_if_ignored_and_deduplicated(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "skip.py\n")
    skip = write(tmp_path, "skip.py")
    other = write(tmp_path, "other.py")
    found = list(iter_source_files([skip, tmp_path, other], tmp_path))
    assert found == [skip, other]


def test_missing_path_and_unknown_extension_are_skipped(tmp_path: Path) -> None:
    notes = write(tmp_path, "notes.txt")
    assert list(iter_source_files([tmp_path / "nope", notes], tmp_path)) == []


def test_symlinked_directory_loop_does_not_hang(tmp_path: Path) -> None:
    write(tmp_path, "a/m.py")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    found = rels(list(iter_source_files([tmp_path], tmp_path)), tmp_path)
    assert found == ["a/m.py"]


def test_relative_paths_resolve_from_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, ".gitignore", "secret_dir/\n")
    write(tmp_path, "secret_dir/a.py")
    monkeypatch.chdir(tmp_path)
    rules = IgnoreRules(tmp_path)
    assert rules.is_ignored(Path("secret_dir/a.py"))
    assert not rules.is_ignored(Path("a.py"))


def test_public_keys_and_examples_are_not_private(tmp_path: Path) -> None:
    rules = IgnoreRules(tmp_path)
    for rel in ("id_ed25519.pub", "keys/id_rsa.pub", "secrets.example.toml", "tokenizer.py"):
        assert not rules.is_private(write(tmp_path, rel)), rel


@pytest.mark.parametrize(
    "rel",
    [
        ".env",
        ".env.production",
        "config/.env.local",
        "certs/server.pem",
        "tls/server.key",
        "home/.ssh/id_rsa",
        "id_ed25519",
        "store.p12",
        "secrets.toml",
        "config/secrets.yml",
        "app/secrets.py",
        "deploy/kubeconfig",
        "home/.kube/config",
        ".vault-token",
        "infra/terraform.tfstate",
        "infra/terraform.tfstate.backup",
        "infra/prod.tfvars",
        "token.txt",
        "api_key.txt",
        ".aws/credentials",
        "deploy/credentials.json",
        "gcp/service-account-prod.json",
        ".netrc",
    ],
)
def test_private_files(tmp_path: Path, rel: str) -> None:
    path = write(tmp_path, rel)
    rules = IgnoreRules(tmp_path)
    assert rules.is_private(path)
    assert rules.is_secret(path)
    assert not rules.is_ignored(path)


def test_ignored_files_are_private_but_not_secret(tmp_path: Path) -> None:
    """``node_modules`` is ignored by its nature: its tsconfigs may be read, its .env not."""
    write(tmp_path, ".gitignore", "node_modules/\n")
    write(tmp_path, ".backend-lsp-ignore", "node_modules/@internal/\n")
    rules = IgnoreRules(tmp_path)
    config = write(tmp_path, "node_modules/@tsconfig/node20/tsconfig.json")
    assert rules.is_private(config) and not rules.is_secret(config)
    assert rules.is_secret(write(tmp_path, "node_modules/some-pkg/.env"))
    assert rules.is_secret(write(tmp_path, "node_modules/@internal/base/tsconfig.json"))


@pytest.mark.parametrize("rel", ["app/settings.py", "environment.py", "keys.py", "monkey.py"])
def test_ordinary_files_are_not_private(tmp_path: Path, rel: str) -> None:
    assert not IgnoreRules(tmp_path).is_private(write(tmp_path, rel))


def test_gitignored_and_project_ignore_files_are_private(tmp_path: Path) -> None:
    write(tmp_path, ".gitignore", "local.py\n")
    write(tmp_path, ".backend-lsp-ignore", "internal/\n*.secret.py\n")
    rules = IgnoreRules(tmp_path)
    assert rules.is_private(write(tmp_path, "local.py"))
    assert rules.is_private(write(tmp_path, "internal/deep/algo.py"))
    assert rules.is_private(write(tmp_path, "pkg/x.secret.py"))
    assert not rules.is_private(write(tmp_path, "pkg/public.py"))


def test_private_rules_apply_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = write(tmp_path, "elsewhere/.env")
    rules = IgnoreRules(root)
    assert rules.is_private(outside)
    assert not rules.is_ignored(write(tmp_path, "elsewhere/x.py"))


def test_read_source_plain_and_bom(tmp_path: Path) -> None:
    plain = write(tmp_path, "a.py", "name = 'é'\n")
    assert read_source(plain, 1000) == "name = 'é'\n"
    bom = tmp_path / "b.py"
    bom.write_bytes(codecs.BOM_UTF8 + b"x = 1\n")
    assert read_source(bom, 1000) == "x = 1\n"
    utf16 = tmp_path / "c.py"
    utf16.write_bytes("y = 'ü'\n".encode("utf-16"))
    assert read_source(utf16, 1000) == "y = 'ü'\n"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x7fELF\x00\x00\x01", "binary"),
        (b"x = '\xff\xfe\xfa'\n", "encoding"),
    ],
)
def test_read_source_rejects_binary_and_bad_encoding(
    tmp_path: Path, data: bytes, kind: str
) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    result = read_source(path, 1000)
    assert isinstance(result, SkipReason)
    assert result.kind == kind
    assert str(result).startswith(f"{path}: skipped (")


def test_read_source_too_large_and_unreadable(tmp_path: Path) -> None:
    big = write(tmp_path, "big.py", "x = 1\n" * 100)
    result = read_source(big, 50)
    assert isinstance(result, SkipReason) and result.kind == "too-large"
    assert "600 bytes" in result.detail
    missing = read_source(tmp_path / "missing.py", 50)
    assert isinstance(missing, SkipReason) and missing.kind == "unreadable"
    directory = read_source(tmp_path, 50)
    assert isinstance(directory, SkipReason) and directory.kind == "unreadable"


def test_explicitly_named_directory_is_walked_even_if_outer_gitignore_covers_it(
    tmp_path: Path,
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("vendor/\n")
    vendored = tmp_path / "vendor" / "lib"
    vendored.mkdir(parents=True)
    (vendored / "mod.py").write_text("x = 1\n")
    (vendored / "__pycache__").mkdir()
    (vendored / "__pycache__" / "mod.py").write_text("x = 1\n")
    assert list(iter_source_files([tmp_path], tmp_path)) == []
    assert list(iter_source_files([tmp_path / "vendor"], tmp_path)) == [vendored / "mod.py"]
