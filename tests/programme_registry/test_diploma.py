"""The diploma: a tagged PDF in Swedish (or English) naming the municipality, the programme, the decision date
and the validity in words, and the designation's number; public only while the designation is in force."""

import datetime

import pytest
from django.utils import timezone

from millennium.programme.diploma import diploma_pdf

from .conftest import days
from .pdf_checks import assert_tagged, structure_types, text_of

pytestmark = pytest.mark.django_db


def test_the_swedish_diploma_is_a_tagged_pdf_with_the_municipality_and_the_dates(designate):
    designation = designate("1280", datetime.date(2010, 9, 8), datetime.date(2031, 9, 7), name="Malmö stad",
                            decided=datetime.date(2010, 9, 8))

    content = diploma_pdf(designation)

    pdf = assert_tagged(content, "sv", "Diplom: Malmö stad, Millenniekommun")
    assert {"/H1", "/P"} <= structure_types(pdf)
    text = " ".join(text_of(content).split())
    assert "Malmö stad" in text and "Millenniekommun" in text
    assert "enligt beslut den 8 september 2010" in text
    assert "från och med 8 september 2010 till och med 7 september 2031" in text
    assert designation.number in text
    assert len(pdf.pages) == 1


def test_the_english_diploma(designate):
    designation = designate("1280", datetime.date(2010, 9, 8), datetime.date(2031, 9, 7), name="Malmö stad")

    content = diploma_pdf(designation, "en")

    # The words around the names are the English catalogue's (merged by the lead); the names and dates are ours.
    assert_tagged(content, "en", "…Malmö stad, Millennium Municipality")
    text = " ".join(text_of(content).split())
    assert "Millennium Municipality" in text and "8 September 2010" in text and "Malmö stad" in text


def test_the_decision_date_is_the_decision_s_not_the_start(designate):
    designation = designate("1281", datetime.date(2012, 3, 1), days(10), decided=datetime.date(2012, 2, 14))
    assert "enligt beslut den 14 februari 2012" in " ".join(text_of(diploma_pdf(designation)).split())


def test_the_diploma_view_serves_a_designation_in_force(client, registry_data):
    malmo = registry_data["malmo"]
    response = client.get(f"/utmarkelser/millenniekommun/{malmo.pk}/diplom.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Malmö stad" in text_of(response.content)

    english = client.get(f"/en/utmarkelser/millenniekommun/{malmo.pk}/diplom.pdf")
    assert english.status_code == 200
    assert_tagged(english.content, "en", "…Malmö stad, Millennium Municipality")


def test_no_diploma_for_a_lapsed_run_out_or_unknown_designation(client, registry_data, programme):
    for designation in (registry_data["uppsala"], registry_data["umea"]):
        assert client.get(f"/utmarkelser/millenniekommun/{designation.pk}/diplom.pdf").status_code == 404
    assert client.get("/utmarkelser/millenniekommun/999999/diplom.pdf").status_code == 404
    # The right designation under another programme's address is not found either.
    assert client.get(f"/utmarkelser/fairtrade-city/{registry_data['malmo'].pk}/diplom.pdf").status_code == 404


def test_a_designation_lapsed_before_its_last_day_has_no_diploma(client, registry_data):
    lund = registry_data["lund"]
    lund.lapsed_at = timezone.now()
    lund.save()
    assert client.get(f"/utmarkelser/millenniekommun/{lund.pk}/diplom.pdf").status_code == 404
