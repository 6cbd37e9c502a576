"""In a real browser: the API's documentation page (/api/v1/) has no accessibility violations, loads nothing
from other sites (the page fixture checks every request), and its contents links lead to the sections."""

from playwright.sync_api import expect


def test_api_docs_page_is_accessible_and_self_contained(page, axe):
    page.goto("/api/v1/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("API-dokumentation")
    assert axe() == []
    page.get_by_role("link", name="observations", exact=True).click()
    expect(page.get_by_role("heading", name="POST /api/v1/observations")).to_be_visible()
