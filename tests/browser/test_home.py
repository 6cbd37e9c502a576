"""The home page in a real browser: find Malmö, switch language and keep the page."""

import re

from playwright.sync_api import expect


def test_home_has_no_accessibility_violations(page, axe):
    page.goto("/")
    assert axe() == []


def test_find_malmo_by_typing_its_name(page):
    page.goto("/")
    page.get_by_label("Sök kommun (namn eller kod)").fill("Malmö")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommun/1280/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Malmö")


def test_language_switch_keeps_the_page(page):
    page.goto("/kommun/1280/")
    languages = page.get_by_role("navigation", name="Språk")
    languages.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/kommun/1280/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(re.compile(r"/kommun/1280/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")


def test_axe_reports_a_real_violation(page, axe):
    """The accessibility check is not vacuous: an image without a text alternative is caught."""
    page.goto("/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/x.png\">')")
    assert any(v.startswith("image-alt") for v in axe())
