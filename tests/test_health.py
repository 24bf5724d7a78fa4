import pytest


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_with_database(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"] is True
    if settings.REDIS_URL:
        assert data["checks"]["redis"] is True


@pytest.mark.django_db
def test_readyz_without_redis_is_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "unavailable"
    assert data["checks"] == {"database": True, "redis": False}


def test_health_needs_no_login(client):
    # Load balancers call these anonymously; no redirect to the login page.
    assert client.get("/healthz").status_code == 200
