"""The public registry in a real browser: the map and the count chart draw, a designated municipality is listed
with its diploma, and the list of programmes and the registry (Swedish and English) have no accessibility
violations."""

import datetime

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker):
    """Committed, not made inside a test's transaction: the live server thread reads with its own connection and
    would not see uncommitted rows (on PostgreSQL). Deleted afterwards, in the order the foreign keys need."""
    from django.core.cache import cache
    from django.utils import timezone

    from millennium.organisations.models import Organisation
    from millennium.places.models import Area
    from millennium.programme.models import Application, Decision, Designation, Programme

    today = timezone.localdate()
    with django_db_blocker.unblock():
        programme = Programme.objects.create(slug="millenniekommun-test", name_sv="Millenniekommun",
                                             name_en="Millennium Municipality", goal_count=100,
                                             description_sv="SKL:s och Sidas program för FN:s millenniemål.")
        made = []
        for code, name, start, end, lapsed in [
                ("1280", "Malmö stad", datetime.date(2010, 9, 8), today + datetime.timedelta(days=300), None),
                ("1480", "Göteborgs stad", datetime.date(2011, 4, 1), today + datetime.timedelta(days=100), None),
                ("0380", "Uppsala kommun", datetime.date(2011, 5, 2), datetime.date(2014, 5, 1),
                 timezone.make_aware(datetime.datetime(2014, 5, 3)))]:
            organisation = Organisation.objects.create(name=name, kind=Organisation.Kind.MUNICIPALITY,
                                                       area=Area.objects.get(code=code))
            application = Application.objects.create(programme=programme, organisation=organisation,
                                                     state=Application.State.APPROVED)
            decision = Decision.objects.create(application=application, outcome=Decision.Outcome.APPROVED)
            designation = Designation.objects.create(
                programme=programme, organisation=organisation, application=application,
                number=f"MKT-{start.year}-{code}", valid_from=start, valid_until=end, lapsed_at=lapsed)
            made.append((designation, decision, application, organisation))
    cache.clear()
    yield {"programme": programme, "malmo": made[0][0]}
    with django_db_blocker.unblock():
        for rows in zip(*made):
            for row in rows:
                row.delete()
        programme.delete()
    cache.clear()


def test_the_registry_draws_its_map_and_chart_and_lists_the_designated(page, axe, registry):
    page.goto("/utmarkelser/millenniekommun-test/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Millenniekommun")
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(2)
    expect(page.locator("figure[data-chart=map-spec] svg .mark-shape path")).to_have_count(290)
    expect(page.locator("figure[data-chart=map-spec] svg .role-legend")).to_contain_text("Utmärkt")

    designated = page.get_by_role("table", name="Kommuner med utmärkelsen")
    expect(designated.get_by_role("row")).to_have_count(3)  # header + Malmö + Göteborg
    expect(designated).to_contain_text("Malmö stad")
    expect(page.locator("#ended-table")).to_contain_text("Uppsala kommun")
    assert axe() == []

    link = designated.get_by_role("link", name="Diplom för Malmö stad (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    page.get_by_text("Alla 290 kommuner i en tabell").click()
    expect(page.locator("#map-table tbody tr")).to_have_count(290)
    assert axe() == []


def test_the_list_of_programmes_and_the_english_registry(page, axe, registry):
    page.goto("/utmarkelser/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Utmärkelser")
    assert axe() == []
    page.get_by_role("link", name="Millenniekommun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Millenniekommun")

    page.goto("/en/utmarkelser/millenniekommun-test/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Millennium Municipality")
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(2)
    assert axe() == []
