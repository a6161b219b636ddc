import pytest


@pytest.mark.django_db
def test_home_page_renders_in_russian(client):
    response = client.get("/")

    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()
