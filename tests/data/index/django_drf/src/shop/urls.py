from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register(r"products", views.ProductViewSet, basename="product")

urlpatterns = [
    path("", include(router.urls)),
    path("categories/", views.CategoryList.as_view(), name="category-list"),
    path("low-stock/", views.low_stock, name="low-stock"),
]
