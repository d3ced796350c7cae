"""Load benchmark: gunicorn with 2 workers, wrk at 16 connections (not a test).

Serves the national data set of ``bench/figures.py`` and ``bench/overview.py``
(405 providers, 2023 agreements, 12 years of figures) with production
settings and measures, one after the other, the login page (the baseline), the
start page, an agreement page, the overview and a monthly grid. Prints req/s
and the 99th percentile per page and each page's rate as a share of the login
page's. Goal: every signed-in page at least ¼ of the login page's rate, and no
errors. Needs Debian's ``wrk`` (apt-get install wrk).

    createdb -h 127.0.0.1 -U postgres zs_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_bench \\
        .venv/bin/python bench/load.py [--seconds 10]
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("TESTING", "true")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from overview import YEAR, build, ensure_agreements  # noqa: E402
from queries import count_queries  # noqa: E402

from agreements.models import Agreement  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL: set DATABASE_URL=postgres://…/zs_bench")
    if not shutil.which("wrk"):
        sys.exit("Needs wrk: apt-get install wrk")
    setup_test_environment()  # this process's own requests: the query counts
    user, providers = build()
    ensure_agreements(providers)
    agreement = Agreement.objects.filter(year=YEAR).order_by("pk").first()
    pages = {
        "login page": ("/anmelden/", False),
        "start page": ("/", True),
        "agreement page": (f"/zielvereinbarungen/{agreement.pk}/", True),
        "overview": (f"/uebersicht/{YEAR}/", True),
        "grid": (f"/monatswerte/{providers[0].regional_key}/{YEAR}-06/", True),
    }
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with server() as url:
        for path, signed_in in pages.values():  # warm caches and stored results
            warm_up(url + path, session if signed_in else None)
        results = {
            name: wrk(url + path, session if signed_in else None, args.seconds)
            for name, (path, signed_in) in pages.items()
        }
    anonymous = Client()
    queries = {
        name: page_queries(client if signed_in else anonymous, path)
        for name, (path, signed_in) in pages.items()
    }
    report(results, queries)


def page_queries(client, path):
    """The statements of one request of ``path`` as the server answers it now
    (its caches warm, as wrk found them)."""

    def request():
        assert client.get(path).status_code == 200

    return count_queries(request)


class server:
    """gunicorn with two sync workers on a free port, production-like."""

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {
            **os.environ,
            "DEBUG": "false",
            "TESTING": "true",
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOW_SQLITE": "true",
        }
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "zielsteuerung.wsgi"),
                *("--workers", "2", "--bind", f"127.0.0.1:{self.port}"),
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url + "/anmelden/", timeout=2):  # noqa: S310
                    return url
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def warm_up(url, session):
    request = urllib.request.Request(url)  # noqa: S310 - our own server
    if session:
        request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}")
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()


def wrk(url, session, seconds):
    """(requests per second, p99 in ms, errors) of wrk at 16 connections."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url]
    if session:
        command[1:1] = ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={session}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p99[2]]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return rate, float(p99[1]) * factor, int(errors[1]) if errors else 0, socket_errors


def report(results, queries):
    baseline = results["login page"][0]
    print("gunicorn, 2 workers; wrk, 2 threads, 16 connections")
    for name, (rate, p99, errors, socket_errors) in results.items():
        share = rate / baseline
        mark = "" if name == "login page" else ("  ok" if share >= 0.25 else "  < ¼")
        print(
            f"  {name:15} {rate:8.0f} req/s  p99 {p99:7.1f} ms  "
            f"{share:5.2f} of login  {queries[name]:3} queries  errors {errors}{mark}"
        )
        if socket_errors:
            print(f"  {'':15} socket errors: {socket_errors[1]}")


if __name__ == "__main__":
    main()
