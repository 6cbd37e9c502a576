"""From the home page to Malmö, one of its goals and a key figure, in a real browser; the overview, goal and
reporting pages without accessibility violations; the goal tiles reachable by keyboard."""

import re

from playwright.sync_api import expect


def test_find_malmo_open_goal_11_and_a_key_figure(page):
    page.goto("/")
    page.get_by_label("Sök kommun (namn eller kod)").fill("Malmö")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommun/1280/$"))

    page.locator(".goal-grid").get_by_role("link", name="11 Hållbara städer och samhällen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kommun/1280/mal/11/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hållbara städer och samhällen")
    expect(page.get_by_role("heading", name="Delmål 11.1")).to_be_visible()

    figure = page.locator("#N07907 th a")
    expect(figure).to_have_attribute("href", "/kommun/1280/nyckeltal/N07907/")
    figure.click()
    expect(page).to_have_url(re.compile(r"/kommun/1280/nyckeltal/N07907/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trångboddhet")


def test_overview_has_no_accessibility_violations(page, axe):
    page.goto("/kommun/1280/")
    assert axe() == []


def test_goal_page_has_no_accessibility_violations_with_a_table_open(page, axe):
    page.goto("/kommun/1280/mal/11/")
    page.locator("#N07907 summary").click()
    table = page.get_by_role("table", name="Trångboddhet i flerbostadshus, enligt norm 2, andel (%), Malmö")
    expect(table).to_be_visible()
    assert axe() == []


def test_reporting_pages_have_no_accessibility_violations(page, axe):
    for path in ("/rapportering/", "/kommun/1280/rapportering/"):
        page.goto(path)
        expect(page.locator('figure[data-chart="reporting-spec"]')).to_have_attribute("data-drawn", "true")
        assert axe() == [], path


def test_tab_from_the_top_reaches_the_first_goal_tile(page):
    page.goto("/kommun/1280/")
    first_tile = page.locator(".goal-grid a").first
    for _ in range(20):
        page.keyboard.press("Tab")
        if first_tile.evaluate("link => link === document.activeElement"):
            break
    else:
        raise AssertionError("20 presses of Tab did not reach the first goal tile")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/kommun/1280/mal/1/$"))
