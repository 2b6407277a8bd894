"""Where code lives changes what a finding means: paths, rule defaults, configuration."""

from __future__ import annotations

import textwrap

import pytest

from backend_lsp.analysis.model import Severity
from backend_lsp.analysis.python.paths import Location, location_kinds
from backend_lsp.config import AnalysisSettings
from backend_lsp.engine import IncrementalAnalyzer, analyze_document
from backend_lsp.syntax.document import ParsedDocument

N_PLUS_ONE = textwrap.dedent(
    """
    from shop.models import Customer, Order

    def backfill_totals(shop):
        for order in Order.objects.filter(shop=shop):
            customer = Customer.objects.get(pk=order.customer_id)
            print(customer.email)
    """
)

FIXTURE_PASSWORD = 'ADMIN_PASSWORD = "Tr0ub4dor&3-horse"\n'


@pytest.mark.parametrize(
    ("path", "kinds"),
    [
        ("shop/migrations/0007_backfill_totals.py", {Location.MIGRATIONS}),
        ("alembic/versions/4f2a_add_column.py", {Location.MIGRATIONS}),
        ("src/app/db/migrations/versions/2024_01_02_add.py", {Location.MIGRATIONS}),
        ("app/database/_migrations/versions/sqlite/2024_add.py", {Location.MIGRATIONS}),
        ("superset/migrations/shared/utils.py", {Location.MIGRATIONS}),
        ("wallet/core/migrations.py", {Location.MIGRATIONS}),
        ("shop/tests/test_checkout.py", {Location.TESTS}),
        ("shop/conftest.py", {Location.TESTS}),
        ("shop/pytest_plugin.py", {Location.TESTS}),  # fixtures shipped via pytest11
        ("shop/plugin.py", set()),
        ("shop/plugins/pytest_support.py", set()),
        ("shop/management/commands/rebuild_index.py", {Location.SCRIPTS}),
        ("scripts/rotate_keys.py", {Location.SCRIPTS}),
        ("shop/factories.py", {Location.FIXTURES}),
        ("wallet/commands.py", {Location.SCRIPTS}),
        ("shop/cli.py", {Location.SCRIPTS}),
        ("shop/manage.py", {Location.SCRIPTS}),
        ("reports/utils/mock_data.py", {Location.FIXTURES}),
        ("ckan/lib/create_test_data.py", {Location.FIXTURES}),  # a test-data generator
        ("ckan/lib/test_data_access.py", {Location.TESTS}),
        ("shop/commands/orders/create.py", set()),  # command-pattern classes called by views
        ("shop/command_bus.py", set()),
        ("project/settings/production.py", {Location.SETTINGS}),
        ("tests/settings.py", {Location.TESTS, Location.SETTINGS}),
        ("shop/views.py", set()),
        ("shop/migrations/__init__.py", set()),
        ("shop/versions.py", set()),
    ],
)
def test_location_kinds_follow_framework_conventions(path: str, kinds: set[Location]) -> None:
    assert location_kinds(path) == kinds


def _codes(path: str, source: str, settings: AnalysisSettings | None = None) -> list[str]:
    document = ParsedDocument(source, "python")
    return [f.code for f in analyze_document(path, document, settings or AnalysisSettings())]


def test_loop_in_a_migration_or_test_is_not_a_production_n_plus_one() -> None:
    assert "BE004" in _codes("shop/services/totals.py", N_PLUS_ONE)
    assert "BE004" not in _codes("shop/migrations/0007_backfill_totals.py", N_PLUS_ONE)
    assert "BE004" not in _codes("shop/tests/test_totals.py", N_PLUS_ONE)


def test_fixtures_in_a_packaged_pytest_plugin_are_test_code() -> None:
    fixture = textwrap.dedent(
        """
        import pytest
        import requests

        @pytest.fixture(scope="session")
        def api_schema(api_url):
            return requests.get(f"{api_url}docs/api.json").json()
        """
    )
    assert "BE007" in _codes("shop/clients/schema.py", fixture)
    assert "BE007" not in _codes("shop/pytest_plugin.py", fixture)


def test_management_command_n_plus_one_is_skipped_unless_configured() -> None:
    path = "shop/management/commands/backfill.py"
    assert "BE004" not in _codes(path, N_PLUS_ONE)
    document = ParsedDocument(N_PLUS_ONE, "python")
    settings = AnalysisSettings(locations={"scripts": {"BE004": "info"}})
    found = [f for f in analyze_document(path, document, settings) if f.code == "BE004"]
    assert found and all(f.severity is Severity.INFORMATION for f in found)


CLI_WIPE = textwrap.dedent(
    """
    import click
    from wallet.core import db

    @click.command("delete-settings")
    async def delete_settings():
        async with db.connect() as conn:
            await conn.execute("DELETE FROM system_settings")
    """
)


def test_cli_command_that_wipes_a_table_on_purpose_is_not_an_unsafe_write() -> None:
    assert "BE003" in _codes("wallet/core/services.py", CLI_WIPE)
    assert "BE003" not in _codes("wallet/commands.py", CLI_WIPE)
    assert "BE003" not in _codes("wallet/cli.py", CLI_WIPE)


def test_fixture_password_in_tests_is_not_a_leaked_secret() -> None:
    assert "BE008" in _codes("shop/accounts.py", FIXTURE_PASSWORD)
    assert "BE008" not in _codes("shop/tests/test_login.py", FIXTURE_PASSWORD)
    assert "BE008" not in _codes("shop/fixtures/users.py", FIXTURE_PASSWORD)


def test_configuration_overrides_a_rule_default_per_location() -> None:
    settings = AnalysisSettings.model_validate(
        {"locations": {"migrations": {"be004": "warning"}, "tests": {"BE008": "report"}}}
    )
    assert "BE004" in _codes("shop/migrations/0007_backfill_totals.py", N_PLUS_ONE, settings)
    assert "BE008" in _codes("shop/tests/test_login.py", FIXTURE_PASSWORD, settings)


def test_an_unknown_location_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="locations"):
        AnalysisSettings.model_validate({"locations": {"migraitons": {"BE004": "skip"}}})


def test_incremental_analysis_applies_the_same_locations() -> None:
    document = ParsedDocument(N_PLUS_ONE, "python")
    settings = AnalysisSettings()
    for path in ("shop/migrations/0007_backfill_totals.py", "shop/services/totals.py"):
        incremental = IncrementalAnalyzer().analyze(path, document, settings)
        assert incremental == analyze_document(path, document, settings)


TEST_APP_VIEW = textwrap.dedent(
    """
    from django.http import HttpResponse

    def archive(request):
        return HttpResponse("<h1>Archive " + request.GET["year"] + "</h1>")
    """
)


def test_injection_in_a_test_apps_view_serves_no_visitor() -> None:
    assert "BE020" in _codes("blog/views.py", TEST_APP_VIEW)
    assert "BE020" not in _codes("wagtail/test/routablepage/views.py", TEST_APP_VIEW)
    assert "BE020" not in _codes("blog/tests/test_archive.py", TEST_APP_VIEW)


def test_folders_above_the_project_root_say_nothing_about_its_code(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A checkout kept under ``~/tools/`` or ``~/test/`` is neither scripts nor tests: the
    roles are read from the path inside the project."""
    for folder, source, code in (
        ("tools", N_PLUS_ONE, "BE004"),
        ("test", FIXTURE_PASSWORD, "BE008"),
        ("demo", FIXTURE_PASSWORD, "BE008"),
    ):
        root = tmp_path / folder / "shop"
        path = str(root / "shop" / "services.py")
        document = ParsedDocument(source, "python")
        found = analyze_document(path, document, AnalysisSettings(), root=root)
        assert code in [f.code for f in found], folder
        inside = str(root / folder / "services.py")  # the same folder inside the project counts
        found = analyze_document(inside, document, AnalysisSettings(), root=root)
        assert code not in [f.code for f in found], folder


DEV_SETTINGS = textwrap.dedent(
    """
    # Quick-start development settings - unsuitable for production
    SECRET_KEY = "1znyfpwp*_#!r0#l248lht*6)_0b+504n*2-8cxf(2u)fhi0f^"
    DEBUG = True
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "PASSWORD": "s3cure-Pa55"}}
    """
)


@pytest.mark.parametrize("folder", ["devproject", "sandbox", "example_project", "dev"])
def test_a_dev_projects_settings_are_local_defaults(folder: str) -> None:
    assert {"BE008", "BE009"} <= set(_codes("forum/settings.py", DEV_SETTINGS))
    assert not {"BE008", "BE009"} & set(_codes(f"{folder}/settings.py", DEV_SETTINGS))


def test_a_vendor_key_in_a_dev_project_is_still_a_leak() -> None:
    source = 'STRIPE_API_KEY = "sk_live_' + "51HqLyjWDarjtT1zdp7dcXJ2" + '"\n'
    assert "BE008" in _codes("devproject/settings.py", source)
