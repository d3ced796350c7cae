"""Whole pages from the cache: the overview and the ministry's start page.

A stored page must be the page the view would render now, for the user who
asks: their name and navigation, their own CSRF token, the messages of their
request, and every change of what the page shows.
"""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from agreements.page_cache import CSRF_MARK
from tests import factories
from tests.conftest import months

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("overview", args=[2023])
HOME = reverse("home")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def year_2023(coesfeld, put_figures):
    agreement = factories.agreement(coesfeld, 2023)
    factories.change_target(factories.goal(agreement), "integrationen", "12.6")
    put_figures(
        coesfeld,
        "integrationen",
        months(2022, 1, 12, 100) | months(2023, 1, 6, 110),
    )
    return agreement


def _stored(client, url, django_assert_max_num_queries):
    """The page twice: the second time it must come from the page cache."""
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(5):  # session, user, year, version, page
        second = client.get(url).content.decode()
    return first, second


@pytest.mark.parametrize("url", [OVERVIEW, HOME])
def test_a_stored_page_is_the_rendered_page_with_the_users_own_token(
    url, ministry_user, year_2023, django_assert_max_num_queries
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ministry_user)
    rendered, stored = _stored(client, url, django_assert_max_num_queries)
    assert TOKEN.sub("", stored) == TOKEN.sub("", rendered)
    assert CSRF_MARK not in stored
    token = TOKEN.search(stored)[1]
    # The token in the stored page is valid: signing out with it works.
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(url).status_code == 302  # signed out


@pytest.mark.parametrize("url", [OVERVIEW, HOME])
def test_each_user_gets_their_own_frame(
    url, ministry_user, ministry_reader, year_2023, django_assert_max_num_queries
):
    ministry_user.first_name, ministry_user.last_name = "Alice", "Amsel"
    ministry_user.save()
    ministry_reader.first_name, ministry_reader.last_name = "Bea", "Buche"
    ministry_reader.save()
    editor, reader = Client(), Client()
    editor.force_login(ministry_user)
    reader.force_login(ministry_reader)
    _stored(editor, url, django_assert_max_num_queries)
    page = reader.get(url).content.decode()
    assert "Bea Buche" in page
    assert "Alice Amsel" not in page

    # A new name shows at once, though nothing else changed.
    ministry_user.last_name = "Ahorn"
    ministry_user.save()
    page = editor.get(url).content.decode()
    assert "Alice Ahorn" in page
    assert "Alice Amsel" not in page


@pytest.mark.parametrize("url", [OVERVIEW, HOME])
def test_a_message_is_shown_once_and_never_stored(
    url, client_for, ministry_user, year_2023, settings
):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    client = client_for(ministry_user)
    client.get(url)  # stored without the message
    _leave_message(client, "Die Änderungen wurden gespeichert.")
    assert "Die Änderungen wurden gespeichert." in client.get(url).content.decode()
    assert "Die Änderungen wurden gespeichert." not in client.get(url).content.decode()


def _leave_message(client, text):
    """A message as a view leaves it in the session for the next page."""
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    storage = SessionStorage(request)
    storage.add(constants.SUCCESS, text)
    storage.update(HttpResponse())
    session.save()


@pytest.mark.parametrize("url", [OVERVIEW, HOME])
def test_changed_figures_and_targets_show_at_once(
    url, client_for, ministry_user, coesfeld, year_2023, put_figures
):
    client = client_for(ministry_user)
    before = client.get(url).content.decode()
    put_figures(coesfeld, "integrationen", months(2023, 7, 1, 130))
    after_figures = client.get(url).content.decode()
    assert TOKEN.sub("", after_figures) != TOKEN.sub("", before)
    target = year_2023.goals.get().targets.get()
    target.target_value = 40
    target.save()
    after_target = client.get(url).content.decode()
    assert TOKEN.sub("", after_target) != TOKEN.sub("", after_figures)
