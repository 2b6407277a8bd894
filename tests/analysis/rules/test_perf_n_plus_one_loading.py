"""BE004: a relationship's declared loading strategy, read from the models in another module.

``relationship(..., lazy="joined")`` (or ``selectin``/``subquery``/``immediate``, or a
``backref(..., lazy=...)``) loads the relation with the parent rows, so reading it per row runs
no query. ``lazy="select"`` (the default) and ``lazy="dynamic"`` still query once per row.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from perf_helpers import flagged, run

from backend_lsp.analysis.schema import WorkspaceSchema
from backend_lsp.analysis.schema_discovery import discover_schema

MODELS = """
from sqlalchemy import ForeignKey, Integer, Unicode
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.db import db


class Realm(db.Model):
    __tablename__ = "realm"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Unicode(255))
    resolver_list = relationship("ResolverRealm", lazy="select", back_populates="realm")


class Token(db.Model):
    __tablename__ = "token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(Unicode(40))
    info_list = relationship("TokenInfo", lazy="select", back_populates="token")
    owners = relationship("TokenOwner", lazy="dynamic", back_populates="token")


class TokenRealm(db.Model):
    __tablename__ = "tokenrealm"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[int] = mapped_column(Integer, ForeignKey("token.id"))
    realm_id: Mapped[int] = mapped_column(Integer, ForeignKey("realm.id"))
    token = relationship("Token", lazy="selectin")
    realm = relationship("Realm", lazy="joined")
    node = relationship("Node")
    policy = db.relationship("Policy", lazy=False)
    log = db.relationship("TokenLog", lazy=True)


class Container(db.Model):
    __tablename__ = "container"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owners: Mapped[list["ContainerOwner"]] = relationship(lazy="dynamic",
                                                          back_populates="container")
    states: Mapped[list["ContainerState"]] = relationship(lazy="dynamic")


class ContainerOwner(db.Model):
    __tablename__ = "containerowner"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    container_id: Mapped[int] = mapped_column(Integer, ForeignKey("container.id"))
    realm_id: Mapped[int] = mapped_column(Integer, ForeignKey("realm.id"))
    container: Mapped["Container"] = relationship(back_populates="owners")
    realm: Mapped["Realm"] = relationship(lazy="joined", backref="containerowners")


class ContainerState(db.Model):
    __tablename__ = "containerstate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    realm_id: Mapped[int] = mapped_column(Integer, ForeignKey("realm.id"))
    realm: Mapped["Realm"] = relationship()


class Machine(db.Model):
    __tablename__ = "machine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hostname: Mapped[str] = mapped_column(Unicode(255))
    options = relationship("MachineOption", backref=backref("machine", lazy="joined"))
    tags = relationship("MachineTag", backref=backref("machine", lazy="select"))
    logs = relationship("MachineLog", backref="machine")


class MachineOption(db.Model):
    __tablename__ = "machineoption"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(Integer, ForeignKey("machine.id"))


class MachineTag(db.Model):
    __tablename__ = "machinetag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(Integer, ForeignKey("machine.id"))


class MachineLog(db.Model):
    __tablename__ = "machinelog"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    machine_id: Mapped[int] = mapped_column(Integer, ForeignKey("machine.id"))
"""


def _known(tmp_path: Path) -> WorkspaceSchema:
    models = tmp_path / "app" / "models.py"
    models.parent.mkdir()
    models.write_text(textwrap.dedent(MODELS), encoding="utf-8")
    return discover_schema([models])


def _flagged(source: str, known: WorkspaceSchema) -> list[str]:
    return [flagged(f, source) for f in run("BE004", source, "app/lib/tokens.py", known)]


def test_schema_discovery_carries_the_declared_loading_strategy(tmp_path: Path) -> None:
    known = _known(tmp_path)
    token_realm = known.by_model("TokenRealm")
    assert token_realm is not None
    assert token_realm.loading == {
        "token": "selectin", "realm": "joined", "policy": "joined", "log": "select"
    }  # fmt: skip
    assert token_realm.loads_with_row("realm") and not token_realm.loads_with_row("node")
    option, log = known.by_model("MachineOption"), known.by_model("MachineLog")
    assert option is not None and log is not None
    assert option.loading == {"machine": "joined"}  # from backref("machine", lazy="joined")
    assert "machine" in log.relations and log.loading == {}


def test_joined_relation_of_rows_from_a_select_runs_no_query_per_row(tmp_path: Path) -> None:
    source = """
from sqlalchemy import select

from app.db import db
from app.models import TokenRealm


def realm_names(token):
    statement = select(TokenRealm).where(TokenRealm.token_id == token.id)
    existing_realms = db.session.scalars(statement).unique().all()
    names = {tr.realm.name for tr in existing_realms}
    serials = [tr.token.serial for tr in existing_realms]
    nodes = [tr.node.name for tr in existing_realms]
    policies = [tr.policy.name for tr in existing_realms]
    logs = [tr.log.text for tr in existing_realms]
    return names, serials, nodes, policies, logs
"""
    # realm (joined), token (selectin), policy (lazy=False: joined) come with the rows;
    # node (the default) and log (lazy=True: select) query per row
    assert _flagged(source, _known(tmp_path)) == ["tr.node", "tr.log"]


def test_lazy_select_and_dynamic_relations_stay_findings(tmp_path: Path) -> None:
    source = """
from app.models import Realm, Token


def resolver_counts():
    return {realm.name: len(realm.resolver_list) for realm in Realm.query.all()}


def owner_counts():
    return {token.serial: token.owners.count() for token in Token.query.all()}
"""
    assert _flagged(source, _known(tmp_path)) == ["realm.resolver_list", "token.owners"]


def test_related_rows_of_a_dynamic_manager_use_their_target_models_strategy(
    tmp_path: Path,
) -> None:
    source = """
class TokenContainerClass:
    def __init__(self, db_container):
        self._db_container = db_container

    @property
    def owner_realms(self):
        owners = self._db_container.owners.all()
        return {owner.realm.name for owner in owners if owner.realm}

    def state_realms(self):
        states = self._db_container.states.all()
        return {state.realm.name for state in states}
"""
    # ContainerOwner.realm is joined; ContainerState.realm is a plain lazy relationship
    assert _flagged(source, _known(tmp_path)) == ["state.realm"]


def test_backref_declares_the_reverse_accessors_strategy(tmp_path: Path) -> None:
    source = """
from app.models import MachineLog, MachineOption, MachineTag


def option_hosts():
    return [option.machine.hostname for option in MachineOption.query.all()]


def tag_hosts():
    return [tag.machine.hostname for tag in MachineTag.query.all()]


def log_hosts():
    return [log.machine.hostname for log in MachineLog.query.all()]
"""
    # backref("machine", lazy="select") is read as a reverse accessor too, and stays lazy
    assert _flagged(source, _known(tmp_path)) == ["tag.machine", "log.machine"]


def test_ddl_per_index_is_not_a_per_row_query() -> None:
    source = """
import sqlalchemy as sa


def replace_fts_indexes(connection, resource_id, current_indexes, unwanted):
    for fts_idx in current_indexes:
        if fts_idx in unwanted:
            connection.execute(sa.text(
                'DROP INDEX {0} CASCADE'.format(sa.column(fts_idx))))
    for name in current_indexes:
        connection.execute(sa.text(f'CREATE INDEX {name}_idx ON "{resource_id}" ({name})'))


def reload_rows(connection, current_indexes):
    for fts_idx in current_indexes:
        connection.execute(sa.text('SELECT * FROM "{0}"'.format(fts_idx)))
"""
    found = [flagged(f, source) for f in run("BE004", source)]
    # the SELECT per item stays a finding
    assert found == ["""connection.execute(sa.text('SELECT * FROM "{0}"'.format(fts_idx)))"""]
