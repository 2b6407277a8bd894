"""Routes: full paths through router prefixes and includes, handlers, dependencies, tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_lsp.cli import main
from backend_lsp.index import WorkspaceIndex


def _routes(root: Path) -> dict[tuple[str, str], dict[str, object]]:
    index = WorkspaceIndex(root, persist=False)
    index.build(workers=1)
    return {(r.method, r.path): r.to_json() for r in index.view().routes.routes}


def test_fastapi_prefixes_dependencies_and_tables(fastapi_root: Path) -> None:
    routes = _routes(fastapi_root)
    create = routes[("POST", "/api/v1/items/")]
    assert create["handler"] == "create_item" and create["file"] == "app/api/routes/items.py"
    assert create["dependencies"] == ["SessionDep", "CurrentUser"]
    assert create["models"] == [{"model": "Item", "table": "item", "access": "write"}]
    assert routes[("GET", "/api/v1/items/{id}")]["models"] == [
        {"model": "Item", "table": "item", "access": "read"}
    ]
    assert ("POST", "/api/v1/login/access-token") in routes  # router without a prefix
    assert len(routes) == 7


def test_explicit_depends_in_decorator_and_parameters(fastapi_root: Path) -> None:
    extra = fastapi_root / "app" / "api" / "routes" / "admin.py"
    extra.write_text(
        "from fastapi import APIRouter, Depends\n"
        "from app.api.deps import get_current_active_superuser, get_db\n"
        "router = APIRouter(prefix='/admin')\n"
        "@router.get('/stats', dependencies=[Depends(get_current_active_superuser)])\n"
        "def stats(db=Depends(get_db)):\n    return {}\n"
    )
    main_py = fastapi_root / "app" / "api" / "main.py"
    main_py.write_text(
        main_py.read_text().replace("items, login", "admin, items, login")
        + "api_router.include_router(admin.router, prefix='/internal')\n"
    )
    route = _routes(fastapi_root)[("GET", "/api/v1/internal/admin/stats")]
    assert route["dependencies"] == ["get_db", "get_current_active_superuser"]


def test_django_includes_drf_router_and_src_layout(django_root: Path) -> None:
    routes = _routes(django_root)
    detail = routes[("PATCH", "/api/products/{pk}/")]
    assert detail["file"] == "src/shop/views.py" and detail["dependencies"] == ["IsStaffOrReadOnly"]
    tables = {m["table"] for m in detail["models"]}  # type: ignore[union-attr]
    assert {"shop_product", "order"} <= tables  # db_table honoured; Order via the service
    assert routes[("ANY", "/blog/<int:pk>/")]["handler"] == "views.post_detail"
    order = routes[("POST", "/api/products/{pk}/order/")]  # @action(detail=True)
    assert order["handler"] == "ProductViewSet.order" and order["line"] == 17
    assert order["dependencies"] == ["IsStaffOrReadOnly"]
    assert routes[("GET", "/api/categories/")]["handler"] == "views.CategoryList"  # generic view
    assert routes[("GET", "/api/low-stock/")]["handler"] == "views.low_stock"  # @api_view
    assert not any(path == "" for _method, path in routes)


def test_routes_cli_json_and_text(fastapi_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["routes", str(fastapi_root / "app" / "api" / "routes" / "login.py"), "--json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert {r["path"] for r in data["routes"]} == {
        "/api/v1/login/access-token",
        "/api/v1/login/test-token",
    }
    assert main(["routes", str(fastapi_root)]) == 0
    out = capsys.readouterr().out
    assert "DELETE  /api/v1/items/{id}  -> app/api/routes/items.py:54 delete_item" in out
    assert main(["routes", str(fastapi_root / "missing")]) == 2


def test_many_routes_come_sorted_by_path_then_method_ties_in_file_order(tmp_path: Path) -> None:
    """Past one sort slice (1,000 routes) the merged order is still exactly ``sorted``'s."""
    for n in range(3):
        lines = ["from fastapi import APIRouter", "router = APIRouter()"]
        for i in range(450):
            for verb in ("post", "get"):
                lines += [
                    f"@router.{verb}('/items/{i % 40}')",
                    f"def h{verb}_{n}_{i}():",
                    "    ...",
                ]
        (tmp_path / f"api{n}.py").write_text("\n".join(lines) + "\n")
    index = WorkspaceIndex(tmp_path, persist=False)
    index.build(workers=1)
    found = index.view().routes.routes
    assert len(found) == 2_700
    pairs = [(r.path, r.method) for r in found]
    assert pairs == sorted(pairs)
    handlers = [r.handler.symbol.name for r in found if r.handler and r.handler.symbol]
    first = [h for h in handlers if h.startswith("hget_") and h.endswith(("_0", "_40"))]
    assert first[:6] == ["hget_0_0", "hget_0_40", "hget_1_0", "hget_1_40", "hget_2_0", "hget_2_40"]
