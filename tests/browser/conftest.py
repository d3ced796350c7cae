"""Playwright with Debian's Chromium against pytest-django's live server."""

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest

# The headless shell (Chromium's old headless mode, which Playwright itself uses
# for headless runs) renders the same pages as the full browser without its
# user interface, and takes a third less processor time through the journeys.
# CHROMIUM=/usr/bin/chromium runs them in the full browser instead.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: apt-get install chromium-headless-shell"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=de-DE",
            ],
            env={**os.environ, "LANGUAGE": "de"},
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, browser, live_server):
    # The journeys run as a user whose system asks for reduced motion, unless
    # marked full_motion: Bootstrap then scrolls at once instead of smoothly
    # (its :root scroll-behavior), so a click on an element Playwright must
    # first scroll into view does not wait a second for the animation (half
    # of the first agreement journey's time).
    full = request.node.get_closest_marker("full_motion")
    context = browser.new_context(
        locale="de-DE",
        base_url=live_server.url,
        reduced_motion="no-preference" if full else "reduce",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# The pages (as their markup and viewport) axe found nothing on in this test
# process: the same markup at the same size gives the same result, so a page
# a journey passes again (the login page, say) is not checked again.
_PASSED = set()
# What differs between two requests of the same page and means nothing to axe.
_TOKENS = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]*|(?<=nonce=")[^"]*')


def check_accessibility(page):
    """Run axe-core on the page; fail with the rule names when it finds violations."""
    assert AXE.exists()
    page.wait_for_load_state()  # a click may still be loading the next page
    # The viewport belongs to the key: at 320 px a page can break rules
    # (a region that must scroll, say) that it keeps at full width.
    markup = (
        hashlib.sha256(_TOKENS.sub("", page.content()).encode()).hexdigest(),
        repr(page.viewport_size),
    )
    if markup in _PASSED:
        return
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        # From our own origin: the Content-Security-Policy refuses inline scripts.
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    # Only the violations: axe then skips collecting the checks that passed.
    result = page.evaluate(
        "async () => await axe.run(document, "
        f"{{runOnly: {WCAG}, resultTypes: ['violations']}})"
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert problems == [], f"{page.url}: " + "; ".join(problems)
    _PASSED.add(markup)


def field(page, label):
    """The form field labelled exactly ``label`` (crispy adds ``*`` and spaces)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


# Screenshots are taken when asked for (`make screenshots`): encoding a
# full-page PNG costs Chromium a tenth of a second or more per page, which
# every run of the suite would pay for pictures that nobody opens then.
SCREENSHOTS = os.environ.get("SCREENSHOTS", "").lower() in ("1", "true", "yes")


def screenshot(page, name):
    """Keep a full-page screenshot under test-artifacts/ to look at."""
    if not SCREENSHOTS:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def sign_in(live_server):
    """``sign_in(page, username)``: go on as ``username``, signed in already.

    As Playwright advises for tests that are not about signing in: start from
    a signed-in state (a session made on the server, its cookie given to the
    browser) instead of filling in the form each time. The form itself is
    walked through by ``login``: in test_signin_journey, the new user of
    test_operations_journey, the first agreement journey and the journey of
    the Content-Security-Policy (the sign-in page is one of its pages).
    """
    from django.conf import settings
    from django.test import Client

    from zielsteuerung.accounts.models import User

    def sign(page, username):
        client = Client()
        client.force_login(User.objects.get(username=username))
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "httpOnly": True,
                }
            ]
        )
        page.goto("/")  # where the form leads: the start page

    return sign


def login(page, username, password):
    page.goto("/anmelden/")
    check_accessibility(page)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/")
