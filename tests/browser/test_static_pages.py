"""In a real browser: the home page's search as you type, and no accessibility violations on the about, methods
and accessibility pages and the gap and region pages."""

import re

import pytest
from playwright.sync_api import expect

PAGES = [
    "/om/",
    "/metoder/",
    "/tillganglighet/",
    "/en/om/",
    "/kommun/1280/jamstalldhet/",
    "/kommun/1280/bakgrund/",
    "/region/12/",
    "/region/12/N00401/",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page, axe, path):
    page.goto(path)
    assert axe() == []


def test_search_as_you_type_then_keyboard_to_malmo(page, axe):
    page.goto("/")
    page.get_by_label("Sök kommun (namn eller kod)").press_sequentially("Malm")

    results = page.locator("#find-results")
    malmo = results.get_by_role("link", name="Malmö")
    expect(malmo).to_be_visible()
    expect(page.locator("#find-count")).to_have_text("1 träff")
    assert axe() == []

    page.keyboard.press("Tab")  # the form's button
    expect(page.get_by_role("button", name="Visa")).to_be_focused()
    page.keyboard.press("Tab")  # the first match
    expect(malmo).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommun/1280/$"))


def test_search_as_you_type_narrows_and_clears(page):
    page.goto("/")
    field = page.get_by_label("Sök kommun (namn eller kod)")
    field.press_sequentially("mal")
    expect(page.locator("#find-count")).to_have_text(re.compile(r"^\d+ träffar$"))
    expect(page.locator("#find-results a")).not_to_have_count(0)

    field.press_sequentially("zzz")
    expect(page.locator("#find-count")).to_have_text("Ingen kommun matchar ”malzzz”.")
    expect(page.locator("#find-results a")).to_have_count(0)

    field.fill("")
    expect(page.locator("#find-count")).to_have_text("")
