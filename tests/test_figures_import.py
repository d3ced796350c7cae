"""Importing the statistics export: all or nothing, every bad row reported."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from indicators import services
from indicators.import_service import figures_import
from indicators.models import (
    DataElement,
    Import,
    MonthlyValue,
    MonthlyValueChange,
    ReportingMonth,
)

pytestmark = pytest.mark.django_db

HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
GOOD = [
    "05558;2023-01;elb;insgesamt;8.512;t3",
    "05558;2023-01;elb;frauen;4300;t3",
    "05558;2023-01;elb;maenner;4.212;t3",
    "05558;2023-01;llu_eur;insgesamt;1.234.567,89;t3",
    "05558;2023-02;elb;insgesamt;8520;t0",
]


def csv_bytes(*lines, bom=True):
    text = "\r\n".join([HEADER, *lines]) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def run(content, user, *, dry_run=False, name="export.csv", reason=""):
    return figures_import(
        content=content,
        file_name=name,
        acting_user=user,
        dry_run=dry_run,
        reason=reason,
    )


def test_import_creates_values_with_history_and_import_record(coesfeld_user, coesfeld):
    report = run(csv_bytes(*GOOD), coesfeld_user)
    assert report.ok
    assert (report.rows, report.created, report.changed, report.unchanged) == (
        5,
        5,
        0,
        0,
    )
    values = {
        (v.month.month, v.element.code, v.sex): v.value
        for v in MonthlyValue.objects.select_related("element")
    }
    assert values[(1, "elb", "total")] == Decimal(8512)
    assert values[(1, "elb", "men")] == Decimal(4212)
    assert values[(1, "llu_eur", "total")] == Decimal("1234567.89")
    record = Import.objects.get()
    assert (record.file_name, record.imported_by, record.created) == (
        "export.csv",
        coesfeld_user,
        5,
    )
    change = MonthlyValueChange.objects.get(monthly_value__element__code="llu_eur")
    assert change.source == "import"
    assert change.source_import == record
    months = {
        r.month.month: (r.data_status, r.version) for r in ReportingMonth.objects.all()
    }
    assert months == {1: ("t3", 1), 2: ("t0", 1)}


def test_reimport_reports_changed_and_unchanged(coesfeld_user, coesfeld):
    run(csv_bytes(*GOOD), coesfeld_user)
    revised = [*GOOD[:4], "05558;2023-02;elb;insgesamt;8525;t3"]
    report = run(csv_bytes(*revised), coesfeld_user, name="revision.csv")
    assert (report.created, report.changed, report.unchanged) == (0, 1, 4)
    value = MonthlyValue.objects.get(month=datetime.date(2023, 2, 1))
    assert (value.value, value.data_status) == (Decimal(8525), "t3")
    change = value.changes.order_by("-pk").first()
    assert (change.old_value, change.new_value) == (Decimal(8520), Decimal(8525))
    assert change.source_import.file_name == "revision.csv"
    assert ReportingMonth.objects.get(month=value.month).version == 2


def test_dry_run_changes_nothing_and_reports_per_provider_and_month(
    coesfeld_user, coesfeld
):
    report = run(csv_bytes(*GOOD), coesfeld_user, dry_run=True)
    assert report.ok
    assert [(s.month.month, s.created) for s in report.summary_list()] == [
        (1, 4),
        (2, 1),
    ]
    assert not MonthlyValue.objects.exists()
    assert not Import.objects.exists()


def test_import_with_three_bad_rows_changes_nothing_and_reports_all_three(
    coesfeld_user, coesfeld, borken
):
    lines = [
        *GOOD,
        "05558;2023-13;elb;insgesamt;100;t3",  # line 7: month
        "05554;2023-01;elb;insgesamt;100;t3",  # line 8: another provider
        "05558;2023-01;bg;insgesamt;12,5;t3",  # line 9: not a whole number
    ]
    report = run(csv_bytes(*lines), coesfeld_user)
    assert [(e.line, e.column) for e in report.errors] == [
        (7, "monat"),
        (8, "regionalschluessel"),
        (9, "wert"),
    ]
    assert "ganze Zahl" in report.errors[2].reason
    assert not MonthlyValue.objects.exists()
    assert not MonthlyValueChange.objects.exists()
    assert not ReportingMonth.objects.exists()
    assert not Import.objects.exists()


def test_more_bad_rows_each_with_line_column_and_reason(coesfeld_user, coesfeld):
    lines = [
        "05558;2023-01;xyz;insgesamt;1;t3",
        "05558;2023-01;bg;frauen;1;t3",
        "05558;2023-01;elb;divers;1;t3",
        "05558;2023-01;elb;insgesamt;-1;t3",
        "05558;2023-01;elb;insgesamt;;t5",
        "05558;2023-03;elb;insgesamt;100;t3",
        "05558;2023-03;elb;insgesamt;100;t3",
        "05558;2023-03;elb;frauen;60;t3",
        "05558;2023-03;elb;maenner;50;t3",
        "05558;2023-03;bg;insgesamt;50;t0",
    ]
    report = run(csv_bytes(*lines), coesfeld_user, dry_run=True)
    found = [(e.line, e.column) for e in report.errors]
    assert found == [
        (2, "merkmal"),
        (3, "geschlecht"),
        (4, "geschlecht"),
        (5, "wert"),
        (6, "datenstand"),
        (6, "wert"),
        (7, "wert"),  # women + men > total
        (8, "merkmal"),  # duplicate of line 7
        (11, "datenstand"),  # t0 where the month's other rows say t3
    ]


def test_women_and_men_are_checked_against_what_is_stored_too(coesfeld_user, coesfeld):
    """The rule holds after the file is applied: stored values count too."""
    assert run(csv_bytes("05558;2023-01;elb;insgesamt;100;t3"), coesfeld_user).ok
    split = csv_bytes(
        "05558;2023-01;elb;frauen;60;t3", "05558;2023-01;elb;maenner;50;t3"
    )
    report = run(split, coesfeld_user, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [(2, "wert")]
    assert "(110)" in report.errors[0].reason
    assert "(100)" in report.errors[0].reason
    fitting = csv_bytes(
        "05558;2023-01;elb;frauen;60;t3", "05558;2023-01;elb;maenner;40;t3"
    )
    assert run(fitting, coesfeld_user).ok
    lower = csv_bytes("05558;2023-01;elb;insgesamt;99;t3")  # below the stored split
    assert [(e.line, e.column) for e in run(lower, coesfeld_user).errors] == [
        (2, "wert")
    ]


def test_german_and_plain_notation_import_to_the_same_numbers(coesfeld_user, coesfeld):
    german = csv_bytes("05558;2023-01;llu_eur;insgesamt;1.234,56;t3", bom=False)
    run(german, coesfeld_user)
    plain = csv_bytes("05558;2023-01;llu_eur;insgesamt;1234.56;t3")
    report = run(plain, coesfeld_user)
    assert (report.created, report.unchanged) == (0, 1)


def test_xlsx_import(coesfeld_user, coesfeld):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([5558, "2023-01", "elb", "insgesamt", 8512, "t3"])  # key as number
    excel_date = datetime.datetime(2023, 2, 1)  # noqa: DTZ001 - Excel dates are naive
    sheet.append(["05558", excel_date, "llu_eur", "insgesamt", 1234.56, "t3"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), coesfeld_user, name="export.xlsx")
    assert report.ok, report.errors
    assert MonthlyValue.objects.get(element__code="llu_eur").value == Decimal("1234.56")


def test_equal_cells_of_other_types_are_read_each_by_its_type(coesfeld_user, coesfeld):
    """An Excel file's 1 and TRUE are equal keys in Python; each keeps its text.

    Also a text cell "5558" beside the number 5558: the number is a regional
    key without its leading zero, the text an unknown one.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(["05558", "2023-01", 1, "insgesamt", 1, "t3"])
    sheet.append(["05558", "2023-01", True, "insgesamt", 1, "t3"])
    sheet.append([5558, "2023-02", "elb", "insgesamt", 1, "t3"])
    sheet.append(["5558", "2023-02", "elb", "insgesamt", 1, "t3"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), coesfeld_user, name="export.xlsx", dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "merkmal"),
        (3, "merkmal"),
        (5, "regionalschluessel"),
    ]
    assert "„1“" in report.errors[0].reason
    assert "„True“" in report.errors[1].reason
    assert "„5558“" in report.errors[2].reason


def test_broken_file_is_one_error(coesfeld_user, coesfeld):
    report = run(b"regionalschluessel;monat\n", coesfeld_user)
    assert "fehlen die Spalten" in report.errors[0].reason
    report = run(b"\xff\xfe\x00", coesfeld_user)
    assert "UTF-8" in report.errors[0].reason


def test_ministry_may_import_for_every_provider_only_with_reason(
    ministry_user, coesfeld, borken
):
    lines = ["05558;2023-01;elb;insgesamt;1;t3", "05554;2023-01;elb;insgesamt;2;t3"]
    with pytest.raises(Exception, match="Grund"):
        run(csv_bytes(*lines), ministry_user)
    report = run(csv_bytes(*lines), ministry_user, reason="Revision der BA")
    assert report.created == 2
    assert set(MonthlyValueChange.objects.values_list("reason", flat=True)) == {
        "Revision der BA"
    }


def test_import_bumps_version_so_an_open_grid_gets_a_conflict(coesfeld_user, coesfeld):
    month = datetime.date(2023, 1, 1)
    services.month_values_save(
        provider=coesfeld,
        month=month,
        values={(DataElement.objects.get(code="bg"), "total"): Decimal(4400)},
        data_status="t3",
        version=0,
        acting_user=coesfeld_user,
    )
    run(csv_bytes(*GOOD), coesfeld_user)
    with pytest.raises(services.MonthConflict):
        services.month_values_save(
            provider=coesfeld,
            month=month,
            values={(DataElement.objects.get(code="bg"), "total"): Decimal(4401)},
            data_status="t3",
            version=1,
            acting_user=coesfeld_user,
        )


def test_import_query_count_does_not_grow_with_the_file(
    coesfeld_user, coesfeld, django_assert_max_num_queries
):
    small = csv_bytes(*GOOD)
    big = csv_bytes(
        *[
            f"05558;{year}-{month:02d};{code};insgesamt;{100 + month};t3"
            for year in range(2015, 2023)
            for month in range(1, 13)
            for code in ("elb", "lzb", "bg", "arbeitslose")
        ]
    )
    with django_assert_max_num_queries(20) as small_queries:
        run(small, coesfeld_user)
    # 384 rows: reads stay the same; writes come in batches, never per row.
    with django_assert_max_num_queries(30) as big_queries:
        run(big, coesfeld_user)

    def reads(queries):
        return [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]

    assert len(reads(big_queries)) == len(reads(small_queries))


# --- the page and the command -------------------------------------------------


def upload(content, name="export.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_import_template_has_the_header_and_no_data_rows(
    client_for, coesfeld_user, coesfeld
):
    response = client_for(coesfeld_user).get(reverse("indicators:import_template"))
    text = response.content.decode("utf-8")
    assert text == "\ufeff" + HEADER + "\r\n"
    report = run(response.content, coesfeld_user, dry_run=True)
    assert (report.ok, report.rows) == (True, 0)


def test_command_imports_and_prints_a_summary(tmp_path, coesfeld_user, coesfeld):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(*GOOD))
    out = io.StringIO()
    call_command("import_figures", str(path), "--user", "bob", "--dry-run", stdout=out)
    assert "Probelauf export.csv: 5 Zeilen, 5 neu" in out.getvalue()
    assert not MonthlyValue.objects.exists()
    call_command("import_figures", str(path), "--user", "bob", stdout=out)
    assert MonthlyValue.objects.count() == 5


def test_command_fails_on_bad_rows(tmp_path, coesfeld_user, coesfeld):
    path = tmp_path / "export.csv"
    path.write_bytes(csv_bytes(*GOOD, "05558;2023-01;elb;insgesamt;x;t3"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 fehlerhafte"):
        call_command("import_figures", str(path), "--user", "bob", stderr=err)
    assert "Zeile 7, wert" in err.getvalue()
    assert not MonthlyValue.objects.exists()


# --- COPY and the portable path write the same -----------------------------------


def _written(provider):
    values = sorted(
        MonthlyValue.objects.filter(provider=provider).values_list(
            "month", "element__code", "sex", "value", "data_status", "comment"
        )
    )
    history = list(
        MonthlyValueChange.objects.filter(monthly_value__provider=provider)
        .order_by("monthly_value__element__code", "monthly_value__sex", "pk")
        .values_list(
            "monthly_value__month",
            "monthly_value__element__code",
            "monthly_value__sex",
            "old_value",
            "old_data_status",
            "new_value",
            "data_status",
            "reason",
        )
    )
    return values, history


@pytest.mark.parametrize("copy", [True, False])
def test_copy_and_portable_paths_write_the_same_values_and_history(
    monkeypatch, coesfeld_user, coesfeld, copy
):
    """First a new month, then a revision of it; and a bad row changes nothing."""
    from django.db import connection

    from indicators import import_service

    if copy and connection.vendor != "postgresql":
        pytest.skip("COPY exists on PostgreSQL only")
    monkeypatch.setattr(import_service, "USE_COPY", copy)
    first = csv_bytes(
        "05558;2023-01;elb;insgesamt;8.512;t0",
        "05558;2023-01;elb;frauen;4.300;t0",
        "05558;2023-01;integrationen;insgesamt;210;t0",
    )
    assert run(first, coesfeld_user).ok
    assert _reporting(coesfeld) == [("t0", 1, coesfeld_user.pk, "open", True)]
    revision = csv_bytes(
        "05558;2023-01;elb;insgesamt;8.520;t3",
        "05558;2023-01;elb;frauen;4.300;t3",
        "05558;2023-01;integrationen;insgesamt;212;t3",
    )
    # what COPY's text format must escape: backslash, tab, line breaks
    reason = "t-3-Lieferung\\Korrektur\tlaut\r\nBescheid"
    assert run(revision, coesfeld_user, reason=reason).ok
    bad = csv_bytes(
        "05558;2023-01;elb;insgesamt;9.999;t3",
        "05558;2023-01;gibtsnicht;insgesamt;1;t3",
    )
    assert not run(bad, coesfeld_user).ok
    values, history = _written(coesfeld)
    assert values == [
        (datetime.date(2023, 1, 1), "elb", "total", Decimal("8520"), "t3", ""),
        (datetime.date(2023, 1, 1), "elb", "women", Decimal("4300"), "t3", ""),
        (datetime.date(2023, 1, 1), "integrationen", "total", Decimal("212"), "t3", ""),
    ]
    assert [(h[3], h[4], h[5], h[6]) for h in history] == [
        (None, "", Decimal("8512"), "t0"),
        (Decimal("8512"), "t0", Decimal("8520"), "t3"),
        (None, "", Decimal("4300"), "t0"),
        (Decimal("4300"), "t0", Decimal("4300"), "t3"),
        (None, "", Decimal("210"), "t0"),
        (Decimal("210"), "t0", Decimal("212"), "t3"),
    ]
    assert [h[7] for h in history] == ["", reason] * 3
    assert _reporting(coesfeld) == [("t3", 2, coesfeld_user.pk, "open", True)]


def _reporting(provider):
    return [
        (
            m.data_status,
            m.version,
            m.updated_by_id,
            m.approval,
            m.updated_at is not None,
        )
        for m in ReportingMonth.objects.filter(provider=provider)
    ]


def test_new_months_of_a_file_are_inserted_batch_by_batch(
    monkeypatch, coesfeld_user, coesfeld
):
    """Every new month of a file gets its reporting month, in each batch."""
    from indicators import import_service

    monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
    months = [f"2023-{number:02}" for number in range(1, 6)]
    status = {"2023-01": "t3", "2023-02": "t3"}
    report = run(
        csv_bytes(
            *(
                f"05558;{month};elb;insgesamt;{100 + index};{status.get(month, 't0')}"
                for index, month in enumerate(months)
            )
        ),
        coesfeld_user,
    )
    assert report.ok, report.errors
    found = ReportingMonth.objects.filter(provider=coesfeld).order_by("month")
    assert [(m.month.month, m.data_status, m.version) for m in found] == [
        (1, "t3", 1),
        (2, "t3", 1),
        (3, "t0", 1),
        (4, "t0", 1),
        (5, "t0", 1),
    ]


def test_a_bad_cell_repeated_is_reported_on_each_of_its_lines(coesfeld_user, coesfeld):
    """The import reads the same key, month and code once: errors keep lines."""
    lines = [
        "05558;2023-01;elb;insgesamt;1;t3",
        "99999;2023-01;elb;insgesamt;1;t3",
        "05558;2023-01;xyz;insgesamt;1;t3",
        "99999;2023-02;elb;insgesamt;1;t3",
        "05558;2023-02;xyz;insgesamt;1;t3",
        "05558;2023-02;bg;frauen;1;t3",
        "05558;2023-03;bg;frauen;1;t3",
    ]
    report = run(csv_bytes(*lines), coesfeld_user, dry_run=True)
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "regionalschluessel"),
        (4, "merkmal"),
        (5, "regionalschluessel"),
        (6, "merkmal"),
        (7, "geschlecht"),
        (8, "geschlecht"),
    ]
    assert "„99999“" in report.errors[0].reason
    assert report.errors[4].reason == report.errors[5].reason


@pytest.mark.parametrize(
    "text",
    ["0", "7", "007", "3489", "9999999999999", "99999999999999", "12345678901234567"],
)
def test_plain_digits_are_read_as_the_grid_reads_them(text):
    """The import's shortcut for plain digits agrees with the grid's rules."""
    from indicators import importing, validation
    from indicators.forms import bounded_figure

    read, reason = importing._value(text, None)
    try:
        expected = bounded_figure(validation.parse_figure(text, whole_numbers=True))
    except validation.FigureError:
        expected = None
    assert read == expected
    assert (reason is not None) == (expected is None)


def test_the_header_names_the_columns_in_any_order_beside_others(
    coesfeld_user, coesfeld
):
    """Columns are found by their names: another order and a column of the
    Jobcenter's own change nothing; a row short of cells says what it lacks."""
    content = (
        "\ufeffBemerkung;Datenstand;Wert;Geschlecht;Merkmal;Monat;Regionalschluessel\r\n"
        "aus dem Export;t3;8.512;insgesamt;elb;2023-01;05558\r\n"
        ";t3;4300;frauen;elb;2023-01;05558\r\n"
        "gekürzt;t3;4.212\r\n"
    ).encode()
    report = run(content, coesfeld_user, dry_run=True)
    assert {(e.line, e.column): e.reason for e in report.errors} == {
        (4, "regionalschluessel"): "Der Regionalschlüssel fehlt.",
        (4, "monat"): "Monat bitte als JJJJ-MM angeben, z. B. 2023-01.",
        (4, "merkmal"): "Das Merkmal fehlt.",
        (4, "geschlecht"): "Geschlecht bitte als insgesamt, frauen oder maenner.",
    }
    good = "\r\n".join(content.decode().splitlines()[:3]).encode()
    report = run(good, coesfeld_user)
    assert report.ok
    assert sorted(
        MonthlyValue.objects.values_list("element__code", "sex", "value")
    ) == [("elb", "total", Decimal("8512")), ("elb", "women", Decimal("4300"))]
