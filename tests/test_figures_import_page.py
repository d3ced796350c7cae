"""The import page in two steps: dry run of a kept file, then import exactly it."""

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.import_service import figures_import
from indicators.models import Import, MonthlyValue, MonthlyValueChange, StagedImport

pytestmark = pytest.mark.django_db

HEADER = "regionalschluessel;monat;merkmal;geschlecht;wert;datenstand"
IMPORT_URL = "/monatswerte/import/"
FEB = datetime.date(2023, 2, 1)


def csv(*lines):
    return ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode()


GOOD = csv(
    "05558;2023-01;elb;insgesamt;8.512;t3",
    "05558;2023-01;elb;frauen;4300;t3",
    "05558;2023-01;elb;maenner;4.212;t3",
)


def upload(client, content=GOOD, name="statistik.csv"):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(IMPORT_URL, {"file": file})


def check_url(staged):
    return reverse("indicators:import_check", args=[staged.pk])


def test_import_page_three_users_and_a_reader(
    client_for, ministry_user, coesfeld_user, borken_user, ministry_reader, coesfeld
):
    assert reverse("indicators:import") == IMPORT_URL
    for user in (ministry_user, coesfeld_user, borken_user):
        assert client_for(user).get(IMPORT_URL).status_code == 200
    assert client_for(ministry_reader).get(IMPORT_URL).status_code == 403


def test_the_main_button_of_the_first_step_is_the_dry_run(client_for, coesfeld_user):
    content = client_for(coesfeld_user).get(IMPORT_URL).content.decode()
    assert 'class="btn btn-primary">Probelauf starten</button>' in content
    main = content[content.index("<main") : content.index("</main>")]
    assert main.count("<button") == 1
    assert ">Jetzt importieren</button>" not in content


def test_the_navigation_offers_the_import_to_editors_only(
    client_for, coesfeld_user, ministry_reader, coesfeld
):
    home = client_for(coesfeld_user).get(reverse("indicators:cockpit_latest"))
    home = client_for(coesfeld_user).get(home.url).content.decode()
    assert f'href="{IMPORT_URL}">Import</a>' in home
    page = client_for(ministry_reader).get(reverse("indicators:cockpit_latest"))
    page = client_for(ministry_reader).get(page.url).content.decode()
    assert f'href="{IMPORT_URL}">Import</a>' not in page


def test_year_and_grid_pages_link_to_the_import(client_for, coesfeld_user, coesfeld):
    client = client_for(coesfeld_user)
    year = client.get(reverse("indicators:year", args=["05558", 2023]))
    assert IMPORT_URL in year.content.decode()
    grid = client.get(reverse("indicators:grid", args=["05558", FEB]))
    assert IMPORT_URL in grid.content.decode()


def test_the_dry_run_keeps_the_file_with_its_checksum(
    client_for, coesfeld_user, coesfeld, media_root
):
    response = upload(client_for(coesfeld_user))
    staged = StagedImport.objects.get()
    assert response.status_code == 302
    assert response.url == check_url(staged)
    assert staged.uploaded_by == coesfeld_user
    assert staged.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert (media_root / staged.file.name).read_bytes() == GOOD
    assert not MonthlyValue.objects.exists()

    page = client_for(coesfeld_user).get(check_url(staged))
    assert page.context["report"].dry_run
    content = page.content.decode()
    assert "3 Zeilen: 3 neu, 0 geändert" in content
    assert staged.sha256 in content
    assert "Jetzt importieren" in content
    assert not MonthlyValue.objects.exists()


def test_a_kept_file_belongs_to_its_uploader(
    client_for, coesfeld_user, borken_user, ministry_user, coesfeld
):
    upload(client_for(coesfeld_user))
    staged = StagedImport.objects.get()
    assert client_for(coesfeld_user).get(check_url(staged)).status_code == 200
    assert client_for(borken_user).get(check_url(staged)).status_code == 404
    assert client_for(ministry_user).get(check_url(staged)).status_code == 404
    assert client_for(borken_user).post(check_url(staged)).status_code == 404
    assert not MonthlyValue.objects.exists()


def test_jetzt_importieren_imports_exactly_the_checked_file(
    client_for, coesfeld_user, coesfeld
):
    client = client_for(coesfeld_user)
    upload(client)
    staged = StagedImport.objects.get()
    response = client.post(check_url(staged))  # no file sent again
    assert response.status_code == 302
    record = Import.objects.get()
    assert record.sha256 == staged.sha256
    assert record.file_name == "statistik.csv"
    staged.refresh_from_db()
    assert staged.imported == record
    values = {(v.sex, v.value) for v in MonthlyValue.objects.all()}
    assert values == {
        ("total", Decimal(8512)),
        ("women", Decimal(4300)),
        ("men", Decimal(4212)),
    }
    done = client.get(check_url(staged)).content.decode()
    assert "Importiert: statistik.csv" in done
    # Posting again imports nothing twice.
    client.post(check_url(staged))
    assert Import.objects.count() == 1


def test_a_file_changed_after_the_check_is_not_imported(
    client_for, coesfeld_user, coesfeld, media_root
):
    client = client_for(coesfeld_user)
    upload(client)
    staged = StagedImport.objects.get()
    (media_root / staged.file.name).write_bytes(
        csv("05558;2023-01;elb;insgesamt;99.999;t3")
    )
    response = client.post(check_url(staged), follow=True)
    assert "seit dem Probelauf verändert" in response.content.decode()
    assert not MonthlyValue.objects.exists()


def test_the_dry_run_shows_old_and_new_for_every_value_paged(
    client_for, coesfeld_user, coesfeld
):
    lines = [
        f"05558;2023-{month:02d};{code};insgesamt;{value};t3"
        for month in range(1, 13)
        for code in ("elb", "lzb", "bg", "arbeitslose", "llu_eur")
        for value in [1000]
    ]
    figures_import(content=csv(*lines), file_name="a.csv", acting_user=coesfeld_user)
    revised = [line.replace(";1000;", ";1010;") for line in lines]
    client = client_for(coesfeld_user)
    upload(client, csv(*revised))
    staged = StagedImport.objects.get()
    page = client.get(check_url(staged))
    assert page.context["changes"].paginator.count == 60
    content = page.content.decode()
    assert "60 Werte würden sich ändern" in content
    assert "<del>1.000</del>" in content
    assert "<ins>1.010</ins>" in content
    assert "Seite 1 von 2" in content
    second = client.get(check_url(staged) + "?seite=2")
    assert len(second.context["changes"].object_list) == 10
    assert "Werte 51 bis 60 von 60" in second.content.decode()


def test_a_119_percent_jump_needs_a_reason_before_the_import(
    client_for, coesfeld_user, coesfeld
):
    figures_import(
        content=csv("05558;2023-01;elb;insgesamt;9.120;t3"),
        file_name="jan.csv",
        acting_user=coesfeld_user,
    )
    client = client_for(coesfeld_user)
    upload(client, csv("05558;2023-02;elb;insgesamt;20.000;t0"))
    staged = StagedImport.objects.get()
    page = client.get(check_url(staged)).content.decode()
    assert "+119,3 % gegenüber Vormonat (9.120)" in page
    assert 'name="w-z2"' in page

    response = client.post(check_url(staged), {"w-z2": "", "file_reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["w-z2"]
    content = response.content.decode()
    assert content.count("<title>Fehler:") == 1
    assert 'href="#id_w-z2"' in content  # the error summary links to the field
    assert not MonthlyValue.objects.filter(month=FEB).exists()

    reason = "Zuzug aus der Ukraine, von der BA bestätigt"
    response = client.post(check_url(staged), {"w-z2": reason})
    assert response.status_code == 302
    value = MonthlyValue.objects.get(month=FEB)
    assert value.comment == reason
    assert MonthlyValueChange.objects.get(monthly_value=value).reason == reason


def test_the_ministry_gives_its_reason_on_the_second_step(
    client_for, ministry_user, coesfeld
):
    client = client_for(ministry_user)
    upload(client)
    staged = StagedImport.objects.get()
    assert 'name="reason"' in client.get(check_url(staged)).content.decode()
    response = client.post(check_url(staged), {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert not MonthlyValue.objects.exists()
    response = client.post(check_url(staged), {"reason": "Revision der BA"})
    assert response.status_code == 302
    assert Import.objects.get().reason == "Revision der BA"


def test_a_file_with_bad_rows_offers_no_import(client_for, coesfeld_user, coesfeld):
    client = client_for(coesfeld_user)
    upload(client, csv("05558;2023-13;elb;insgesamt;1;t3"))
    staged = StagedImport.objects.get()
    content = client.get(check_url(staged)).content.decode()
    assert "Fehlerhafte Zeilen" in content
    assert "Jetzt importieren" not in content


def test_old_unimported_files_are_removed(client_for, coesfeld_user, coesfeld):
    client = client_for(coesfeld_user)
    upload(client)
    old = StagedImport.objects.get()
    StagedImport.objects.filter(pk=old.pk).update(
        uploaded_at=old.uploaded_at - datetime.timedelta(days=2)
    )
    path = Path(old.file.path)
    upload(client, name="neu.csv")
    assert StagedImport.objects.get().file_name == "neu.csv"
    assert not path.exists()
