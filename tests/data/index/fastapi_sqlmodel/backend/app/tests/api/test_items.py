from fastapi.testclient import TestClient

from app.core.config import settings


def test_create_item(client: TestClient, superuser_token_headers: dict[str, str]) -> None:
    data = {"title": "Foo", "description": "Fighters"}
    response = client.post(f"{settings.API_V1_STR}/items/", headers=superuser_token_headers, json=data)
    assert response.status_code == 200
    content = response.json()
    assert content["title"] == data["title"]
    assert "owner_id" in content


def test_read_item_not_found(client: TestClient, superuser_token_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/items/00000000-0000-0000-0000-000000000000", headers=superuser_token_headers)
    assert response.status_code == 404
