"""The Go stack in the index: definitions, go.mod imports, routes with group prefixes, GORM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from index_helpers import built_index, resolved
from tests.tree_files import write_tree

from backend_lsp.cli import main
from backend_lsp.index.gorm import gorm_table
from backend_lsp.index.resolve import Target


def test_definitions_and_what_is_left_out(go_root: Path) -> None:
    index = built_index(go_root)
    assert index.files["go.mod"].package == "example.com/shop"
    items = index.files["handlers/items.go"]
    assert items.package == "handlers"
    kinds = {s.qualname: (s.kind, s.type) for s in items.symbols}
    assert kinds["ItemHandler"] == ("struct", "")
    assert kinds["ItemHandler.svc"] == ("field", "service.ItemService")
    assert kinds["ItemHandler.List"] == ("method", "")
    assert kinds["NewItemHandler"] == ("function", "ItemHandler")
    assert {i.module for i in items.imports} >= {"example.com/shop/service", "net/http"}
    order = {s.qualname: s for s in index.files["models/order.go"].symbols}
    assert order["Order.TableName"].kind == "method"
    repo = {s.qualname: s.kind for s in index.files["service/items.go"].symbols}
    assert repo["ErrInvalidPrice"] == "variable"
    # the receiver is read as its type: h.svc.CreateItem is ItemHandler.svc.CreateItem
    create = next(s for s in items.symbols if s.qualname == "ItemHandler.Create")
    assert "ItemHandler.svc.CreateItem" in create.uses and "models.Item" in create.uses
    assert "internal/mailer/zz_generated.go" not in index.files  # Code generated ... DO NOT EDIT
    assert not any(rel.startswith("vendor/") for rel in index.files)


def test_names_resolve_through_go_mod_fields_and_results(go_root: Path) -> None:
    index = built_index(go_root)
    cases = {
        ("handlers/items.go", "ItemHandler.svc.CreateItem"): (
            "service/items.go",
            "ItemService.CreateItem",
        ),
        ("service/items.go", "ItemService.repo.Insert"): ("repo/items.go", "ItemRepo.Insert"),
        ("main.go", "handlers.NewItemHandler().List"): ("handlers/items.go", "ItemHandler.List"),
        ("service/items.go", "models.Item"): ("models/item.go", "Item"),
        ("handlers/items.go", "Health"): ("handlers/health.go", "Health"),  # same package
        ("main.go", "middleware.RequireToken"): ("middleware/auth.go", "RequireToken"),
    }
    for (rel, name), expected in cases.items():
        assert resolved(index, rel, name) == expected, (rel, name)
    assert resolved(index, "handlers/items.go", "gin.Context") is None  # not in the workspace
    assert resolved(index, "repo/items.go", "ItemRepo.db.Create") is None


def test_gin_routes_have_full_paths_handlers_and_tables(
    go_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["routes", str(go_root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["root"] == str(go_root.resolve())  # go.mod marks the project
    routes = {(r["method"], r["path"]): r for r in data["routes"]}
    assert set(routes) == {
        ("GET", "/health"),
        ("GET", "/api/v1/items"),
        ("GET", "/api/v1/items/:id"),
        ("POST", "/api/v1/items"),
        ("GET", "/api/v1/orders"),  # RegisterOrderRoutes(v1.Group("/orders"))
        ("DELETE", "/api/v1/orders/:id"),
    }
    get = routes[("GET", "/api/v1/items/:id")]
    assert get["handler"] == "ItemHandler.Get" and get["file"] == "handlers/items.go"
    assert get["framework"] == "gin"
    assert get["dependencies"] == ["middleware.RequireToken"]  # v1.Use(...)
    assert get["models"] == [{"model": "Item", "table": "items", "access": "read"}]
    create = routes[("POST", "/api/v1/items")]  # handler -> service -> repo's db.Create
    assert create["models"] == [{"model": "Item", "table": "items", "access": "write"}]
    assert routes[("GET", "/health")]["dependencies"] == []


def test_gorm_models_tables_and_columns(go_root: Path) -> None:
    (go_root / "models" / "coupon.go").write_text(
        "package models\n\ntype Coupon struct {\n\tCode string\n}\n"
    )
    main_go = go_root / "main.go"
    main_go.write_text(
        main_go.read_text().replace("&models.Order{}", "&models.Order{}, &models.Coupon{}")
    )
    resolver = built_index(go_root).view().resolver
    assert resolver.tables_in("models/item.go") == {"Item": "items"}  # embeds gorm.Model
    assert resolver.tables_in("models/order.go") == {"Order": "shop_orders"}  # TableName()
    assert resolver.tables_in("models/coupon.go") == {"Coupon": "coupons"}  # AutoMigrate only
    assert resolver.tables_in("models/audit.go") == {}  # a plain struct is no model
    item = resolver.files["models/item.go"].models[0]
    assert item.orm == "gorm"
    assert item.columns == ("id", "created_at", "updated_at", "deleted_at", "title", "price_cents")
    # Tags is a many2many association, not a column; Tag is not migrated
    assert resolver.tables_in("models/item.go").get("Tag") is None


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("Item", "items"),
        ("OrderItem", "order_items"),
        ("Category", "categories"),
        ("Address", "addresses"),
        ("HTTPLog", "http_logs"),
        ("Person", "people"),
        ("Day", "days"),
    ],
)
def test_gorm_default_table_names(name: str, table: str) -> None:
    assert gorm_table(name) == table


def _route_set(root: Path) -> dict[tuple[str, str], str]:
    routes = built_index(root).view().routes.routes
    return {(r.method, r.path): r.handler_name for r in routes}


def test_echo_chi_and_net_http_routes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "go.mod": "module github.com/acme/api\n\ngo 1.22\n",
            "echoapp/main.go": """package echoapp

import "github.com/labstack/echo/v4"

func Start() {
	e := echo.New()
	admin := e.Group("/admin", requireAdmin)
	admin.GET("/users/:id", getUser, audit)
	e.POST("/login", login)
}

func getUser(c echo.Context) error { return nil }
func login(c echo.Context) error   { return nil }
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc { return next }
func audit(next echo.HandlerFunc) echo.HandlerFunc        { return next }
""",
            "chiapp/router.go": """package chiapp

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func Router() http.Handler {
	r := chi.NewRouter()
	r.Route("/articles", func(r chi.Router) {
		r.Get("/", listArticles)
		r.Route("/{articleID}", func(r chi.Router) {
			r.With(paginate).Get("/comments", listComments)
			r.Delete("/", deleteArticle)
		})
	})
	r.Group(func(r chi.Router) {
		r.Post("/upload", upload)
	})
	r.Mount("/admin", adminRouter())
	return r
}

func adminRouter() http.Handler {
	r := chi.NewRouter()
	r.Get("/stats", stats)
	return r
}

func listArticles(w http.ResponseWriter, r *http.Request)  {}
func listComments(w http.ResponseWriter, r *http.Request)  {}
func deleteArticle(w http.ResponseWriter, r *http.Request) {}
func upload(w http.ResponseWriter, r *http.Request)        {}
func stats(w http.ResponseWriter, r *http.Request)         {}
func paginate(next http.Handler) http.Handler              { return next }
""",
            "stdlib/server.go": """package stdlib

import "net/http"

func Serve() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", getItem)
	mux.HandleFunc("POST /items", createItem)
	mux.Handle("/static/", http.FileServer(http.Dir("static")))
	http.HandleFunc("/healthz", healthz)
}

func getItem(w http.ResponseWriter, r *http.Request)    {}
func createItem(w http.ResponseWriter, r *http.Request) {}
func healthz(w http.ResponseWriter, r *http.Request)    {}
""",
        },
    )
    routes = _route_set(tmp_path)
    assert routes[("GET", "/admin/users/:id")] == "getUser"  # echo: handler first
    assert routes[("POST", "/login")] == "login"
    assert routes[("GET", "/articles/")] == "listArticles"
    assert routes[("GET", "/articles/{articleID}/comments")] == "listComments"
    assert routes[("DELETE", "/articles/{articleID}/")] == "deleteArticle"
    assert routes[("POST", "/upload")] == "upload"
    assert routes[("GET", "/admin/stats")] == "stats"  # r.Mount("/admin", adminRouter())
    assert routes[("GET", "/items/{id}")] == "getItem"  # Go 1.22 method pattern
    assert routes[("POST", "/items")] == "createItem"
    assert routes[("ANY", "/healthz")] == "healthz"
    assert ("ANY", "/static/") in routes
    resolved = {(r.method, r.path): r for r in built_index(tmp_path).view().routes.routes}
    assert resolved[("GET", "/admin/users/:id")].dependency_names == ("requireAdmin", "audit")
    assert resolved[("GET", "/articles/{articleID}/comments")].dependency_names == ("paginate",)
    handler = resolved[("GET", "/items/{id}")].handler
    assert handler is not None and handler.path == "stdlib/server.go"


def test_routes_follow_a_router_passed_across_packages(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "go.mod": "module shop\n",
            "cmd/api/main.go": """package main

import (
	"github.com/gin-gonic/gin"

	"shop/internal/routes"
)

func main() {
	r := gin.New()
	api := r.Group("/api")
	routes.Register(api)
	r.Run()
}
""",
            "internal/routes/routes.go": """package routes

import "github.com/gin-gonic/gin"

func Register(rg *gin.RouterGroup) {
	users := rg.Group("/users")
	users.GET("/:id", showUser)
}

func showUser(c *gin.Context) {}
""",
        },
    )
    assert _route_set(tmp_path) == {("GET", "/api/users/:id"): "showUser"}


def test_sql_migrations_give_tables_in_order(go_root: Path) -> None:
    write_tree(
        go_root,
        {
            "db/goose/20240101_users.sql": """-- +goose Up
CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE);
-- +goose Down
DROP TABLE users;
""",
            "db/flyway/V9__audit.sql": "CREATE TABLE audit (id INT, note TEXT);\n",
            "db/flyway/V10__audit_at.sql": "ALTER TABLE audit ADD COLUMN at TIMESTAMP;\n",
        },
    )
    view = built_index(go_root).view()
    assert view.migrations["items"] == [
        "migrations/000001_create_items.up.sql",
        "migrations/000003_item_price.up.sql",
    ]  # down migrations drop, they do not define
    assert view.latest_migration("audit") == "db/flyway/V10__audit_at.sql"  # 10 after 9
    defining = view.defining_migration("items")
    assert defining is not None and defining[0] == "migrations/000001_create_items.up.sql"
    assert defining[1].outline == (
        "CREATE TABLE items (id, created_at, updated_at, deleted_at, title)"
    )
    assert (defining[1].start_line, defining[1].end_line) == (2, 8)
    latest = view.table_statement("migrations/000003_item_price.up.sql", "items")
    assert latest is not None and latest.outline == "ALTER TABLE items ADD COLUMN price_cents"
    goose = view.resolver.files["db/goose/20240101_users.sql"]
    assert goose.migration_tables == ("users",)
    assert [s.outline for s in goose.symbols] == ["CREATE TABLE users (id, email)"]


def test_editing_a_go_file_moves_its_routes(go_root: Path) -> None:
    index = built_index(go_root)
    assert ("GET", "/health") in {(r.method, r.path) for r in index.view().routes.routes}
    main_go = go_root / "main.go"
    main_go.write_text(main_go.read_text().replace('r.GET("/health"', 'r.GET("/healthz"'))
    assert index.update(main_go)
    paths = {(r.method, r.path) for r in index.view().routes.routes}
    assert ("GET", "/healthz") in paths and ("GET", "/health") not in paths
    index.remove(go_root / "go.mod")  # without the module path, imports leave the workspace
    assert index.view().resolver.lookup("main.go", "handlers.Health") is None
    assert index.view().resolver.lookup("main.go", "setupRouter") == Target(
        "main.go", next(s for s in index.files["main.go"].symbols if s.name == "setupRouter")
    )
