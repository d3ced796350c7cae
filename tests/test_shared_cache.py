"""The cache is shared: two gunicorn servers on one database (and one cache)
show the same overview, and a change through one appears in the other's.

The test's data is committed (``transactional_db``); on SQLite the in-memory
test database is copied into a file both servers open. Each server runs one
worker on its own port, so it is known which process answers. With
REDIS_URL set both use that Redis, else the database cache table.
"""

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.test_overview import _agreement_with_figures

ROOT = Path(__file__).resolve().parents[1]


def _database_url(tmp_path):
    """A URL of the test database that other processes can open."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
        return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _servers(database_url, count=2):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions are signed with it
        "TESTING": "true",
        "DEBUG": "false",
        "ALLOW_SQLITE": "true",
    }
    ports = [_free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "zielsteuerung.wsgi"),
                *("--workers", "1", "--bind", f"127.0.0.1:{port}"),
                # Each master would otherwise claim ~/.gunicorn/gunicorn.ctl.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            _wait_until_up(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def _wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/anmelden/", timeout=2):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)  # not up yet, or still loading Django on a busy machine
    raise AssertionError(f"{url} did not start")


class _Fields(HTMLParser):
    """The name → value of every input and select of a page's forms."""

    def __init__(self):
        super().__init__()
        self.fields = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")


class _Browser:
    """Requests to one server with a session cookie and the CSRF cookie."""

    def __init__(self, url, session):
        self.url = url
        self.cookies = {"sessionid": session}

    def _open(self, path, data=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(  # noqa: S310 - our own test server
            self.url + path,
            data=urllib.parse.urlencode(data).encode() if data else None,
            headers={"Cookie": cookie, "Referer": self.url + path},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode()

    def get(self, path):
        return self._open(path)

    def post(self, path, data):
        return self._open(path, data)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _cached_fragments(database_url):
    """How many rendered fragments the shared cache holds right now."""
    if settings.REDIS_URL:
        import redis

        return len(redis.Redis.from_url(settings.REDIS_URL).keys("*fragment:*"))
    if database_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(database_url[10:])) as db:
            query = "SELECT COUNT(*) FROM zielsteuerung_cache WHERE cache_key LIKE ?"
            return db.execute(query, ["%fragment:%"]).fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM zielsteuerung_cache WHERE cache_key LIKE %s",
            ["%fragment:%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_change_through_one_server_shows_in_the_other_servers_overview(
    tmp_path, ministry_user, coesfeld_user, coesfeld, put_figures
):
    from django.core.cache import cache

    cache.clear()
    _agreement_with_figures(coesfeld, put_figures, 110)
    ministry, provider = _session_of(ministry_user), _session_of(coesfeld_user)
    database_url = _database_url(tmp_path)
    with _servers(database_url) as (first, second):
        status, page = _Browser(first, ministry).get("/uebersicht/2023/")
        assert status == 200
        assert "bis Juni 2023" in page
        assert "Juli 2023" not in page
        assert _cached_fragments(database_url) == 1  # not in a process's memory
        status, same = _Browser(second, ministry).get("/uebersicht/2023/")
        assert status == 200
        assert "bis Juni 2023" in same
        assert _cached_fragments(database_url) == 1

        grid = _Browser(first, provider)
        status, form_page = grid.get("/monatswerte/05558/2023-07/")
        assert status == 200
        parser = _Fields()
        parser.feed(form_page)
        data = {
            **parser.fields,
            "v-integrationen-total": "400",
            "v-elb-total": "10000",
            "c-integrationen": "Sondereffekt",
        }
        status, _page = grid.post("/monatswerte/05558/2023-07/", data)
        assert status == 302, _page[:2000]

        status, page = _Browser(second, ministry).get("/uebersicht/2023/")
        assert status == 200
        assert "bis Juli 2023" in page
        assert _cached_fragments(database_url) == 2


@pytest.mark.django_db
def test_migrate_creates_the_database_cache_table(settings):
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "zielsteuerung_cache",
        }
    }
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS zielsteuerung_cache")
    assert "zielsteuerung_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "zielsteuerung_cache" in connection.introspection.table_names()


def test_cache_is_never_per_process_memory():
    backend = settings.CACHES["default"]["BACKEND"]
    expected = "redis.RedisCache" if settings.REDIS_URL else "db.DatabaseCache"
    assert backend.endswith(expected)


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="Redis evicts by memory")
def test_the_database_cache_keeps_enough_entries_for_pages_per_user(db):
    """Whole pages are stored per user: with Django's default of 300 entries
    the database cache would drop a third of everything, the overview's kept
    tables (their keys sort first) among them, every few hundred pages."""
    from django.core.cache import cache

    assert cache._max_entries == 5000
    for number in range(400):
        cache.set(f"page:v1:{number:04}", b"x")
    cache.set("overview-table:v3:1:2023", b"kept table")
    cache.set("page:v1:last", b"x")  # the next write checks the count and culls
    assert cache.get("overview-table:v3:1:2023") == b"kept table"
