"""Malmö's report as a web page in a real browser: reached from the municipality page, readable without a
script, and without accessibility violations in either language; nothing is fetched from elsewhere (the
`page` fixture fails the test if a request leaves 127.0.0.1)."""

import re

from playwright.sync_api import expect

# Making the report takes seconds (its charts are drawn on the server), more on a busy machine.
SLOW = 240_000


def test_the_report_page_from_the_municipality_page(page, axe):
    page.set_default_navigation_timeout(SLOW)
    page.goto("/kommun/1280/")
    expect(page.get_by_role("link", name="Ladda ned rapporten (PDF)")).to_have_attribute("href",
                                                                                   "/kommun/1280/rapport.pdf")
    page.get_by_role("link", name="Läs rapporten som webbsida").click(timeout=SLOW)
    expect(page).to_have_url(re.compile(r"/kommun/1280/rapport/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Malmö")
    expect(page.get_by_role("img").first).to_have_attribute("alt", re.compile(r"Malmö"))
    assert page.locator("table.chart-values").count() == page.locator("img.chart").count() > 0
    assert axe() == []


def test_the_english_report_page(page, axe):
    page.goto("/en/kommun/1280/rapport/", timeout=SLOW)
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=2, name=re.compile("No poverty"))).to_be_visible()
    assert axe() == []
