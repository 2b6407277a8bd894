"""BE004: rows of ``self.<relation>`` in a model's method are that relation's target model.

Two models may declare a relation of the same name leading to different models (a domain's
``members`` and a group's ``members``). In ``Domain.realm_names`` the rows are
``DomainMember`` rows, whose ``realm`` is ``lazy="joined"``: reading it per row runs no query,
whatever ``GroupMember`` declares (the member models live in another module, so only the
workspace schema knows how they load). The group's own method, over lazily loaded realms,
stays a finding.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from perf_helpers import flagged, run

from backend_lsp.analysis.schema_discovery import discover_schema

MODELS = """
from sqlalchemy import ForeignKey, Integer, Unicode
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import db


class Realm(db.Model):
    __tablename__ = "realm"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Unicode(255))


class Domain(db.Model):
    __tablename__ = "domain"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    members: Mapped[list["DomainMember"]] = relationship(lazy="dynamic")

    def realm_names(self):
        return {member.realm.name for member in self.members.all()}


class Group(db.Model):
    __tablename__ = "usergroup"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    members: Mapped[list["GroupMember"]] = relationship(lazy="dynamic")

    def realm_names(self):
        return {member.realm.name for member in self.members.all()}
"""

MEMBERS = """
from sqlalchemy import ForeignKey, Integer, Unicode
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import db


class DomainMember(db.Model):
    __tablename__ = "domainmember"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    domain_id: Mapped[int] = mapped_column(Integer, ForeignKey("domain.id"))
    realm_id: Mapped[int] = mapped_column(Integer, ForeignKey("realm.id"))
    realm: Mapped["Realm"] = relationship(lazy="joined")


class GroupMember(db.Model):
    __tablename__ = "groupmember"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(Integer, ForeignKey("usergroup.id"))
    realm_id: Mapped[int] = mapped_column(Integer, ForeignKey("realm.id"))
    realm: Mapped["Realm"] = relationship()
"""


def test_own_relations_target_decides_the_loading_strategy(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    folder.mkdir()
    source = textwrap.dedent(MODELS)
    (folder / "models.py").write_text(source, encoding="utf-8")
    (folder / "members.py").write_text(textwrap.dedent(MEMBERS), encoding="utf-8")
    known = discover_schema([folder / "models.py", folder / "members.py"])
    findings = run("BE004", source, "app/models.py", known)
    assert [flagged(f, source) for f in findings] == ["member.realm"]
    assert findings[0].start > source.index("class Group(")  # Group's rows, not Domain's
