"""The map and compare pages in a real browser: the map draws and a click on a municipality opens its page;
three municipalities compared through the form; no accessibility violations."""

import re

from playwright.sync_api import expect

KPI = "N00945"


def test_map_draws_and_a_click_on_a_municipality_opens_its_page(page, axe):
    page.goto(f"/karta/{KPI}/")
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(1)
    shapes = page.locator("figure[data-chart] svg .mark-shape path")
    expect(shapes).to_have_count(290)
    assert axe() == []

    # The largest municipality whose shape is the topmost element at the centre of its box (not a neighbour's).
    page.locator("figure[data-chart]").scroll_into_view_if_needed()
    point = page.evaluate("""() => {
        const paths = [...document.querySelectorAll('figure[data-chart] svg .mark-shape path')];
        const boxes = paths.map(p => [p, p.getBoundingClientRect()]).sort((a, b) =>
            b[1].width * b[1].height - a[1].width * a[1].height);
        for (const [path, box] of boxes) {
            const x = box.left + box.width / 2, y = box.top + box.height / 2;
            if (document.elementFromPoint(x, y) === path) { return {x, y}; }
        }
        return null;
    }""")
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    expect(page).to_have_url(re.compile(r"/kommun/\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).not_to_be_empty()


def test_map_by_status_draws_with_a_named_legend(page, axe):
    page.goto(f"/karta/{KPI}/?visa=status")
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(1)
    legend = page.locator("figure[data-chart] svg .role-legend")
    expect(legend).to_contain_text("Försämring")
    assert axe() == []


def test_choose_a_key_figure_on_the_map_page(page):
    page.goto("/karta/")
    page.get_by_label("Nyckeltal").select_option(KPI)
    page.get_by_label("Utveckling (status)").check()
    page.get_by_role("button", name="Visa karta").click()
    expect(page).to_have_url(re.compile(rf"/karta/{KPI}/\?visa=status$"))
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(1)


def test_compare_three_municipalities_through_the_form(page, axe):
    page.goto("/jamfor/")
    assert axe() == []
    page.get_by_label("Nyckeltal").select_option(KPI)
    page.get_by_label("Kommun 1").fill("Malmö")
    page.get_by_label("Kommun 2").fill("stockholm")
    page.get_by_label("Kommun 3").fill("1480")
    page.get_by_role("button", name="Jämför").click()

    expect(page).to_have_url(re.compile(rf"/jamfor/\?nyckeltal={KPI}&kommun=1280&kommun=0180&kommun=1480$"))
    expect(page.locator("figure[data-chart][data-drawn=true]")).to_have_count(1)
    table = page.locator("table.compare-table")
    expect(table.locator("thead th.n")).to_have_text(["Malmö", "Stockholm", "Göteborg", "Riket"])
    first_year = table.locator("tbody tr").last
    expect(first_year.locator("td")).to_have_count(4)
    assert all(re.fullmatch(r"\d+,\d+|\d+", text) for text in first_year.locator("td").all_inner_texts()[:3])
    assert axe() == []


def test_compare_with_an_unknown_municipality_is_accessible(page, axe):
    page.goto(f"/jamfor/?nyckeltal={KPI}&kommun=1280&kommun=Atlantis")
    expect(page.get_by_label("Kommun 2")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#kommun-2-error")).to_contain_text("Atlantis")
    assert axe() == []
