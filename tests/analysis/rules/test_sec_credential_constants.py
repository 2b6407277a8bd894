"""BE008's incremental guard (credential_constants): the module string constants a
function passes as a credential, found without a whole-file node index per edit."""

from __future__ import annotations

import pytest

from backend_lsp.analysis.python import index as node_indexes
from backend_lsp.analysis.python.index import NodeIndex, restricted
from backend_lsp.analysis.python.nodes import node_text
from backend_lsp.analysis.rules.hardcoded_secret import (
    _credential_positions,
    _module_literals,
    credential_constants,
)
from backend_lsp.syntax.document import ParsedDocument

_SETTINGS = '''"""Service clients."""
import boto3
import psycopg

AWS_REGION = "eu-west-1"
AWS_SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCY"
DB_PASSWORD = "hunter2-prod-db-pass"
DB_PASSWORD_FILE = "/run/secrets/db"
API_TOKEN = "tok-live-3b1f9"
UNUSED_SECRET = "never-passed-anywhere"
LOG_PREFIX = "svc"

s3 = boto3.client("s3", region_name=AWS_REGION, aws_secret_access_key=AWS_SECRET)


class Repository:
    pool = psycopg.connect(host="db", password=DB_PASSWORD)  # a class attribute

    def reader(self):
        # a comment naming API_TOKEN, and a string: "token=API_TOKEN"
        return make_client(password_file=DB_PASSWORD_FILE, label=LOG_PREFIX)


def headers():
    def inner():
        return dict(token=(API_TOKEN))  # parenthesised: not a plain name
    return inner


@retry(api_key=API_TOKEN)
def ping(api_token=UNUSED_SECRET):
    return settings.API_TOKEN
'''

_JWT = """import jwt

SIGNING = "k3y-for-tokens"
ISSUER = "orders-service"


def read(raw):
    check = lambda: jwt.decode(raw, key=SIGNING, algorithms=["HS256"])
    return check(), jwt.encode({"iss": ISSUER}, SIGNING)
"""


def _oracle(source: bytes, root: object) -> tuple[bytes, ...]:
    """The guard's former definition: every keyword argument of the whole-file index."""
    literals = _module_literals(source, root)  # type: ignore[arg-type]
    if not literals:
        return ()
    with restricted(None):
        keywords = NodeIndex(root).of("keyword_argument")  # type: ignore[arg-type]
        return tuple(
            sorted(
                {
                    node_text(source, value).encode()
                    for value, _ in _credential_positions(source, root, keywords)  # type: ignore[arg-type]
                    if value.type == "identifier" and node_text(source, value) in literals
                }
            )
        )


@pytest.mark.parametrize("text", [_SETTINGS, _JWT], ids=["clients", "jwt"])
def test_credential_constants_equal_the_whole_index_scan(text: str) -> None:
    document = ParsedDocument(text, "python")
    root = document.root
    assert root is not None
    assert credential_constants(document.source, root) == _oracle(document.source, root)


def test_credential_constants_names() -> None:
    document = ParsedDocument(_SETTINGS, "python")
    assert document.root is not None
    # AWS_SECRET and DB_PASSWORD are secret-named keywords' values (at module level, in a
    # class body), api_key=API_TOKEN in a decorator; a parameter default, a parenthesised
    # value, an attribute, a comment and region_name= / password_file= are not.
    assert credential_constants(document.source, document.root) == (
        b"API_TOKEN",
        b"AWS_SECRET",
        b"DB_PASSWORD",
    )


def test_credential_constants_builds_no_whole_file_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """It runs on every edit of such a file: a whole-tree query each time cost ~15-35 ms
    on 5,000 lines."""
    built: list[object] = []
    original = NodeIndex.__init__

    def counting(self: NodeIndex, *args: object, **kwargs: object) -> None:
        built.append(args)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(NodeIndex, "__init__", counting)
    monkeypatch.setattr(node_indexes, "_INDEXES", node_indexes.SourceMemo())
    document = ParsedDocument(_SETTINGS, "python")
    assert document.root is not None
    assert credential_constants(document.source, document.root)
    assert built == []
