import pytest
from django.test import Client


@pytest.mark.django_db
def test_unpublished_post_is_hidden():
    response = Client().get("/blog/1/")
    assert response.status_code == 404
