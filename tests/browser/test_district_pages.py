"""Malmö's districts in a real browser: from the municipality to its districts and one key figure with an area
programme, and the page of a municipality without district data, all without accessibility violations."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from millennium.statistics.area_programmes import add_programme
from millennium.statistics.areas_csv_import import import_areas_csv
from millennium.statistics.models import ImportBatch, Measure, Observation, Source

EXAMPLE = (Path(__file__).resolve().parents[2] / "millennium" / "statistics" / "data"
           / "omradesdata-exempel-FIKTIVA-VARDEN.csv")
MEASURE = "local:1280:EXEMPEL-FIKTIV"


@pytest.fixture(scope="module")
def malmo_districts(django_db_setup, django_db_blocker):
    """The example file and a programme, committed: the live server's thread does not see a test's transaction
    (on PostgreSQL). Removed again afterwards, with the pages cached meanwhile."""
    from django.core.cache import cache

    with django_db_blocker.unblock():
        summary = import_areas_csv(EXAMPLE)
        programme = add_programme("1280", "Områdesprogram (exempel)", ["1280R001", "1280R002", "1280R003"],
                                  start_year=2016, description="Ett påhittat program för testet.")
        cache.clear()
    yield
    with django_db_blocker.unblock():
        programme.delete()
        Observation.objects.filter(batch_id=summary.batch_id).delete()
        Measure.objects.filter(code=MEASURE).delete()
        ImportBatch.objects.filter(id=summary.batch_id).delete()
        Source.objects.filter(code="egen-data", batches__isnull=True, measures__isnull=True).delete()
        cache.clear()


def test_from_malmo_to_its_districts_and_a_key_figure(page, axe, malmo_districts):
    page.goto("/kommun/1280/")
    page.get_by_role("link", name="Områden: växer staden ihop?").click()
    expect(page).to_have_url(re.compile(r"/kommun/1280/omraden/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Malmö: växer staden ihop?")
    table = page.get_by_role("table", name="Skillnader mellan RegSO-områden i Malmö per nyckeltal, senaste år")
    expect(table.locator("tbody tr")).to_have_count(1)
    assert axe() == []

    table.get_by_role("link", name="EXEMPEL: fiktivt nyckeltal (påhittade värden)").click()
    expect(page).to_have_url(re.compile(rf"/kommun/1280/omraden/{MEASURE}/$"))
    expect(page.locator("table.municipalities tbody tr")).to_have_count(91)
    expect(page.get_by_role("heading", name="Områdesprogram (exempel)")).to_be_visible()
    expect(page.locator("table.programme-years tbody tr")).to_have_count(8)
    assert axe() == []


def test_english_district_page_has_no_accessibility_violations(page, axe, malmo_districts):
    page.goto(f"/en/kommun/1280/omraden/{MEASURE}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert axe() == []


def test_page_without_district_data_has_no_accessibility_violations(page, axe):
    page.goto("/kommun/0180/omraden/")
    expect(page.get_by_role("table", name="Kolumner i mallen för områdesdata")).to_be_visible()
    assert axe() == []
