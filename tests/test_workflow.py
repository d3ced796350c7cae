"""The sign workflow: final → signed (archived) → amendment; signed is locked."""

import datetime
import hashlib
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from agreements import services
from agreements.models import (
    Agreement,
    AgreementLockedError,
    AgreementStatus,
    FocusArea,
    Goal,
    Party,
    Target,
)
from agreements.pdf import render_agreement_pdf
from zielsteuerung.versioning import EditGone

from .conftest import SIGNATURES, scanned_pdf_bytes, scanned_upload
from .pdftools import pdf_reader, pdf_text, xmp

pytestmark = pytest.mark.django_db


def url(name, agreement):
    return reverse(f"agreements:{name}", args=[agreement.pk])


# --- services -------------------------------------------------------------------


def test_finalize_freezes_and_records_who(agreement, ministry_user):
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.FINAL
    assert not agreement.is_editable
    record = agreement.history.first()
    assert record.history_user == ministry_user
    assert record.history_change_reason == "Endfassung festgelegt"


@pytest.mark.parametrize("who", ["coesfeld_user", "borken_user", "ministry_reader"])
def test_only_ministry_editors_finalize(request, agreement, who):
    with pytest.raises(PermissionDenied):
        services.agreement_finalize(
            agreement=agreement, acting_user=request.getfixturevalue(who)
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT


def test_reopen_needs_a_reason_and_records_it(final_agreement, ministry_user):
    with pytest.raises(services.AgreementStateError):
        services.agreement_reopen(
            agreement=final_agreement, acting_user=ministry_user, reason="  "
        )
    services.agreement_reopen(
        agreement=final_agreement,
        acting_user=ministry_user,
        reason="Zielwert K2 nachverhandelt",
    )
    final_agreement.refresh_from_db()
    assert final_agreement.status == AgreementStatus.DRAFT
    assert final_agreement.history.first().history_change_reason == (
        "Zielwert K2 nachverhandelt"
    )


def test_draft_cannot_be_signed_or_reopened(agreement, ministry_user):
    with pytest.raises(services.AgreementStateError):
        services.agreement_sign(
            agreement=agreement,
            acting_user=ministry_user,
            signatures=SIGNATURES,
            signed_copy=scanned_upload(),
        )
    with pytest.raises(services.AgreementStateError):
        services.agreement_reopen(
            agreement=agreement, acting_user=ministry_user, reason="x"
        )


def test_sign_records_places_dates_and_both_files(signed_agreement):
    agreement = Agreement.objects.get(pk=signed_agreement.pk)
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_at is not None
    parties = {p.role: p for p in agreement.parties.all()}
    assert parties["ministry"].signing_place == "Düsseldorf"
    assert parties["ministry"].signing_date == datetime.date(2014, 6, 2)
    assert parties["provider"].signing_date == datetime.date(2014, 5, 9)
    assert agreement.signed_copy.read() == scanned_pdf_bytes()
    archive = agreement.archive_pdf.read()
    assert hashlib.sha256(archive).hexdigest() == agreement.archive_sha256


# --- the archive copy -------------------------------------------------------------


def test_archive_is_pdf_a_3b_without_draft_mark(signed_agreement):
    data = signed_agreement.archive_pdf.read()
    metadata = xmp(data)
    assert re.search(r'pdfaid:part(="3"|>3<)', metadata)
    assert re.search(r'pdfaid:conformance(="B"|>B<)', metadata)
    text = pdf_text(data)
    assert "ENTWURF" not in text
    assert "Düsseldorf, den 2.6.2014" in text
    assert "Coesfeld, den 9.5.2014" in text


def test_archive_carries_the_targets_as_json(signed_agreement):
    reader = pdf_reader(signed_agreement.archive_pdf.read())
    [content] = reader.attachments["zielvereinbarung.json"]
    data = json.loads(content)
    assert data["year"] == 2014
    assert data["provider"] == "Kreis Coesfeld"
    [goal] = data["goals"]
    [target] = goal["targets"]
    assert target["target_value"] == "25.4"
    assert target["baseline_value"] == "22.5"
    assert target["indicator"] == "k2"
    signing = {party["role"]: party["signing_date"] for party in data["parties"]}
    assert signing == {"ministry": "2014-06-02", "provider": "2014-05-09"}


def test_archive_download_gives_the_stored_bytes_every_time(
    client_for, ministry_user, signed_agreement
):
    client = client_for(ministry_user)
    first = b"".join(client.get(url("archive", signed_agreement)).streaming_content)
    second = b"".join(client.get(url("archive", signed_agreement)).streaming_content)
    assert first == second
    assert hashlib.sha256(first).hexdigest() == signed_agreement.archive_sha256
    page = client.get(url("detail", signed_agreement)).content.decode()
    assert signed_agreement.archive_sha256 in page


# --- a signed agreement is locked everywhere -------------------------------------


def test_model_refuses_to_save_or_delete_signed_agreement(signed_agreement):
    agreement = Agreement.objects.get(pk=signed_agreement.pk)
    agreement.preamble = "Geändert"
    with pytest.raises(AgreementLockedError):
        agreement.save()
    with pytest.raises(AgreementLockedError):
        agreement.delete()
    with pytest.raises(AgreementLockedError):
        Agreement.objects.filter(pk=agreement.pk).update(preamble="x")
    with pytest.raises(AgreementLockedError):
        Agreement.objects.filter(pk=agreement.pk).delete()
    assert Agreement.objects.get(pk=agreement.pk).preamble == ""


def test_model_refuses_changes_to_parts_of_signed_agreement(signed_agreement):
    party = Party.objects.filter(agreement=signed_agreement).first()
    goal = Goal.objects.get(agreement=signed_agreement)
    target = Target.objects.get(goal=goal)
    party.representative_name = "Jemand anders"
    target.target_value = 30
    goal.title = "Neu"
    for change in [
        party.save,
        party.delete,
        goal.save,
        goal.delete,
        target.save,
        target.delete,
        lambda: FocusArea.objects.create(
            ministry=signed_agreement.provider.supervisor, year=2014, title="Neu"
        ),
        lambda: Goal.objects.create(agreement=signed_agreement, number="IX", title="X"),
        lambda: Target.objects.create(goal=goal, kind="qualitative", sentence="X"),
        lambda: Target.objects.filter(goal=goal).update(sentence="x"),
        lambda: Party.objects.filter(agreement=signed_agreement).delete(),
    ]:
        with pytest.raises(AgreementLockedError):
            change()
    assert Target.objects.get(pk=target.pk).target_value == Decimal("25.4")


def test_part_cannot_be_moved_out_of_a_signed_agreement(
    signed_agreement, borken_agreement
):
    goal = Goal.objects.get(agreement=signed_agreement)
    goal.agreement = borken_agreement
    with pytest.raises(AgreementLockedError):
        goal.save()


def test_services_refuse_to_change_signed_agreement(signed_agreement, ministry_user):
    goal = Goal.objects.get(agreement=signed_agreement)
    with pytest.raises(EditGone):
        services.goal_create(goal=Goal(agreement=signed_agreement, number="X"))
    with pytest.raises(EditGone):
        services.target_create(
            target=Target(goal=goal, kind="qualitative", sentence="X")
        )
    Goal.objects.filter(pk=goal.pk)  # reading is fine
    for step in (services.agreement_finalize, services.agreement_amend):
        assert step  # the workflow itself is tested below
    with pytest.raises(services.AgreementStateError):
        services.agreement_finalize(
            agreement=signed_agreement, acting_user=ministry_user
        )
    with pytest.raises(services.AgreementStateError):
        services.agreement_reopen(
            agreement=signed_agreement, acting_user=ministry_user, reason="x"
        )
    with pytest.raises(services.AgreementStateError):
        services.agreement_sign(
            agreement=signed_agreement,
            acting_user=ministry_user,
            signatures=SIGNATURES,
            signed_copy=scanned_upload(),
        )


def test_item_move_refuses_signed_agreement(agreement, ministry_user):
    Goal.objects.create(agreement=agreement, number="III", title="Drei", position=5)
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    last = agreement.goals.order_by("position").last()
    with pytest.raises(AgreementLockedError):
        services.item_move(item=last, siblings=agreement.goals.all(), offset=-1)


def test_every_edit_view_refuses_signed_agreement(
    client_for, ministry_user, signed_agreement
):
    client = client_for(ministry_user)
    goal = Goal.objects.get(agreement=signed_agreement)
    target = Target.objects.get(goal=goal)
    base = f"/zielvereinbarungen/{signed_agreement.pk}"
    forms = [
        f"{base}/bearbeiten/",
        f"{base}/ziele/neu/",
        f"{base}/ziele/{goal.pk}/bearbeiten/",
        f"{base}/ziele/{goal.pk}/vorgaben/neu/",
        f"{base}/vorgaben/{target.pk}/bearbeiten/",
    ]
    for page in forms:
        # A form opened before the signing gets its input back, unsaved.
        assert client.get(page).status_code == 403, page
        response = client.post(page, {"title": "Getippt", "version": "1"})
        assert response.status_code == 409, page
        assert "unterzeichnet" in response.content.decode(), page
    pages = [
        f"{base}/ziele/{goal.pk}/loeschen/",
        f"{base}/vorgaben/{target.pk}/loeschen/",
        f"{base}/endfassung/",
        f"{base}/zurueck-zum-entwurf/",
        f"{base}/unterzeichnen/",
    ]
    for page in pages:
        assert client.get(page).status_code == 403, page
        assert client.post(page, {"reason": "x"}).status_code == 403, page
    for page in [
        f"{base}/ziele/{goal.pk}/verschieben/",
        f"{base}/vorgaben/{target.pk}/verschieben/",
    ]:
        assert client.post(page, {"direction": "up"}).status_code == 403, page
    assert Agreement.objects.get(pk=signed_agreement.pk).status == "signed"


def test_admin_shows_signed_agreement_read_only(admin_client, signed_agreement):
    change_url = reverse(
        "admin:agreements_agreement_change", args=[signed_agreement.pk]
    )
    response = admin_client.get(change_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content
    assert 'name="preamble"' not in content
    assert admin_client.post(change_url, {"preamble": "x"}).status_code == 403
    delete_url = reverse(
        "admin:agreements_agreement_delete", args=[signed_agreement.pk]
    )
    assert admin_client.get(delete_url).status_code == 403
    goal = Goal.objects.get(agreement=signed_agreement)
    goal_url = reverse("admin:agreements_goal_change", args=[goal.pk])
    assert 'name="_save"' not in admin_client.get(goal_url).content.decode()
    assert admin_client.post(goal_url, {"title": "x"}).status_code == 403


def test_admin_still_edits_drafts(admin_client, agreement):
    change_url = reverse("admin:agreements_agreement_change", args=[agreement.pk])
    content = admin_client.get(change_url).content.decode()
    assert 'name="_save"' in content
    assert 'name="preamble"' in content


# --- amendments ------------------------------------------------------------------


def test_amendment_is_a_new_draft_copy_pointing_to_its_predecessor(
    signed_agreement, ministry_user
):
    amendment = services.agreement_amend(
        agreement=signed_agreement, acting_user=ministry_user
    )
    assert amendment.pk != signed_agreement.pk
    assert amendment.status == AgreementStatus.DRAFT
    assert amendment.version == 2
    assert amendment.amends_id == signed_agreement.pk
    assert (amendment.provider, amendment.year) == (
        signed_agreement.provider,
        signed_agreement.year,
    )
    [goal] = amendment.goals.all()
    [target] = goal.targets.all()
    assert target.target_value == Decimal("25.4")
    parties = {p.role: p for p in amendment.parties.all()}
    assert parties["ministry"].short_name == "MAIS NRW"
    assert parties["ministry"].signing_date is None
    assert amendment.history.first().history_change_reason == (
        "Änderungsvereinbarung zu Fassung 1 angelegt"
    )
    # The signed version is untouched and cannot be amended twice.
    signed = Agreement.objects.get(pk=signed_agreement.pk)
    assert signed.status == AgreementStatus.SIGNED
    assert signed.goals.get().targets.count() == 1
    with pytest.raises(services.AgreementStateError):
        services.agreement_amend(agreement=signed, acting_user=ministry_user)


def test_amendment_can_be_edited_and_prints_as_amendment(
    signed_agreement, ministry_user
):
    amendment = services.agreement_amend(
        agreement=signed_agreement, acting_user=ministry_user
    )
    target = Target.objects.get(goal__agreement=amendment)
    target.target_value = 26
    target.save()
    text = pdf_text(render_agreement_pdf(amendment))
    assert "Änderungsvereinbarung" in text
    assert "Fassung 2" in text
    assert "ersetzt die unterzeichnete Fassung 1" in text
    assert "ENTWURF" in text


def test_only_signed_agreements_can_be_amended(final_agreement, ministry_user):
    with pytest.raises(services.AgreementStateError):
        services.agreement_amend(agreement=final_agreement, acting_user=ministry_user)


# --- views: three users each -----------------------------------------------------


@pytest.mark.parametrize("step", ["finalize"])
def test_workflow_page_for_draft(client_for, request, agreement, step):
    ministry = client_for(request.getfixturevalue("ministry_user"))
    assert ministry.get(url(step, agreement)).status_code == 200
    own = client_for(request.getfixturevalue("coesfeld_user"))
    assert own.get(url(step, agreement)).status_code == 403
    other = client_for(request.getfixturevalue("borken_user"))
    assert other.get(url(step, agreement)).status_code == 404


@pytest.mark.parametrize("step", ["reopen", "sign"])
def test_workflow_pages_for_final(client_for, request, final_agreement, step):
    ministry = client_for(request.getfixturevalue("ministry_user"))
    assert ministry.get(url(step, final_agreement)).status_code == 200
    own = client_for(request.getfixturevalue("coesfeld_user"))
    assert own.get(url(step, final_agreement)).status_code == 403
    assert own.post(url(step, final_agreement)).status_code == 403
    other = client_for(request.getfixturevalue("borken_user"))
    assert other.get(url(step, final_agreement)).status_code == 404
    assert other.post(url(step, final_agreement)).status_code == 404


def test_reader_cannot_finalize(client_for, ministry_reader, agreement):
    response = client_for(ministry_reader).post(url("finalize", agreement))
    assert response.status_code == 403


def test_amend_page_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, signed_agreement
):
    assert (
        client_for(ministry_user).get(url("amend", signed_agreement)).status_code == 200
    )
    assert (
        client_for(coesfeld_user).post(url("amend", signed_agreement)).status_code
        == 403
    )
    assert (
        client_for(borken_user).post(url("amend", signed_agreement)).status_code == 404
    )
    assert not signed_agreement.amendments.exists()


@pytest.mark.parametrize("name", ["archive", "signed_copy"])
def test_signed_files_three_users(
    client_for, ministry_user, coesfeld_user, borken_user, signed_agreement, name
):
    for user in (ministry_user, coesfeld_user):
        response = client_for(user).get(url(name, signed_agreement))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    assert client_for(borken_user).get(url(name, signed_agreement)).status_code == 404


@pytest.mark.parametrize("name", ["archive", "signed_copy"])
def test_unsigned_agreement_has_no_files(client_for, ministry_user, agreement, name):
    assert client_for(ministry_user).get(url(name, agreement)).status_code == 404


def test_media_is_not_served_publicly(client_for, ministry_user, signed_agreement):
    path = "/media/" + signed_agreement.archive_pdf.name
    assert client_for(ministry_user).get(path).status_code == 404


def test_whole_workflow_through_the_views(client_for, ministry_user, agreement):
    client = client_for(ministry_user)
    response = client.post(url("finalize", agreement), follow=True)
    assert "ist jetzt die Endfassung" in response.content.decode()
    response = client.post(
        url("sign", agreement),
        {
            "ministry_place": "Düsseldorf",
            "ministry_date": "2014-06-02",
            "provider_place": "Coesfeld",
            "provider_date": "2014-05-09",
            "signed_copy": scanned_upload(),
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Die Unterzeichnung ist erfasst" in content
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.archive_sha256 in content
    response = client.post(url("amend", agreement))
    amendment = Agreement.objects.get(amends=agreement)
    assert response.url == amendment.get_absolute_url()


def test_reopen_view_records_reason_shown_in_history(
    client_for, ministry_user, final_agreement
):
    client = client_for(ministry_user)
    response = client.post(url("reopen", final_agreement), {"reason": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    response = client.post(
        url("reopen", final_agreement),
        {"reason": "Zielwert nachverhandelt"},
        follow=True,
    )
    content = response.content.decode()
    assert "wieder ein Entwurf" in content
    assert "Zielwert nachverhandelt" in content


# --- the upload is checked ----------------------------------------------------------


def _sign_post(client, agreement, upload):
    return client.post(
        url("sign", agreement),
        {
            "ministry_place": "Düsseldorf-Mitte",
            "ministry_date": "2014-06-02",
            "provider_place": "Coesfeld",
            "provider_date": "2014-05-09",
            "signed_copy": upload,
        },
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Hallo, ich bin kein PDF", "kein PDF"),
        (b"%PDF-1.7\nnur ein Anfang, kein Dokument", "lässt sich nicht lesen"),
        (b"", "Die übertragene Datei ist leer"),
    ],
)
def test_sign_refuses_files_that_are_not_pdfs_and_keeps_input(
    client_for, ministry_user, final_agreement, content, message
):
    response = _sign_post(
        client_for(ministry_user), final_agreement, scanned_upload(content)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Düsseldorf-Mitte"' in page
    assert Agreement.objects.get(pk=final_agreement.pk).status == "final"


def test_sign_refuses_too_large_files(
    client_for, ministry_user, final_agreement, settings
):
    settings.SIGNED_COPY_MAX_BYTES = 200
    response = _sign_post(client_for(ministry_user), final_agreement, scanned_upload())
    assert "zu groß" in response.content.decode()
    assert Agreement.objects.get(pk=final_agreement.pk).status == "final"


def test_sign_refuses_dates_in_the_future(client_for, ministry_user, final_agreement):
    response = client_for(ministry_user).post(
        url("sign", final_agreement),
        {
            "ministry_place": "Düsseldorf",
            "ministry_date": "2999-01-01",
            "provider_place": "Coesfeld",
            "provider_date": "2014-05-09",
            "signed_copy": scanned_upload(),
        },
    )
    assert "Das Datum liegt in der Zukunft." in response.content.decode()


# --- detail page ---------------------------------------------------------------------


def test_detail_shows_workflow_buttons_to_ministry_only(
    client_for, ministry_user, coesfeld_user, agreement
):
    page = client_for(ministry_user).get(url("detail", agreement)).content.decode()
    assert url("finalize", agreement) in page
    page = client_for(coesfeld_user).get(url("detail", agreement)).content.decode()
    assert url("finalize", agreement) not in page
    assert url("pdf", agreement) in page


def test_signed_detail_shows_hash_and_downloads_to_own_provider(
    client_for, coesfeld_user, signed_agreement
):
    page = (
        client_for(coesfeld_user).get(url("detail", signed_agreement)).content.decode()
    )
    assert signed_agreement.archive_sha256 in page
    assert url("archive", signed_agreement) in page
    assert url("signed_copy", signed_agreement) in page
    assert url("amend", signed_agreement) not in page
