import pytest
from rest_framework.test import APIClient

from shop.models import Category, Product


@pytest.mark.django_db
def test_order_reduces_stock():
    category = Category.objects.create(name="Tools", slug="tools")
    product = Product.objects.create(category=category, name="Hammer", price="9.99", stock=3)
    client = APIClient()
    response = client.post(f"/api/products/{product.pk}/order/", {"quantity": 2}, format="json")
    assert response.status_code == 201
    product.refresh_from_db()
    assert product.stock == 1


@pytest.mark.django_db
def test_list_products_is_public():
    response = APIClient().get("/api/products/")
    assert response.status_code == 200
