"""Writers lock their own rows, not the Träger, elements or agreements they join.

A lock taken over a model's default order (``MonthlyValue`` by Träger and
element, ``TargetReport`` by target, goal, agreement and Träger) locked the
joined rows too: while one Jobcenter saved its month, every other writer of
figures waited for the data elements, and a report on a target held the
agreement against the ministry's edit. Here a second connection takes what
another writer takes, without waiting (``NOWAIT``), while the first writer's
transaction is open. PostgreSQL only: SQLite has no row locks. The suite's
``_locks_only_their_own_rows`` refuses such a query everywhere else.
"""

import datetime
from decimal import Decimal

import psycopg2
import pytest
from django.db import connection, transaction

from agreements import target_reports
from indicators import services
from indicators.elements import ensure_default_elements
from indicators.import_service import figures_import
from indicators.models import DataElement
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no row locks"
    ),
]

MONTH = datetime.date(2024, 3, 1)


def _free(table, pk=None, lock="FOR KEY SHARE"):
    """Whether another session gets ``lock`` on the rows now, without waiting.

    ``FOR KEY SHARE`` is what the foreign-key check of every other writer
    takes; ``FOR NO KEY UPDATE`` what an UPDATE of the row takes.
    """
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            where = "" if pk is None else f" WHERE id = {int(pk)}"
            try:
                cursor.execute(f"SELECT id FROM {table}{where} {lock} NOWAIT")  # noqa: S608
            except psycopg2.errors.LockNotAvailable:
                return False
            return True
    finally:
        other.rollback()
        other.close()


def _save(user, value):
    elb = DataElement.objects.get(code="elb")
    reporting = services.reporting_month_for(user.organisation, MONTH)
    services.month_values_save(
        provider=user.organisation,
        month=MONTH,
        values={(elb, "total"): Decimal(value)},
        data_status="t0",
        version=reporting.version if reporting.pk else 0,
        acting_user=user,
    )


def test_a_month_being_saved_holds_neither_its_trager_nor_the_elements(
    coesfeld_user, coesfeld
):
    ensure_default_elements()
    _save(coesfeld_user, 8500)  # the month has a value: the save locks it
    with transaction.atomic():
        _save(coesfeld_user, 8600)
        assert _free("accounts_organisation", coesfeld.pk)
        assert _free("indicators_dataelement")


def test_an_import_being_written_holds_no_trager(coesfeld_user, coesfeld):
    ensure_default_elements()
    _save(coesfeld_user, 8500)  # the month exists: the import locks it
    content = (
        b"regionalschluessel;monat;merkmal;geschlecht;wert;datenstand\r\n"
        b"05558;2024-03;elb;insgesamt;8600;t0\r\n"
    )
    with transaction.atomic():
        report = figures_import(
            content=content,
            file_name="export.csv",
            acting_user=coesfeld_user,
            file_reason="Korrektur",
        )
        assert report.record is not None
        assert _free("accounts_organisation", coesfeld.pk)
        assert _free("indicators_dataelement")


def test_a_report_on_a_target_holds_not_its_agreement(coesfeld_user, coesfeld):
    agreement = factories.agreement(coesfeld, 2023)
    goal = factories.goal(agreement, number="IV-B", title="Geschäftsprozesse")
    concept = factories.target(
        goal, kind="qualitative", local=True, sentence="Ein Konzept liegt vor."
    )

    def report(text):
        return target_reports.target_report_create(
            target=concept,
            proposed_status="achieved",
            text=text,
            evidence="Beschluss vom 4.11.2023",
            acting_user=coesfeld_user,
        )

    report("Das Konzept ist fertig.")  # pending: the next report locks it
    with transaction.atomic():
        report("Das Konzept ist beschlossen.")
        assert _free("agreements_agreement", agreement.pk, "FOR NO KEY UPDATE")
        assert _free("agreements_goal", goal.pk, "FOR NO KEY UPDATE")
        assert _free("accounts_organisation", coesfeld.pk)


def test_the_guard_also_checks_the_connections_of_other_threads(coesfeld):
    """The live server answers in threads with connections of their own: the
    suite's guard (``_locks_only_their_own_rows``) checks their queries too."""
    import threading

    from indicators.models import MonthlyValue

    refused = []

    def in_another_thread():
        try:
            with transaction.atomic():
                # the model's default order joins the Träger and the elements
                list(MonthlyValue.objects.select_for_update().filter(provider=coesfeld))
        except AssertionError as error:
            refused.append(str(error))
        finally:
            connection.close()

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert len(refused) == 1
    assert "locks the joined rows" in refused[0]
