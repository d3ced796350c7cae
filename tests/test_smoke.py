def test_login_page_is_public(client):
    response = client.get("/anmelden/")
    assert response.status_code == 200
