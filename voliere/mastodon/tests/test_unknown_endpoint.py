import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", ["get", "post", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v2/no/such/thing/"])
def test_unknown_api_paths_answer_json_404(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": "Not found"}


def test_known_routes_still_win(client):
    assert client.get("/api/v1/instance").status_code == 200
