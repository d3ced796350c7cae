"""Benchmark: the PDF view against WeasyPrint alone on the same HTML.

Run: ``.venv/bin/python bench/pdf.py [runs]`` (default 15). It creates a
throw-away test database (SQLite unless DATABASE_URL is set), loads the demo
data and measures, interleaved and after a warm-up:

- ``view``: GET /zielvereinbarungen/<Borken 2023>/pdf/ through Django's test
  client as the ministry user (middleware, queries, template, WeasyPrint);
- ``weasyprint``: ``html_to_pdf`` on the HTML the view renders, rendered
  once beforehand (same fetcher, same options).

It prints both medians and their ratio; the goal is a ratio of at most 1.2,
i.e. the app adds no more than a fifth to what WeasyPrint needs anyway.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zielsteuerung.settings")
os.environ.setdefault("TESTING", "true")


def main(runs):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        call_command("load_demo", "--force", stdout=io.StringIO())
        view, alone, queries = measure(runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    report(view, alone, queries)


def measure(runs):
    from django.test import Client
    from queries import count_queries

    from agreements.models import Agreement
    from agreements.pdf import html_to_pdf, render_agreement_html
    from zielsteuerung.accounts.models import User

    agreement = Agreement.objects.get(provider__short_name="Borken", year=2023)
    client = Client()
    client.force_login(User.objects.get(username="ministerium"))
    url = f"/zielvereinbarungen/{agreement.pk}/pdf/"
    html = render_agreement_html(agreement)

    def view():
        response = client.get(url)
        assert response.status_code == 200

    def alone():
        html_to_pdf(html, pdf_variant="pdf/ua-1")

    for warm_up in (view, alone, view, alone):
        warm_up()
    queries = count_queries(view)
    times = {view: [], alone: []}
    for _ in range(runs):
        for step in (view, alone):
            start = time.perf_counter()
            step()
            times[step].append(time.perf_counter() - start)
    view_median, alone_median = (statistics.median(times[s]) for s in (view, alone))
    return view_median, alone_median, queries


def report(view, alone, queries):
    print("PDF of the Borken 2023 demo agreement, median of the runs:")
    print(f"  view (GET …/pdf/):          {view * 1000:7.1f} ms, {queries} queries")
    print(f"  WeasyPrint on the same HTML: {alone * 1000:7.1f} ms")
    print(f"  ratio view / WeasyPrint:     {view / alone:7.2f}  (goal ≤ 1.2)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
