"""BE005: list endpoints without a bound on the rows they fetch."""

from __future__ import annotations

from perf_helpers import flagged, run


def test_fastapi_sqlalchemy_2_scalars_all() -> None:
    source = """
from fastapi import APIRouter, Depends
from sqlalchemy import select

router = APIRouter()


@router.get("/users")
async def list_users(session: AsyncSession = Depends(get_session)):
    result = await session.scalars(select(User).where(User.active.is_(True)))
    return result.all()


@router.get("/orders")
def list_orders(db: Session = Depends(get_db)):
    return db.query(Order).order_by(Order.created_at.desc()).all()
"""
    findings = run("BE005", source, path="app/api/routes.py")
    assert [flagged(f, source) for f in findings] == [
        "session.scalars(select(User).where(User.active.is_(True)))",
        "db.query(Order).order_by(Order.created_at.desc()).all()",
    ]
    assert "GET /users" in findings[0].message


def test_django_views_return_and_render_querysets() -> None:
    source = """
from django.http import JsonResponse
from django.shortcuts import render


def article_list(request):
    articles = Article.objects.filter(published=True).order_by("-created")
    if request.GET.get("tag"):
        articles = articles.filter(tags__name=request.GET["tag"])
    return render(request, "articles/list.html", {"articles": articles})


def authors_json(request):
    return JsonResponse({"authors": list(Author.objects.values("id", "name"))})
"""
    findings = run("BE005", source, path="blog/views.py")
    assert [flagged(f, source) for f in findings] == [
        'Article.objects.filter(published=True).order_by("-created")',
        'Author.objects.values("id", "name")',
    ]


def test_flask_raw_sql_fetchall_and_drf_list_without_pagination() -> None:
    source = """
from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/api/products")
def products():
    cur = get_db().cursor()
    cur.execute("SELECT id, name, price FROM products ORDER BY name")
    return jsonify(cur.fetchall())


class ProductViewSet(viewsets.ViewSet):
    def list(self, request):
        queryset = self.get_queryset()
        serializer = ProductSerializer(queryset, many=True)
        return Response(serializer.data)
"""
    findings = run("BE005", source, path="shop/api.py")
    assert [flagged(f, source) for f in findings] == ["cur.fetchall()", "self.get_queryset()"]


def test_bounded_and_paginated_handlers_are_fine() -> None:
    source = """
from django.core.paginator import Paginator
from fastapi import APIRouter
from fastapi_pagination import Page
from fastapi_pagination.ext.sqlalchemy import paginate

router = APIRouter()


@router.get("/users")
def list_users(limit: int = 50, offset: int = 0, db=Depends(get_db)):
    return db.scalars(select(User).offset(offset).limit(limit)).all()


@router.get("/items", response_model=Page[ItemOut])
def list_items(db=Depends(get_db)):
    return paginate(db, select(Item))


@router.get("/latest")
def latest():
    return Order.objects.order_by("-id")[:10]


@router.get("/stats")
def stats(db=Depends(get_db)):
    total = db.execute(text("SELECT count(*) FROM orders")).fetchall()
    first = Order.objects.filter(paid=True).first()
    return {"total": total, "first": first, "n": Order.objects.count()}


def article_list(request):
    paginator = Paginator(Article.objects.all(), 25)
    return render(request, "list.html", {"page": paginator.get_page(request.GET.get("page"))})


@router.get("/rows")
def rows(cur=Depends(cursor)):
    cur.execute("SELECT * FROM events ORDER BY id DESC LIMIT 100")
    return cur.fetchall()
"""
    assert run("BE005", source, path="app/views.py") == []


def test_detail_endpoints_writes_and_plain_functions_are_fine() -> None:
    source = """
@router.get("/users/{user_id}")
def get_user(user_id: int, db=Depends(get_db)):
    return db.query(User).filter(User.id == user_id).all()


@router.post("/users/import")
def import_users(db=Depends(get_db)):
    return db.query(User).all()


def article_detail(request, slug):
    return render(request, "a.html", {"related": Article.objects.filter(slug=slug)})


def nightly_export():
    return list(Order.objects.all())
"""
    assert run("BE005", source, path="app/views.py") == []


def test_queryset_used_only_as_subquery_is_fine() -> None:
    source = """
def orders(request):
    vip = Customer.objects.filter(tier="vip")
    recent = Order.objects.filter(customer__in=vip)[:50]
    return render(request, "orders.html", {"orders": recent})
"""
    assert run("BE005", source, path="shop/views.py") == []


def test_primary_key_list_filters_are_bounded_by_the_list_not_the_table() -> None:
    source = """
from fastapi import APIRouter, Depends
from sqlalchemy import select

router = APIRouter()


@router.get("/search")
def search(q: str, db: Session = Depends(get_db)):
    rows = db.execute(text("SELECT id FROM p WHERE name = :q LIMIT 20"), {"q": q})
    ids = [row.id for row in rows]
    return list(db.scalars(select(Product).where(Product.id.in_(ids))))


@router.get("/picked")
def picked(db: Session = Depends(get_db)):
    return db.query(Product).filter(Product.category_id.in_(CATEGORY_IDS)).all()


@router.get("/related")
def related(db: Session = Depends(get_db)):
    return db.scalars(select(Product).where(Product.id.in_(select(Tag.product_id)))).all()
"""
    findings = run("BE005", source, path="app/api/routes.py")
    # Only the id-list filter is bounded; a foreign-key list or a subquery is not.
    assert [flagged(f, source) for f in findings] == [
        "db.query(Product).filter(Product.category_id.in_(CATEGORY_IDS)).all()",
        "db.scalars(select(Product).where(Product.id.in_(select(Tag.product_id)))).all()",
    ]


def test_django_pk_in_filter_is_bounded() -> None:
    source = """
from django.http import JsonResponse


def chosen(request):
    ids = request.GET.getlist("id")[:50]
    return JsonResponse({"items": list(Item.objects.filter(pk__in=ids).values())})


def everything(request):
    return JsonResponse({"items": list(Item.objects.filter(active=True).values())})
"""
    findings = run("BE005", source, path="shop/views.py")
    assert len(findings) == 1
    assert "active=True" in flagged(findings[0], source)


def test_related_rows_read_per_item_inside_a_loop_are_not_a_list_query() -> None:
    source = """
from django.http import JsonResponse


def authors(request):
    out = []
    for author in Author.objects.all()[:20]:
        out.append({"name": author.name, "posts": [p.title for p in author.posts.all()]})
    return JsonResponse({"authors": out})


def tags(request):
    rows = [[t.label for t in post.tags.all()] for post in Post.objects.all()[:20]]
    return JsonResponse({"tags": rows})


def every_post(request):
    return JsonResponse({"posts": [p.title for p in Post.objects.all()]})
"""
    findings = run("BE005", source, path="shop/views.py")
    # The outer, top-level list query is still reported.
    assert [flagged(f, source) for f in findings] == ["Post.objects.all()"]


def test_rows_named_by_the_caller_dict_views_and_write_actions_are_bounded() -> None:
    source = """
from django.http import JsonResponse
from django.views import View


def reorder_items(request):
    ids = request.GET.getlist("ids")
    items = list(Item.objects.filter(id__in=[i for i in ids if i.isdigit()]))
    return JsonResponse({"items": [i.pk for i in items]})


class RegistryView(View):
    def get(self, request):
        return JsonResponse({"types": list(self.allowed_types.values())})

    def post(self, request):
        for item in self.get_queryset():
            item.delete()
        return JsonResponse({})


def all_items(request):
    return JsonResponse({"items": list(Item.objects.all())})
"""
    findings = run("BE005", source, path="shop/views.py")
    assert [flagged(f, source) for f in findings] == ["Item.objects.all()"]


def test_post_only_views_and_bulk_actions_are_not_listings() -> None:
    source = """
from django.views import View
from django.views.decorators.http import require_POST, require_http_methods
from django.http import JsonResponse


@require_POST
def paypal_webhook_handler(request):
    payments = Payment.objects.filter(provider="paypal")
    return JsonResponse({"ids": [p.id for p in payments]})


@require_http_methods(["POST"])
def mark_all(request):
    return JsonResponse({"ids": [p.id for p in Payment.objects.filter(open=True)]})


class CheckinBulkView(View):
    def async_post(self, request):
        positions = Position.objects.filter(list=request.list)
        return JsonResponse({"done": [p.id for p in positions]})


def category_move(request, category, up=True):
    categories = list(request.event.categories.order_by("position"))
    return JsonResponse({"order": [c.id for c in categories]})


@require_http_methods(["GET", "POST"])
def payments(request):
    return JsonResponse({"ids": [p.id for p in Payment.objects.filter(open=True)]})
"""
    findings = run("BE005", source, path="shop/views.py")
    assert [flagged(f, source) for f in findings] == ["Payment.objects.filter(open=True)"]
    assert findings[0].start == source.rindex("Payment.objects.filter(open=True)")  # the GET one


def test_dict_values_of_a_manager_helper_are_not_rows() -> None:
    source = """
from django.http import JsonResponse


def editable_types(request):
    ids = [ct.id for ct in ContentType.objects.get_for_models(*MODELS).values()]
    return JsonResponse({"ids": ids})


def all_types(request):
    return JsonResponse({"ids": [ct.id for ct in ContentType.objects.filter(app_label="x")]})
"""
    findings = run("BE005", source, path="shop/views.py")
    assert [flagged(f, source) for f in findings] == ['ContentType.objects.filter(app_label="x")']


def test_queries_at_module_level_or_start_up_are_not_list_endpoints() -> None:
    source = """
from django.apps import AppConfig

DEFAULT_CATEGORIES = list(Category.objects.all())


class ShopConfig(AppConfig):
    def ready(self):
        self.categories = [c.name for c in Category.objects.all()]
"""
    assert run("BE005", source, path="shop/views.py") == []


def test_rows_that_only_answer_a_permission_check_never_reach_the_response() -> None:
    source = """
from django.db.models import CharField, F, Value
from django.http import FileResponse, HttpResponseForbidden


def local_file(request):
    folder = request.GET["path"]
    storages = LocalStorage.objects.annotate(
        full=Value(folder, output_field=CharField())
    ).filter(full__startswith=F("path"))
    allowed = any(s.project.has_permission(request.user) for s in storages)
    if not allowed:
        return HttpResponseForbidden()
    return FileResponse(open(folder, "rb"))


def every_storage_is_mine(request):
    mine = all([s.owner_id == request.user.id for s in LocalStorage.objects.all()])
    return FileResponse(open(request.GET["path"], "rb")) if mine else HttpResponseForbidden()


def storage_paths(request):
    storages = LocalStorage.objects.filter(active=True)
    return JsonResponse({"paths": [s.path for s in storages], "any": any(storages)})
"""
    findings = run("BE005", source, path="storages/views.py")
    assert [flagged(f, source) for f in findings] == ["LocalStorage.objects.filter(active=True)"]


def test_django_single_object_manager_methods_and_model_metadata_are_not_rows() -> None:
    """``ContentType.objects.get_for_model(...)`` returns one (cached) row, and
    ``self.get_queryset().model._meta`` reads the model's options: neither lists rows.
    The real listing beside them stays flagged."""
    source = """
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.shortcuts import render
from django.views import View


class ArticleListView(View):
    queryset = Article.objects.all()

    def get(self, request):
        content_type = ContentType.objects.get_for_model(self.queryset.model)
        site = Site.objects.get_current(request)
        articles = Article.objects.filter(published=True)
        return render(
            request,
            "articles/list.html",
            {
                "content_type": content_type,
                "site": site,
                "title": self.get_queryset().model._meta.verbose_name_plural,
                "articles": articles,
            },
        )
"""
    findings = run("BE005", source, path="blog/views.py")
    assert [flagged(f, source) for f in findings] == ["Article.objects.filter(published=True)"]


def test_django_view_method_given_the_object_is_a_detail_view() -> None:
    """A view helper that receives the object (``get_extra_context(self, request, instance)``)
    renders one object's page: its related rows are bounded by that object. A helper whose
    ``instance`` defaults to None also serves the list page and is still checked."""
    source = """
from django.shortcuts import render


class DeviceView(ObjectView):
    def get_extra_context(self, request, instance):
        ports = list(Port.objects.filter(device=instance))
        return {"ports": ports}


class DeviceListView(ObjectListView):
    def get_extra_context(self, request, instance=None):
        jobs = list(JobResult.objects.filter(task_name__startswith="sync"))
        return {"jobs": jobs}
"""
    findings = run("BE005", source, path="dcim/views.py")
    assert [flagged(f, source) for f in findings] == [
        'JobResult.objects.filter(task_name__startswith="sync")'
    ]


def test_django_hook_returning_a_lazy_queryset_loads_nothing() -> None:
    """``get_queryset(self, request)`` (ModelAdmin) and ``alter_queryset(self, request)`` hand
    the lazy queryset back to the framework's list machinery, which paginates it; no row is
    loaded in the hook. A hook that evaluates the queryset (``list(...)``) still loads every
    row, and so does a django-ninja route that returns a queryset for the schema to dump."""
    source = """
from django.contrib import admin
from ninja import Router

router = Router()


class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "customer", "total")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.select_related("customer")


class OrderViewSet(ObjectListViewMixin):
    def alter_queryset(self, request):
        queryset = self.get_queryset()
        return queryset.filter(site__tenant=request.user.tenant)


class InvoiceViewSet(ObjectListViewMixin):
    def alter_queryset(self, request):
        return list(Invoice.objects.filter(paid=False))


@router.get("/orders", response=list[OrderSchema])
def list_orders(request):
    return Order.objects.filter(status="open")
"""
    findings = run("BE005", source, path="shop/views.py")
    assert [flagged(f, source) for f in findings] == [
        "Invoice.objects.filter(paid=False)",
        'Order.objects.filter(status="open")',
    ]


def test_drf_detail_action_is_a_detail_route() -> None:
    """``@action(detail=True)`` routes ``/<pk>/<url_path>/``: the view serves one object
    (``self.get_object()``), like a URL with a ``pk`` parameter. A ``detail=False`` action
    lists the collection and is still checked."""
    source = """
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import ModelViewSet


class DeviceViewSet(ModelViewSet):
    @action(detail=True, url_path="config-context")
    def config_context(self, request, *args, **kwargs):
        device = self.get_object()
        contexts = ConfigContext.objects.filter(roles=device.role)
        return Response({"device": device.name, "contexts": list(contexts)})

    @action(detail=False, url_path="stale")
    def stale(self, request, *args, **kwargs):
        devices = Device.objects.filter(last_seen__isnull=True)
        return Response({"devices": list(devices)})
"""
    findings = run("BE005", source, path="dcim/views.py")
    assert [flagged(f, source) for f in findings] == [
        "Device.objects.filter(last_seen__isnull=True)"
    ]
