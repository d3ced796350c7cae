"""Import warnings: the grid's 30 % rule and t-0 over t-3 need a reason."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from indicators.import_service import figures_import
from indicators.models import MonthlyValue, MonthlyValueChange, ReportingMonth

pytestmark = pytest.mark.django_db

HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
JAN, FEB = datetime.date(2023, 1, 1), datetime.date(2023, 2, 1)


def csv(*lines):
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode()


def run(content, user, **options):
    return figures_import(
        content=content, file_name="export.csv", acting_user=user, **options
    )


@pytest.fixture
def january(coesfeld, coesfeld_user):
    """Coesfeld's January 2023, final (t-3): 9.120 eLb."""
    report = run(csv("05558;2023-01;elb;insgesamt;9.120;t3"), coesfeld_user)
    assert report.ok
    return report


JUMP = "05558;2023-02;elb;insgesamt;20.000;t0"  # +119 %


def feb_elb():
    return MonthlyValue.objects.filter(month=FEB, element__code="elb").first()


def test_a_jump_of_119_percent_is_a_warning_in_the_dry_run(january, coesfeld_user):
    report = run(csv(JUMP), coesfeld_user, dry_run=True)
    assert report.ok
    (warning,) = report.warnings
    assert warning.key == "z2"
    assert "+119,3 % gegenüber Vormonat (9.120)" in warning.message
    assert warning.message.startswith("eLb (insgesamt): 20.000")


def test_a_jump_without_a_reason_imports_nothing(january, coesfeld_user):
    report = run(csv(JUMP), coesfeld_user)
    assert [w.key for w in report.unexplained] == ["z2"]
    assert report.record is None
    assert feb_elb() is None


def test_a_jump_with_its_own_reason_is_imported_with_comment_and_history(
    january, coesfeld_user
):
    reason = "Zuzug aus der Ukraine, Meldung der BA geprüft"
    report = run(csv(JUMP), coesfeld_user, warning_reasons={"z2": reason})
    assert report.unexplained == []
    value = feb_elb()
    assert value.value == Decimal(20000)
    assert value.comment == reason
    assert value.changes.get().reason == reason


def test_one_reason_for_the_file_explains_every_warning(january, coesfeld_user):
    lines = [JUMP, "05558;2023-02;elb;frauen;10.000;t0"]  # no reference: no warning
    report = run(csv(*lines), coesfeld_user, file_reason="Sondereffekt")
    assert report.record is not None
    assert feb_elb().comment == "Sondereffekt"


def test_the_file_itself_is_the_reference(coesfeld, coesfeld_user):
    lines = ["05558;2023-01;elb;insgesamt;9120;t3", JUMP]
    report = run(csv(*lines), coesfeld_user, dry_run=True)
    assert [w.line for w in report.warnings] == [3]


def test_last_year_is_a_reference_too(coesfeld, coesfeld_user):
    run(csv("05558;2022-02;bg;insgesamt;1000;t3"), coesfeld_user)
    report = run(csv("05558;2023-02;bg;insgesamt;1400;t3"), coesfeld_user, dry_run=True)
    assert "+40,0 % gegenüber Vorjahresmonat (1.000)" in report.warnings[0].message


def test_t0_over_t3_is_refused_without_a_reason(january, coesfeld_user):
    report = run(csv("05558;2023-01;elb;insgesamt;9.120;t0"), coesfeld_user)
    assert [w.key for w in report.unexplained] == ["s-05558-2023-01"]
    assert "schon endgültig (t-3)" in report.unexplained[0].message
    assert MonthlyValue.objects.get(month=JAN).data_status == "t3"
    assert ReportingMonth.objects.get(month=JAN).data_status == "t3"


def test_t0_over_t3_with_a_reason_is_imported_and_kept_in_history(
    january, coesfeld_user
):
    reason = "Statistik hat den Januar zurückgezogen"
    report = run(
        csv("05558;2023-01;elb;insgesamt;9.100;t0"),
        coesfeld_user,
        warning_reasons={"s-05558-2023-01": reason},
    )
    assert report.record is not None
    value = MonthlyValue.objects.get(month=JAN)
    assert (value.value, value.data_status) == (Decimal(9100), "t0")
    change = value.changes.order_by("-pk").first()
    assert (change.old_data_status, change.data_status) == ("t3", "t0")
    assert change.reason == reason
    assert ReportingMonth.objects.get(month=JAN).data_status == "t0"


def test_t0_to_t3_needs_no_reason(coesfeld, coesfeld_user):
    run(csv("05558;2023-01;elb;insgesamt;9.120;t0"), coesfeld_user)
    report = run(csv("05558;2023-01;elb;insgesamt;9.120;t3"), coesfeld_user)
    assert report.warnings == []
    assert report.record is not None


def test_a_status_move_keeps_the_comment_of_the_value(january, coesfeld_user):
    run(csv(JUMP), coesfeld_user, file_reason="Sondereffekt")
    run(csv("05558;2023-02;elb;insgesamt;20.000;t3"), coesfeld_user)
    assert (feb_elb().data_status, feb_elb().comment) == ("t3", "Sondereffekt")


def test_ministry_reason_and_warning_reason_both_go_into_the_history(
    january, ministry_user
):
    run(
        csv(JUMP),
        ministry_user,
        reason="Korrektur nach Rückfrage",
        file_reason="Zuzug",
    )
    change = MonthlyValueChange.objects.get(monthly_value__month=FEB)
    assert change.reason == "Zuzug; Korrektur nach Rückfrage"


def test_command_needs_a_reason_for_the_warnings(tmp_path, january, coesfeld_user):
    path = tmp_path / "export.csv"
    path.write_bytes(csv(JUMP))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 Hinweise ohne Begründung"):
        call_command("import_figures", str(path), "--user", "bob", stdout=out)
    assert "Hinweis Zeile 2: eLb (insgesamt)" in out.getvalue()
    assert feb_elb() is None
    call_command(
        "import_figures",
        str(path),
        "--user",
        "bob",
        "--warnings-reason",
        "Zuzug",
        stdout=out,
    )
    assert feb_elb().comment == "Zuzug"


def test_a_stored_value_of_a_month_in_the_file_is_a_reference_too(
    january, coesfeld_user
):
    """The file brings February's BG only; its March eLb jumps against the
    February eLb stored before (not in the file), and against nothing else."""
    assert run(csv("05558;2023-02;elb;insgesamt;9.200;t0"), coesfeld_user).ok
    report = run(
        csv(
            "05558;2023-02;bg;insgesamt;4.000;t0",
            "05558;2023-03;elb;insgesamt;15.000;t0",
        ),
        coesfeld_user,
        dry_run=True,
    )
    (warning,) = report.warnings
    assert warning.key == "z3"
    assert "gegenüber Vormonat (9.200)" in warning.message


@pytest.mark.parametrize("value", ["11.856", "11.857", "20.000", "6.384", "6.383"])
def test_the_import_and_the_grid_flag_the_same_jumps(
    january, coesfeld, coesfeld_user, value
):
    """One rule: a February value the import warns about is the one the grid's
    cell (and so the form and the month's check) flags, with the same words.
    Exactly ±30 % of January's 9.120 (11.856, 6.384) is no jump yet."""
    from indicators.services import month_grid

    line = f"05558;2023-02;elb;insgesamt;{value};t0"
    report = run(csv(line), coesfeld_user, dry_run=True)
    from_import = [w.message.split(", ", 1)[1] for w in report.warnings]
    rows, _reporting = month_grid(coesfeld, FEB)
    elb = next(r for r in rows if r.element.code == "elb")
    jumps = elb.cells["total"].jumps(Decimal(value.replace(".", "")))
    assert from_import == (["; ".join(str(j) for j in jumps)] if jumps else [])
    assert bool(jumps) is (value in ("11.857", "20.000", "6.383"))
