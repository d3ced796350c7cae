"""The print preview shows what the PDF shows: same template, same context."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from agreements.models import Agreement
from agreements.pdf import TEMPLATE, render_agreement_pdf
from agreements.wording import target_text

from .pdftools import normalise, pdf_text

pytestmark = pytest.mark.django_db


def preview_url(agreement):
    return reverse("agreements:preview", args=[agreement.pk])


def visible_text(html):
    return normalise(strip_tags(html).replace("\u00a0", " "))


def test_preview_uses_the_print_template(client_for, ministry_user, agreement):
    response = client_for(ministry_user).get(preview_url(agreement))
    assert response.status_code == 200
    assert TEMPLATE in [t.name for t in response.templates]
    page = response.content.decode()
    assert 'lang="de"' in page
    assert reverse("agreements:pdf", args=[agreement.pk]) in page


def test_preview_shows_the_same_content_as_the_pdf(client_for, ministry_user, seeds):
    seeds = Agreement.objects.filter(
        provider__short_name__in=["Coesfeld", "Borken"], year__in=[2014, 2023]
    ).exclude(provider__short_name="Coesfeld", year=2023)
    for agreement in seeds:
        response = client_for(ministry_user).get(preview_url(agreement))
        html = visible_text(response.content.decode())
        pdf = pdf_text(render_agreement_pdf(agreement))
        for goal in agreement.goals.all():
            assert goal.title in html
            for target in goal.targets.all():
                text = target_text(target, agreement.year)
                for part in (text.label, text.sentence):
                    assert normalise(part) in html
                    assert normalise(part) in pdf
        for party in agreement.parties.all():
            assert f"vertreten durch {party.representative}" in html
        today = timezone.localdate()
        stamp = f"ENTWURF – gedruckt am {today.day}.{today.month}.{today.year}"
        assert (stamp in html) is agreement.is_editable
        assert (stamp in pdf) is agreement.is_editable


def test_own_provider_sees_preview(client_for, coesfeld_user, agreement):
    assert client_for(coesfeld_user).get(preview_url(agreement)).status_code == 200


def test_other_provider_gets_404_for_preview(client_for, borken_user, agreement):
    assert client_for(borken_user).get(preview_url(agreement)).status_code == 404
