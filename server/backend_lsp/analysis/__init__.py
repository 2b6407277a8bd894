"""The offline analyzer: tree-sitter rules and sqlglot SQL checks. No LSP here."""
