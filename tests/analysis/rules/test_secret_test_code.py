"""BE008: passwords the code itself says are test data (Flask test configs, self-tests,
test-data generators) are not leaked secrets; the same values in service code are."""

from __future__ import annotations

import textwrap

from tests.analysis.rule_helpers import flagged, run

from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import analyze_document
from backend_lsp.syntax.document import ParsedDocument

FLASK_CONFIGS = """
import os


class Config:
    SQLALCHEMY_TRACK_MODIFICATIONS = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "secret-key-for-testing-only-0123456789"


class ProductionConfig(Config):
    SECRET_KEY = "q8Zt3#mVw!9pLr2xY7bN"
"""

SELF_TEST = """
import logging

log = logging.getLogger(__name__)


class HardwareSecurityModule:
    def __init__(self, config):
        self.password = config.get("password")


def default_module():
    return HardwareSecurityModule({"module": "/usr/lib/pkcs11.so", "password": "hsm-Pin-7731!"})


if __name__ == "__main__":
    logging.basicConfig()
    p = HardwareSecurityModule({"module": "/usr/lib/pkcs11.so", "password": "12345678"})
    password = "topSekr3t"
    assert p.password != password
    github_token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
"""

TEST_DATA = """
from ckan import model


def create_users():
    model.Session.add_all([
        model.User(name="joeadmin", password="joeadmin-Pw#1"),
        model.User(name="annafan", about="I love reading Annakarenina.", password="annafan-Pw#2"),
    ])
    model.repo.commit_and_remove()
"""


def _lines(source: str, path: str = "privacyidea/config.py") -> list[str]:
    text = textwrap.dedent(source)
    return [flagged(f, text) for f in run("BE008", text, path)]


def test_a_testing_config_class_is_not_a_leak_but_production_is() -> None:
    assert _lines(FLASK_CONFIGS) == ['"q8Zt3#mVw!9pLr2xY7bN"']


def test_a_vendor_token_in_a_testing_config_stays_flagged() -> None:
    token = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    source = FLASK_CONFIGS + f'\nclass TestConfig(Config):\n    GITHUB_TOKEN = "{token}"\n'
    assert f'"{token}"' in _lines(source)


def test_self_test_block_guesses_are_quiet_vendor_tokens_and_module_code_are_not() -> None:
    found = _lines(SELF_TEST, "privacyidea/lib/security/aeshsm.py")
    assert any('"hsm-Pin-7731!"' in line for line in found)  # module function: real config
    assert any("ghp_" in line for line in found)  # a vendor token leaks wherever it is
    assert not any("12345678" in line or "topSekr3t" in line for line in found)


def test_a_test_data_generator_module_is_fixture_code() -> None:
    document = ParsedDocument(textwrap.dedent(TEST_DATA), "python")
    settings = AnalysisSettings()

    def codes(path: str) -> list[str]:
        return [f.code for f in analyze_document(path, document, settings)]

    assert "BE008" not in codes("ckan/lib/create_test_data.py")
    assert "BE008" not in codes("shop/load_sample_data.py")
    assert "BE008" in codes("ckan/lib/create_users.py")
