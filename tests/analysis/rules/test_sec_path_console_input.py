"""BE018: a path typed at the console by the operator running the program is not an attack.

A CA connector's setup wizard (run from the app's management CLI) asks where to create the
CA with ``input()`` and creates that directory: the person choosing the path is the one
running the process, so ``../`` reaches nothing they could not reach already. The same
path from a web request, or the console value joined with request data, stays a finding;
``input()`` stays a source for the other categories (a shell command built from it).
"""

from __future__ import annotations

from rule_helpers import run

WIZARD = '''\
import os
from pathlib import Path


class CAConfig:
    def __init__(self, name):
        self.name = name
        self.directory = "./ca"
        self.keysize = 2048


def create_ca(name):
    """Ask the operator for the CA settings, then create the CA on disk."""
    config = CAConfig(name)
    while True:
        directory = input(f"In which directory do you want to create the CA [{config.directory}]: ")
        config.directory = directory or config.directory
        if not config.directory.startswith("/"):
            config.directory = os.path.abspath(config.directory)
        keysize = input(f"Key size (2048/4096) [{config.keysize}]: ")
        config.keysize = keysize or config.keysize
        if input("Is this configuration correct? [y/n] ").lower() == "y":
            break
    Path(config.directory).mkdir(parents=True, exist_ok=True)
    with open(os.path.join(config.directory, "openssl.cnf"), "w") as f:
        f.write(render_openssl_cnf(config))
    return config
'''


def test_a_path_the_operator_types_at_the_console_is_not_flagged() -> None:
    assert run("BE018", WIZARD) == []


def test_the_same_path_from_a_request_stays_a_finding() -> None:
    source = """\
import os
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)


@app.post("/ca")
def create_ca():
    directory = request.form["directory"]
    Path(directory).mkdir(parents=True, exist_ok=True)
    return "created"
"""
    assert len(run("BE018", source)) == 1


def test_console_input_joined_with_request_data_stays_a_finding() -> None:
    source = """\
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/export")
def export():
    base = input("Export directory: ")
    name = request.args["name"]
    with open(os.path.join(base, name), "w") as f:
        f.write("rows")
    return "ok"
"""
    assert len(run("BE018", source)) == 1


def test_console_input_is_still_a_source_for_a_shell_command() -> None:
    source = """\
import subprocess


def backup():
    target = input("Backup target host: ")
    subprocess.run(f"rsync -a /var/lib/app {target}:/backups", shell=True)
"""
    assert len(run("BE016", source)) == 1
