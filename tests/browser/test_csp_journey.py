"""The Content-Security-Policy in a real browser: no page breaks it."""

from agreements.models import Agreement

from .conftest import login

DEMO_PASSWORD = "zielsteuerung-demo"


def test_no_page_violates_the_content_security_policy(page, demo):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(page, "ministerium", DEMO_PASSWORD)  # the sign-in page is one of them
    borken = Agreement.objects.get(provider__short_name="Borken", year=2023)
    urls = [
        "/",
        "/zielvereinbarungen/",
        borken.get_absolute_url(),
        f"{borken.get_absolute_url()}bearbeiten/",
        f"{borken.get_absolute_url()}druckansicht/",
        f"{borken.get_absolute_url()}fortschritt/",
        "/uebersicht/2023/",
        "/monatswerte/",
        "/monatswerte/05554/2023/",
        "/monatswerte/05554/2023-06/",
        "/monatswerte/import/",
        "/zielvereinbarungen/neu/",
        "/anmelden/zweiter-faktor/",
    ]
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert "unsafe-inline" not in response.headers["content-security-policy"]
    # Interactive parts: the user menu (Bootstrap's dropdown) and sorting.
    page.goto("/uebersicht/2023/")
    page.locator(".sort-button").first.click()
    page.locator(".navbar .dropdown-toggle").click()
    assert violations == []
