"""Annexes: the Lokales Planungsdokument and other PDFs belong to the agreement."""

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import annexes, services
from agreements.models import AgreementLockedError, AgreementStatus, Annex
from agreements.pdf import render_agreement_pdf

from .conftest import SIGNATURES, scanned_pdf_bytes, scanned_upload, sign
from .pdftools import pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

TITLE = "Lokales Planungsdokument 2014 des Jobcenters des Kreises Coesfeld"


def _pdf(name="lpd.pdf", pages=2):
    return SimpleUploadedFile(name, scanned_pdf_bytes(pages), "application/pdf")


def _add(agreement, user, title=TITLE):
    return annexes.annex_add(
        agreement=agreement,
        kind="planning",
        title=title,
        upload=_pdf(),
        acting_user=user,
    )


def _post(client, agreement, upload=None, title=TITLE):
    url = reverse("agreements:annex_upload", args=[agreement.pk])
    data = {"kind": "planning", "title": title, "file": upload or _pdf()}
    return client.post(url, data)


@pytest.mark.parametrize(
    ("user_fixture", "status", "negotiation_status"),
    [
        ("ministry_user", 302, 302),
        ("ministry_reader", 403, 403),
        ("coesfeld_user", 403, 302),  # the Jobcenter's own, while negotiating
        ("borken_user", 404, 404),
    ],
)
def test_who_may_upload_an_annex(
    request, client_for, agreement, user_fixture, status, negotiation_status
):
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:annex_upload", args=[agreement.pk])

    def page(status):
        return 200 if status == 302 else status

    assert client.get(url).status_code == page(status)
    assert _post(client, agreement).status_code == status
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save()
    assert client.get(url).status_code == page(negotiation_status)
    assert _post(client, agreement).status_code == negotiation_status
    expected = (status == 302) + (negotiation_status == 302)
    assert agreement.annexes.count() == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"no pdf at all", "Die Datei ist kein PDF"),
        (b"%PDF-1.7 broken", "Das PDF lässt sich nicht lesen"),
    ],
)
def test_upload_refuses_what_is_no_readable_pdf(
    client_for, ministry_user, agreement, content, message
):
    upload = SimpleUploadedFile("lpd.pdf", content, "application/pdf")
    response = _post(client_for(ministry_user), agreement, upload)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Fehler: " in page  # the title says it, the summary links the field
    assert 'href="#id_file"' in page
    assert not agreement.annexes.exists()


def test_upload_refuses_files_above_the_limit(
    client_for, ministry_user, agreement, settings
):
    settings.ANNEX_MAX_BYTES = 100
    response = _post(client_for(ministry_user), agreement)
    assert "Die Datei ist zu groß" in response.content.decode()
    assert not agreement.annexes.exists()


def test_annex_is_listed_on_the_page_and_in_the_print(
    client_for, ministry_user, agreement
):
    annex = _add(agreement, ministry_user)
    assert annex.sha256 == hashlib.sha256(scanned_pdf_bytes(2)).hexdigest()
    client = client_for(ministry_user)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Anlage 1:" in page
    assert reverse("agreements:annex_download", args=[agreement.pk, annex.pk]) in page
    preview = client.get(reverse("agreements:preview", args=[agreement.pk]))
    assert TITLE in preview.content.decode().replace("\xa0", " ")
    assert f"Anlagen Anlage 1: {TITLE}" in pdf_text(render_agreement_pdf(agreement))


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 200),
        ("ministry_reader", 200),
        ("coesfeld_user", 200),
        ("borken_user", 404),
    ],
)
def test_annex_is_served_only_to_those_who_may_read_the_agreement(
    request, client_for, ministry_user, agreement, user_fixture, status
):
    annex = _add(agreement, ministry_user)
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:annex_download", args=[agreement.pk, annex.pk])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == scanned_pdf_bytes(2)
        assert "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"


def test_media_of_annexes_is_not_served_publicly(client_for, ministry_user, agreement):
    annex = _add(agreement, ministry_user)
    response = client_for(ministry_user).get(f"/media/{annex.file.name}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("user_fixture", "status"),
    [
        ("ministry_user", 302),
        ("ministry_reader", 403),
        ("coesfeld_user", 403),
        ("borken_user", 404),
    ],
)
def test_who_may_remove_an_annex(
    request, client_for, ministry_user, agreement, user_fixture, status
):
    annex = _add(agreement, ministry_user)
    client = client_for(request.getfixturevalue(user_fixture))
    url = reverse("agreements:annex_delete", args=[agreement.pk, annex.pk])
    assert client.get(url).status_code == (200 if status == 302 else status)
    assert client.post(url).status_code == status
    assert agreement.annexes.exists() == (status != 302)


def test_signing_attaches_the_annexes_to_the_archive(ministry_user, agreement):
    _add(agreement, ministry_user)
    _add(agreement, ministry_user, title="Organigramm des Jobcenters")
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    signed = sign(agreement, ministry_user)  # and the worker renders the archive
    reader = pdf_reader(signed.archive_pdf.read())
    names = sorted(reader.attachments)
    assert names == [
        "anlage-1-lokales-planungsdokument-2014-des-jobcenters-des-kreises-coesfeld.pdf",
        "anlage-2-organigramm-des-jobcenters.pdf",
        "zielvereinbarung.json",
    ]
    [first] = reader.attachments[names[0]]
    assert first == scanned_pdf_bytes(2)
    [content] = reader.attachments["zielvereinbarung.json"]
    data = json.loads(content)
    assert [annex["title"] for annex in data["annexes"]] == [
        TITLE,
        "Organigramm des Jobcenters",
    ]
    assert data["annexes"][0]["sha256"] == hashlib.sha256(first).hexdigest()
    assert data["annexes"][0]["attachment"] == names[0]


def test_annexes_of_a_signed_agreement_are_locked(client_for, ministry_user, agreement):
    annex = _add(agreement, ministry_user)
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    services.agreement_sign(
        agreement=agreement,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    annex.title = "Geändert"
    for change in [
        annex.save,
        annex.delete,
        lambda: Annex.objects.filter(pk=annex.pk).delete(),
        lambda: Annex.objects.filter(pk=annex.pk).update(title="x"),
    ]:
        with pytest.raises(AgreementLockedError):
            change()
    with pytest.raises(PermissionDenied):
        _add(agreement, ministry_user)
    client = client_for(ministry_user)
    for name, args in [
        ("annex_upload", [agreement.pk]),
        ("annex_delete", [agreement.pk, annex.pk]),
    ]:
        assert client.post(reverse(f"agreements:{name}", args=args)).status_code == 403
    assert Annex.objects.get(pk=annex.pk).title == TITLE


def test_amendment_keeps_the_annexes_and_the_signed_files_stay(
    ministry_user, signed_agreement
):
    """Version 2 gets an annex and is signed; version 3 starts with it."""
    amendment = services.agreement_amend(
        agreement=signed_agreement, acting_user=ministry_user
    )
    added = _add(amendment, ministry_user)
    services.agreement_finalize(agreement=amendment, acting_user=ministry_user)
    services.agreement_sign(
        agreement=amendment,
        acting_user=ministry_user,
        signatures=SIGNATURES,
        signed_copy=scanned_upload(),
    )
    second = services.agreement_amend(agreement=amendment, acting_user=ministry_user)
    (copy,) = second.annexes.all()
    assert (copy.file.name, copy.sha256, copy.title) == (
        added.file.name,
        added.sha256,
        added.title,
    )
    annexes.annex_delete(annex=copy, acting_user=ministry_user)
    assert added.file.storage.exists(added.file.name)  # still the signed one's


def test_a_changed_annex_file_stops_the_signing(ministry_user, agreement):
    annex = _add(agreement, ministry_user)
    with open(annex.file.path, "wb") as file:
        file.write(scanned_pdf_bytes(3))
    services.agreement_finalize(agreement=agreement, acting_user=ministry_user)
    with pytest.raises(services.AgreementStateError, match="stimmt nicht"):
        services.agreement_sign(
            agreement=agreement,
            acting_user=ministry_user,
            signatures=SIGNATURES,
            signed_copy=scanned_upload(),
        )
