"""Two first saves of one month at once, in two processes, on the suite's
database (SQLite: a file copy of it; PostgreSQL: the test database).

One save wins, the other is told (a conflict: the grid then shows the typed
values beside the saved ones); never "database is locked", never a value
that nobody saved.
"""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from indicators.elements import ensure_default_elements
from indicators.models import MonthlyValue
from tests.test_shared_cache import ROOT, _database_url
from zielsteuerung.accounts.models import Role, User

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4

SAVER = r"""
import datetime, json, sys, time
import django
django.setup()
from decimal import Decimal
from django.db import IntegrityError, OperationalError
from indicators import services
from indicators.models import DataElement
from zielsteuerung.accounts.models import User

username, offset = sys.argv[1], int(sys.argv[2])
user = User.objects.select_related("organisation").get(username=username)
elb = DataElement.objects.get(code="elb")
print("ready", flush=True)
start = float(sys.stdin.readline())  # the same moment for both processes
for round_ in range(int(sys.argv[3])):
    month = datetime.date(2030, round_ + 1, 1)
    time.sleep(max(0.0, start + round_ * 0.4 - time.time()))
    try:
        services.month_values_save(
            provider=user.organisation,
            month=month,
            values={(elb, "total"): Decimal(offset + round_)},
            data_status="t0",
            version=0,
            acting_user=user,
        )
        outcome = "saved"
    except (services.MonthConflict, IntegrityError):
        outcome = "conflict"
    except OperationalError as error:
        outcome = "error: " + str(error)
    print(json.dumps([round_, outcome]), flush=True)
"""


def _stored(url, month):
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            row = db.execute(
                "SELECT value FROM indicators_monthlyvalue WHERE month = ?",
                (month.isoformat(),),
            ).fetchone()
        return None if row is None else Decimal(str(row[0]))
    found = MonthlyValue.objects.filter(month=month).first()
    return None if found is None else found.value


def test_two_first_saves_of_a_month_at_once(tmp_path, coesfeld):
    ensure_default_elements()
    for name in ("bob", "bea"):
        User.objects.create_user(
            username=name, password="x", organisation=coesfeld, role=Role.EDITOR
        )
    url = _database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "TESTING": "true", "DEBUG": "false"}
    env["DJANGO_SETTINGS_MODULE"] = "zielsteuerung.settings"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, name, str(offset), str(ROUNDS)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, offset in (("bob", 100), ("bea", 200))
    ]
    # Both are set up (Django loaded, user read) before either saves; one that
    # never gets there is stopped, and the test says why.
    watchdog = threading.Timer(120, lambda: [p.kill() for p in processes])
    watchdog.start()
    try:
        for process in processes:
            assert process.stdout.readline() == "ready\n", process.stderr.read()
    finally:
        watchdog.cancel()
    start = time.time() + 0.2
    for process in processes:
        process.stdin.write(f"{start}\n")
        process.stdin.flush()
    results = {}
    for process, offset in zip(processes, (100, 200), strict=True):
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        for line in out.splitlines():
            round_, outcome = json.loads(line)
            results.setdefault(round_, {})[offset] = outcome
    for round_ in range(ROUNDS):
        outcomes = results[round_]
        assert sorted(outcomes.values()) == ["conflict", "saved"], outcomes
        winner = next(o for o, outcome in outcomes.items() if outcome == "saved")
        month = datetime.date(2030, round_ + 1, 1)
        assert _stored(url, month) == winner + round_
    assert connection.vendor in ("sqlite", "postgresql")
