"""A key figure in a real browser: the chart is drawn, the CSV downloads with Kolada's values, the page has no
accessibility violations and is usable by keyboard."""

import csv
import re

from playwright.sync_api import expect

from tests.web.test_measure_page import KPI, MALMO, kolada

URL = f"/kommun/{MALMO}/nyckeltal/{KPI}/"


def test_key_figure_page_draws_its_chart_without_accessibility_violations(page, axe):
    page.goto(URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("eftergymnasial utbildning")
    figure = page.locator("figure[data-chart=measure-chart]")
    expect(figure).to_have_attribute("data-drawn", "true")
    # Total, women and men drawn as three lines, plus the base-year rule.
    expect(figure.locator("svg .mark-line.role-mark path")).to_have_count(3)
    expect(figure.locator("svg .mark-rule.role-mark line")).to_have_count(1)
    assert axe() == []


def test_download_the_csv(page, tmp_path):
    page.goto(URL)
    with page.expect_download() as download:
        page.get_by_role("link", name="Värdena för Malmö som CSV").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    assert saved.name == f"{MALMO}-{KPI}.csv"
    with saved.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["kommunkod"], int(r["år"]), r["kön"]): float(r["värde"]) for r in rows} == kolada(KPI, {MALMO})


def test_keyboard_reaches_the_download_link_past_the_tables(page):
    page.goto(URL)
    link = page.get_by_role("link", name="Värdena för Malmö som CSV")
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    expect(link).to_be_focused()


def test_a_similar_municipality_opens_its_own_key_figure_page(page):
    page.goto(URL)
    table = page.locator("table.improvers")
    first_other = table.locator("tbody tr:not(.self) th a").first
    name = first_other.inner_text()
    first_other.click()
    expect(page).to_have_url(re.compile(rf"/kommun/\d{{4}}/nyckeltal/{KPI}/$"))
    expect(page.locator("table.improvers tr.self")).to_contain_text(name)
