from fastapi.testclient import TestClient


def test_get_access_token(client: TestClient) -> None:
    login_data = {"username": "admin@example.com", "password": "changethis"}
    r = client.post("/api/v1/login/access-token", data=login_data)
    assert r.status_code == 200
    assert "access_token" in r.json()
