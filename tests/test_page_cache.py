"""Whole pages from the cache: the overview and the ministry's start page.

A stored page must be the page the view would render now, for the user who
asks: their name and navigation, their own CSRF token, the messages of their
request, and every change of what the page shows.
"""

import datetime
import re
import threading
import zlib
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from agreements import services
from agreements.models import Goal
from tests import factories
from tests.conftest import months
from zielsteuerung import page_cache
from zielsteuerung.page_cache import CSRF_MARK

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


def _stored(client, url, django_assert_max_num_queries, queries=5):
    """The page twice: the second time it must come from the page cache.

    Five queries: session, user, the page's subject (year, agreement,
    provider), version, stored page; the grid reads its month, too.
    """
    first = client.get(url).content.decode()
    with django_assert_max_num_queries(queries):
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


# --- the agreement's page -------------------------------------------------------


def _detail(client, agreement):
    url = reverse("agreements:detail", args=[agreement.pk])
    return TOKEN.sub("", client.get(url).content.decode())


def _new_goal_title(agreement, user):
    goal = agreement.goals.get()
    goal.title = "Neuer Zieltitel aus einer anderen Sitzung"
    goal.save()
    return goal.title


def _new_signatory(agreement, user):
    party = agreement.parties.get(role="provider")
    party.representative_name = "Dr. Erika Unterschrift"
    party.save()
    return party.representative_name


def _new_focus_area(agreement, user):
    from agreements.models import FocusArea

    FocusArea.objects.create(
        ministry=agreement.provider.supervisor,
        year=agreement.year,
        title="Schwerpunkt aus einer anderen Sitzung",
    )
    return "Schwerpunkt aus einer anderen Sitzung"


def _new_proposal(agreement, user):
    from agreements.models import Proposal

    Proposal.objects.create(
        agreement=agreement, subject="text", about="Präambel", opened_by=user
    )
    return "1 offen"


def _finalized(agreement, user):
    services.agreement_finalize(agreement=agreement, acting_user=user)
    return "Endfassung"


@pytest.mark.parametrize(
    "change",
    [_new_goal_title, _new_signatory, _new_focus_area, _new_proposal, _finalized],
    ids=["goal", "party", "focus area", "proposal", "final"],
)
def test_the_agreement_page_follows_every_change_of_its_inputs(
    change, client_for, ministry_user, year_2023, django_assert_max_num_queries
):
    client = client_for(ministry_user)
    url = reverse("agreements:detail", args=[year_2023.pk])
    _stored(client, url, django_assert_max_num_queries)
    shown = change(year_2023, ministry_user)
    assert shown in _detail(client, year_2023)


def test_the_agreement_page_offers_each_user_what_they_may_do(
    ministry_user, ministry_reader, agreement
):
    editor, reader = Client(), Client()
    editor.force_login(ministry_user)
    reader.force_login(ministry_reader)
    edit = reverse("agreements:update", args=[agreement.pk])
    assert edit in _detail(editor, agreement)
    assert edit not in _detail(reader, agreement)
    assert edit in _detail(editor, agreement)  # from the cache, still the editor's


# --- the monthly grid -----------------------------------------------------------

JANUARY, DECEMBER = datetime.date(2023, 1, 1), datetime.date(2022, 12, 1)


def _grid(client, provider):
    url = reverse("indicators:grid", args=[provider.regional_key, JANUARY])
    return TOKEN.sub("", client.get(url).content.decode())


def _put(provider, month, user, value, code="elb"):
    from indicators import services as figures
    from indicators.models import DataElement, Sex

    figures.month_values_save(
        provider=provider,
        month=month,
        values={(DataElement.objects.get(code=code), Sex.TOTAL): value},
        data_status="t0",
        version=figures.reporting_month_for(provider, month).version,
        acting_user=user,
    )


def test_the_grid_follows_values_references_and_the_months_state(
    coesfeld, coesfeld_user, django_assert_max_num_queries
):
    from indicators import services as figures
    from indicators.models import MonthAction, MonthApproval

    client = Client()
    client.force_login(coesfeld_user)
    url = reverse("indicators:grid", args=[coesfeld.regional_key, JANUARY])
    _stored(client, url, django_assert_max_num_queries, queries=6)
    _put(coesfeld, JANUARY, coesfeld_user, Decimal(8512))
    page = _grid(client, coesfeld)
    assert 'value="8.512"' in page
    assert 'name="version" value="1"' in page  # a save from here is not stale

    _put(coesfeld, DECEMBER, coesfeld_user, Decimal(7001))  # the reference
    assert "Vormonat: 7.001" in _grid(client, coesfeld)

    assert "vollständig gemeldet</span>" not in _grid(client, coesfeld)
    reporting = figures.reporting_month_for(coesfeld, JANUARY)
    figures.month_step_record(
        reporting, MonthAction.COMPLETE, MonthApproval.COMPLETE, coesfeld_user
    )
    assert "vollständig gemeldet</span>" in _grid(client, coesfeld)


def test_the_grid_shows_each_user_what_they_may_do(
    coesfeld, coesfeld_user, ministry_reader
):
    editor, reader = Client(), Client()
    editor.force_login(coesfeld_user)
    reader.force_login(ministry_reader)
    assert 'name="v-elb-total"' in _grid(editor, coesfeld)
    assert 'name="v-elb-total"' not in _grid(reader, coesfeld)
    assert 'name="v-elb-total"' in _grid(editor, coesfeld)


# --- a change whose id is lower than one committed before it -----------------


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's writers take the write lock in turn: ids follow commits",
)
@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_after_a_higher_id_still_shows(ministry_user, coesfeld):
    """Ids are drawn at insert, not at commit: X draws the lower history id,
    Y the higher one and commits first; a page stored between the two
    commits must not outlive X's commit."""
    agreement = factories.agreement(coesfeld, 2023)
    first = factories.goal(agreement, number="I", title="Erstes Ziel")
    second = factories.goal(agreement, number="II", title="Zweites Ziel")
    client = Client()
    client.force_login(ministry_user)

    def change_first():
        goal = Goal.objects.get(pk=first.pk)
        goal.title = "Erstes Ziel, spät bestätigt"
        goal.save()  # draws the lower history id

    other, commit = _in_a_long_transaction(change_first)
    second.title = "Zweites Ziel, sofort bestätigt"
    second.save()  # the higher id, committed at once
    page = _detail(client, agreement)  # stored between the two commits
    assert "sofort bestätigt" in page
    assert "spät bestätigt" not in page
    commit()
    other.join(30)
    assert "spät bestätigt" in _detail(client, agreement)


def _in_a_long_transaction(work):
    """Run ``work`` in a transaction of another thread, kept open after it.

    Returns the thread and the function that lets it commit.
    """
    done, go_on = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic():
                work()
                done.set()
                go_on.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    assert done.wait(30)
    return thread, go_on.set


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite's writers take the write lock in turn",
)
@pytest.mark.django_db(transaction=True)
def test_two_first_writes_for_a_provider_at_once_both_count(coesfeld):
    """The figures' counter of a provider that has none yet, moved by two
    transactions at once: the second waits for the first's new row and must
    count it up, not skip its own insert and count nothing (then results
    computed between the two commits would pass for current)."""
    from indicators.models import FiguresVersion
    from indicators.services import figures_changed

    other, commit = _in_a_long_transaction(lambda: figures_changed([coesfeld]))
    threading.Timer(0.3, commit).start()  # while this one waits for its row
    with transaction.atomic():
        figures_changed([coesfeld])
    other.join(30)
    assert FiguresVersion.objects.get(provider=coesfeld).version == 2


@pytest.mark.django_db(transaction=True)
def test_each_committed_transaction_is_counted_once(coesfeld):
    from indicators.models import CommitCount
    from indicators.services import figures_changed

    def counts():
        row = CommitCount.objects.get(pk=1)
        return row.history, row.changes

    history, changes = counts()  # the fixture's saves counted one by one
    with transaction.atomic():  # as a request's
        factories.goal(factories.agreement(coesfeld, 2023))  # many history rows
        assert counts() == (history, changes)  # nothing before the commit
    assert counts() == (history + 1, changes + 1)
    with transaction.atomic():
        factories.goal(factories.agreement(coesfeld, 2024))
        transaction.set_rollback(True)
    assert counts() == (history + 1, changes + 1)  # rolled back: nothing
    with transaction.atomic():
        figures_changed([coesfeld])
    assert counts() == (history + 1, changes + 2)  # not the agreement side


def test_what_the_cache_holds_now_is_served_not_what_this_process_unpacked(
    ministry_user, year_2023, monkeypatch
):
    """The process keeps the pages it unpacked last, by their stored bytes:
    a page replaced in the shared cache (by another server, say) is served
    as it is stored now."""
    keys = []
    original = page_cache.page_key
    monkeypatch.setattr(
        page_cache,
        "page_key",
        lambda request, parts: keys.append(original(request, parts)) or keys[-1],
    )
    client = Client()
    client.force_login(ministry_user)
    rendered = client.get(OVERVIEW).content.decode()
    kept = client.get(OVERVIEW).content.decode()  # unpacked, and kept
    assert TOKEN.sub("", kept) == TOKEN.sub("", rendered)
    assert keys[0] == keys[1]

    cache.set(keys[0], zlib.compress(f"<p>ersetzt {CSRF_MARK}</p>".encode()), 60)
    replaced = client.get(OVERVIEW).content.decode()
    assert replaced.startswith("<p>ersetzt ")
    assert CSRF_MARK not in replaced
    assert replaced != "<p>ersetzt </p>"  # the user's token took the mark's place
