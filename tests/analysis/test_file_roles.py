"""A migration is a migration wherever it lives: its content says so, not only its folder."""

from __future__ import annotations

import textwrap

import pytest

from backend_lsp.analysis.python.paths import Location
from backend_lsp.analysis.python.roles import file_kinds
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer, analyze_document
from backend_lsp.index.python import extract_python
from backend_lsp.syntax.document import ParsedDocument

# An Alembic revision kept where ckan keeps them (``<pkg>/migration/versions/``): a data
# backfill of the column it has just added.
ALEMBIC_BACKFILL = textwrap.dedent(
    '''
    """Add metadata_modified to resource

    Revision ID: 588d7cfb9a41
    Revises: 1fab0bc6439e
    """
    from alembic import op
    import sqlalchemy as sa

    revision = "588d7cfb9a41"
    down_revision = "1fab0bc6439e"
    branch_labels = None
    depends_on = None


    def upgrade():
        op.add_column("resource", sa.Column("metadata_modified", sa.TIMESTAMP))
        op.execute("UPDATE resource SET metadata_modified = created")


    def downgrade():
        op.drop_column("resource", "metadata_modified")
    '''
)

# The typed template of newer Alembic (``revision: str = ...``), raw SQL through the
# connection, and no ``op`` import at all.
ALEMBIC_TYPED = textwrap.dedent(
    """
    from typing import Sequence, Union

    from sqlalchemy import text

    from alembic import context

    revision: str = "f9bf3d5c4b4d"
    down_revision: Union[str, None] = "d85ce5783688"


    def upgrade() -> None:
        connection = context.get_bind()
        connection.execute(text("update activity set timestamp = timestamp + interval '1 hour'"))
    """
)

# The same statement in a service module: a real whole-table write.
SERVICE_WRITE = textwrap.dedent(
    """
    from sqlalchemy import text

    from ckanext.shop.model import meta


    def reset_resources():
        meta.Session.execute(text("UPDATE resource SET metadata_modified = created"))
    """
)

DJANGO_MIGRATION = textwrap.dedent(
    """
    from django.db import migrations

    from shop.models import Customer, Order


    def backfill_totals(apps, _):
        for order in Order.objects.filter(total_owner=""):
            customer = Customer.objects.get(pk=order.customer_id)
            print(customer.email)


    class Migration(migrations.Migration):
        dependencies = [("shop", "0006_order_total_owner")]
        operations = [migrations.RunPython(backfill_totals)]
    """
)


def _codes(path: str, source: str) -> list[str]:
    document = ParsedDocument(source, "python")
    return [f.code for f in analyze_document(path, document, AnalysisSettings())]


def _kinds(path: str, source: str) -> frozenset[Location]:
    document = ParsedDocument(source, "python")
    return file_kinds(path, document.source, document.root)


@pytest.mark.parametrize(
    "path",
    [
        "ckan/migration/versions/094_588d7cfb9a41_add_metadata_modified.py",
        "shop/db/revisions/588d7cfb9a41_backfill.py",
        "backfill.py",
    ],
)
def test_an_alembic_backfill_is_not_an_unsafe_write_in_any_folder(path: str) -> None:
    assert _kinds(path, ALEMBIC_BACKFILL) == {Location.MIGRATIONS}
    assert "BE003" not in _codes(path, ALEMBIC_BACKFILL)


def test_the_typed_alembic_template_is_a_revision_too() -> None:
    path = "ckan/migration/versions/085_f9bf3d5c4b4d_adjust_activity_timestamps.py"
    assert "BE003" not in _codes(path, ALEMBIC_TYPED)


def test_the_same_write_in_service_code_stays_flagged() -> None:
    assert "BE003" in _codes("ckanext/shop/logic/resources.py", SERVICE_WRITE)
    # A "versions" folder is not a migration folder by itself (API versions, document history).
    assert "BE003" in _codes("ckanext/shop/api/versions/v2.py", SERVICE_WRITE)
    assert _kinds("ckanext/shop/api/versions/v2.py", SERVICE_WRITE) == frozenset()


def test_a_revision_number_alone_does_not_make_a_migration() -> None:
    # Document history with ``revision`` and ``down_revision`` names, but no Alembic upgrade.
    history = SERVICE_WRITE + '\nrevision = "3"\ndown_revision = "2"\n'
    assert _kinds("ckanext/shop/history.py", history) == frozenset()
    assert "BE003" in _codes("ckanext/shop/history.py", history)


def test_a_django_migration_outside_migrations_folder_is_one_off_data_code() -> None:
    assert _kinds("shop/schema_steps/0007_backfill.py", DJANGO_MIGRATION) == {Location.MIGRATIONS}
    assert "BE004" not in _codes("shop/schema_steps/0007_backfill.py", DJANGO_MIGRATION)
    service = DJANGO_MIGRATION.split("class Migration")[0]
    assert "BE004" in _codes("shop/schema_steps/backfill.py", service)


def test_incremental_analysis_follows_a_file_that_becomes_a_revision() -> None:
    path = "shop/db/revisions/588d7cfb9a41_backfill.py"
    analyzer = IncrementalAnalyzer()
    settings = AnalysisSettings()
    before = analyzer.analyze(path, ParsedDocument(SERVICE_WRITE, "python"), settings)
    assert "BE003" in [f.code for f in before]
    after = analyzer.analyze(path, ParsedDocument(ALEMBIC_BACKFILL, "python"), settings)
    assert "BE003" not in [f.code for f in after]


def test_the_index_records_tables_of_a_revision_in_any_folder() -> None:
    document = ParsedDocument(ALEMBIC_BACKFILL, "python")
    assert document.root is not None
    rel = "ckan/migration/versions/094_588d7cfb9a41_add_metadata_modified.py"
    assert extract_python(document.source, document.root, rel).migration_tables == ("resource",)
    calls = 'from shop import op\n\ndef add():\n    op.add_column("resource", None)\n'
    other = ParsedDocument(calls, "python")
    assert other.root is not None
    facts = extract_python(other.source, other.root, "shop/api/versions/v2.py")
    assert facts.migration_tables == ()
