"""Complete → accept → locked → reopened with a reason, as DHIS2 does it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators import approval, services
from indicators.import_service import figures_import
from indicators.models import (
    DataElement,
    MonthAction,
    MonthApproval,
    MonthlyValue,
    ReportingMonth,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2023, 1, 1)
HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"


def full_month(provider, user, month=JAN, total=1000, **comments):
    """Every element × sex of ``month`` (women 400 + men 600 = 1000)."""
    split = {"total": total, "women": total * 2 // 5, "men": total - total * 2 // 5}
    values = {
        (element, sex): Decimal(split[sex])
        for element in DataElement.objects.all()
        for sex in element.sexes
    }
    services.month_values_save(
        provider=provider,
        month=month,
        values=values,
        comments=comments,
        data_status="t3",
        version=services.reporting_month_for(provider, month).version,
        acting_user=user,
        reason="Korrektur" if user.organisation.is_ministry else "",
    )


def url(name, provider, month=JAN):
    return reverse(f"indicators:{name}", args=[provider.regional_key, month])


def approval_of(provider, month=JAN):
    return ReportingMonth.objects.get(provider=provider, month=month).approval


def test_complete_accept_lock_and_reopen_with_reason(
    client_for, coesfeld, coesfeld_user, ministry_user
):
    full_month(coesfeld, coesfeld_user)
    jobcenter = client_for(coesfeld_user)
    response = jobcenter.post(url("month_complete", coesfeld))
    assert response.status_code == 302
    assert approval_of(coesfeld) == MonthApproval.COMPLETE

    ministry = client_for(ministry_user)
    version = ReportingMonth.objects.get().version
    response = ministry.post(url("month_accept", coesfeld), {"version": version})
    assert response.status_code == 302
    assert approval_of(coesfeld) == MonthApproval.ACCEPTED

    # Locked: the grid shows no inputs and refuses a save, the service too.
    jobcenter = client_for(coesfeld_user)
    response = jobcenter.get(url("grid", coesfeld))
    assert response.context["can_edit"] is False
    assert 'name="v-elb-total"' not in response.content.decode()
    assert "abgenommen und gesperrt" in response.content.decode()
    response = jobcenter.post(url("grid", coesfeld), {"v-elb-total": "1"}, follow=True)
    assert "gesperrt" in response.content.decode()
    with pytest.raises(services.MonthLocked):
        full_month(coesfeld, coesfeld_user, total=2000)
    assert MonthlyValue.objects.get(element__code="elb", sex="total").value == 1000

    # Reopening needs a reason from a ministry editor.
    ministry = client_for(ministry_user)
    response = ministry.post(url("month_reopen", coesfeld), {"reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert approval_of(coesfeld) == MonthApproval.ACCEPTED
    reason = "Revision der Statistik vom 3.2.2025"
    response = ministry.post(url("month_reopen", coesfeld), {"reason": reason})
    assert response.status_code == 302
    assert approval_of(coesfeld) == MonthApproval.OPEN
    full_month(coesfeld, coesfeld_user, total=1010)

    steps = list(
        ReportingMonth.objects.get()
        .events.order_by("pk")
        .values_list("action", "acted_by__username", "reason")
    )
    assert steps == [
        (MonthAction.COMPLETE, "bob", ""),
        (MonthAction.ACCEPT, "alice", ""),
        (MonthAction.REOPEN, "alice", reason),
    ]
    content = client_for(coesfeld_user).get(url("month_history", coesfeld))
    content = content.content.decode()
    assert reason in content
    assert "abgenommen" in content
    assert "1.010" in content


def test_a_month_with_problems_cannot_be_completed(coesfeld, coesfeld_user):
    assert approval.month_problems(coesfeld, JAN) == [
        "Für diesen Monat gibt es noch keine Werte."
    ]
    bg = DataElement.objects.get(code="bg")
    services.month_values_save(
        provider=coesfeld,
        month=JAN,
        values={(bg, "total"): Decimal(4400)},
        data_status="t0",
        version=0,
        acting_user=coesfeld_user,
    )
    problems = approval.month_problems(coesfeld, JAN)
    assert problems[0].startswith("Es fehlen Werte: eLb (insgesamt), eLb (Frauen)")
    with pytest.raises(approval.MonthNotReady):
        approval.reporting_month_complete(
            provider=coesfeld, month=JAN, acting_user=coesfeld_user
        )
    assert approval_of(coesfeld) == MonthApproval.OPEN


def test_a_jump_without_comment_blocks_completion(coesfeld, coesfeld_user):
    full_month(coesfeld, coesfeld_user, month=datetime.date(2022, 12, 1))
    full_month(coesfeld, coesfeld_user, total=1500, bg="Sondereffekt")
    problems = approval.month_problems(coesfeld, JAN)
    assert any("eLb (insgesamt): +50,0 % gegenüber Vormonat" in p for p in problems)
    assert not any(p.startswith("BG") for p in problems)  # bg has a comment


def test_the_jobcenter_gets_the_reasons_when_completion_fails(
    client_for, coesfeld, coesfeld_user
):
    response = client_for(coesfeld_user).post(
        url("month_complete", coesfeld), follow=True
    )
    assert "kann noch nicht als vollständig gemeldet werden" in (
        response.content.decode()
    )


def test_changing_a_complete_month_withdraws_the_completion(
    client_for, coesfeld, coesfeld_user
):
    full_month(coesfeld, coesfeld_user)
    client_for(coesfeld_user).post(url("month_complete", coesfeld))
    full_month(coesfeld, coesfeld_user, total=1010)
    assert approval_of(coesfeld) == MonthApproval.OPEN
    last = ReportingMonth.objects.get().events.first()
    assert last.action == MonthAction.WITHDRAW


def test_accepting_after_a_change_is_refused(
    client_for, coesfeld, coesfeld_user, ministry_user
):
    full_month(coesfeld, coesfeld_user)
    client_for(coesfeld_user).post(url("month_complete", coesfeld))
    stale = ReportingMonth.objects.get().version
    ReportingMonth.objects.update(version=stale + 1)  # saved meanwhile
    response = client_for(ministry_user).post(
        url("month_accept", coesfeld), {"version": stale}, follow=True
    )
    assert "geändert, nachdem Sie die Seite geöffnet" in response.content.decode()
    assert approval_of(coesfeld) == MonthApproval.COMPLETE


def test_import_refuses_changes_to_an_accepted_month_but_not_equal_values(
    client_for, coesfeld, coesfeld_user, ministry_user
):
    full_month(coesfeld, coesfeld_user)
    client_for(coesfeld_user).post(url("month_complete", coesfeld))
    version = ReportingMonth.objects.get().version
    client_for(ministry_user).post(url("month_accept", coesfeld), {"version": version})

    same = f"{HEADER}\r\n05558;2023-01;elb;insgesamt;1000;t3\r\n".encode()
    report = figures_import(content=same, file_name="a.csv", acting_user=coesfeld_user)
    assert report.ok
    assert report.unchanged == 1
    changed = f"{HEADER}\r\n05558;2023-01;elb;insgesamt;1001;t3\r\n".encode()
    report = figures_import(
        content=changed, file_name="b.csv", acting_user=coesfeld_user
    )
    assert [(e.line, e.column) for e in report.errors] == [(2, "monat")]
    assert "gesperrt" in report.errors[0].reason
    assert MonthlyValue.objects.get(element__code="elb", sex="total").value == 1000


def test_import_into_a_complete_month_withdraws_the_completion(
    client_for, coesfeld, coesfeld_user
):
    full_month(coesfeld, coesfeld_user)
    client_for(coesfeld_user).post(url("month_complete", coesfeld))
    changed = f"{HEADER}\r\n05558;2023-01;elb;insgesamt;1001;t3\r\n".encode()
    report = figures_import(
        content=changed, file_name="b.csv", acting_user=coesfeld_user
    )
    assert report.ok
    assert approval_of(coesfeld) == MonthApproval.OPEN


# --- three users on every new view ----------------------------------------------


@pytest.fixture
def complete_month(client_for, coesfeld, coesfeld_user):
    full_month(coesfeld, coesfeld_user)
    client_for(coesfeld_user).post(url("month_complete", coesfeld))
    return ReportingMonth.objects.get()


def test_complete_three_users(
    client_for, coesfeld, coesfeld_user, ministry_user, borken_user
):
    full_month(coesfeld, coesfeld_user)
    assert (
        client_for(ministry_user).post(url("month_complete", coesfeld)).status_code
        == 403
    )
    assert (
        client_for(borken_user).post(url("month_complete", coesfeld)).status_code == 404
    )
    assert (
        client_for(coesfeld_user).get(url("month_complete", coesfeld)).status_code
        == 405
    )
    assert (
        client_for(coesfeld_user).post(url("month_complete", coesfeld)).status_code
        == 302
    )
    assert approval_of(coesfeld) == MonthApproval.COMPLETE


def test_accept_three_users(
    client_for, coesfeld, coesfeld_user, ministry_user, borken_user, complete_month
):
    data = {"version": complete_month.version}
    assert (
        client_for(coesfeld_user).post(url("month_accept", coesfeld), data).status_code
        == 403
    )
    assert (
        client_for(borken_user).post(url("month_accept", coesfeld), data).status_code
        == 404
    )
    assert approval_of(coesfeld) == MonthApproval.COMPLETE
    assert (
        client_for(ministry_user).post(url("month_accept", coesfeld), data).status_code
        == 302
    )
    assert approval_of(coesfeld) == MonthApproval.ACCEPTED


def test_reopen_three_users(
    client_for, coesfeld, coesfeld_user, ministry_user, borken_user, complete_month
):
    assert (
        client_for(coesfeld_user).get(url("month_reopen", coesfeld)).status_code == 403
    )
    assert client_for(borken_user).get(url("month_reopen", coesfeld)).status_code == 404
    response = client_for(ministry_user).get(url("month_reopen", coesfeld))
    assert response.status_code == 200
    assert "Grund für die Wiederöffnung" in response.content.decode()


def test_ministry_reader_may_not_accept(
    client_for, coesfeld, ministry_reader, complete_month
):
    data = {"version": complete_month.version}
    response = client_for(ministry_reader).post(url("month_accept", coesfeld), data)
    assert response.status_code == 403


def test_month_history_three_users(
    client_for, coesfeld, coesfeld_user, ministry_user, borken_user, complete_month
):
    assert (
        client_for(ministry_user).get(url("month_history", coesfeld)).status_code == 200
    )
    assert (
        client_for(coesfeld_user).get(url("month_history", coesfeld)).status_code == 200
    )
    assert (
        client_for(borken_user).get(url("month_history", coesfeld)).status_code == 404
    )


def test_grid_offers_the_steps_each_user_may_take(
    client_for, coesfeld, coesfeld_user, ministry_user, complete_month
):
    ministry_page = client_for(ministry_user).get(url("grid", coesfeld))
    assert ministry_page.context["can_accept"] is True
    assert ministry_page.context["can_complete"] is False
    assert url("month_accept", coesfeld) in ministry_page.content.decode()
    jobcenter_page = client_for(coesfeld_user).get(url("grid", coesfeld))
    assert jobcenter_page.context["can_accept"] is False
    assert "vollständig gemeldet am" in jobcenter_page.content.decode()
