"""The about, methods and accessibility pages: the peer-overlap figure as computed, credits, methods, contact."""

import csv
import re

import pytest
from django.utils import translation

from tests.conftest import DATA

pytestmark = pytest.mark.django_db


def kolada_overview_groups() -> dict[str, set[str]]:
    """Kolada's latest "Liknande kommuner, övergripande" groups, read here from the CSV without the site's code."""
    with (DATA / "kolada-meta" / "munic.csv").open(encoding="utf-8") as f:
        code_of = {r["title"]: r["id"] for r in csv.DictReader(f) if r["type"] == "K"}
    groups: dict[tuple[str, str], set[str]] = {}
    with (DATA / "kolada-meta" / "munic_g.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            title = r["group_title"]
            if title.startswith("Liknande kommuner, övergripande, "):
                name, year = title.removeprefix("Liknande kommuner, övergripande, ").rsplit(", ", 1)
                groups.setdefault((year, code_of[name]), set()).add(r["member_id"])
    latest = max(year for year, _ in groups)
    return {code: members for (year, code), members in groups.items() if year == latest}


def test_about_shows_mean_overlap_with_kolada_groups_as_the_peers_code_computes(client):
    from millennium.statistics.peer_overlap import compute_peer_overlap
    from millennium.statistics.peers import all_similar_municipalities

    ours = all_similar_municipalities()
    theirs = kolada_overview_groups()
    shared = [len(set(ours[ours["municipality"] == code]["code"]) & theirs[code]) for code in theirs]
    mean = sum(shared) / len(shared)

    html = client.get("/om/").content.decode()

    assert len(shared) == 290
    assert compute_peer_overlap().mean == pytest.approx(mean)
    assert f"<strong>{mean:.2f} av 7</strong>".replace(".", ",") in html
    assert "Målet är minst 4 av 7 i genomsnitt, och dit når vi inte än." in html


def test_about_credits_the_data_sources(client):
    html = client.get("/om/").content.decode()

    for credit in ("Källa: Kolada (RKA)", "Källa: SCB", "Källa: FN (United Nations Statistics Division)",
                   "Källa: Gapminder"):
        assert f"<strong>{credit}</strong>" in html
    assert "Creative Commons Erkännande 4.0 (CC BY 4.0)" in html
    assert "Malmös kommunstyrelse" in html and "SKL" in html and "Sida" in html
    imported = html[html.index('<table class="series sources-imported">'):]
    assert "<td>Källa: Kolada (RKA)</td>" in imported[:imported.index("</table>")]


def test_methods_page_describes_every_registered_method(client):
    from millennium.analysis.progress.methods import METHODS

    html = client.get("/metoder/").content.decode()

    for name in METHODS:
        section = html[html.index(f'<section aria-labelledby="method-{name}" id="{name}">'):]
        section = section[:section.index("</section>")]
        assert '<p class="meta">Källa:' in section, name
    # The cut-offs come from the method modules: Open SDG's 95 % of the required rate and 1.5 % a year.
    assert "är takten minst 95 procent av den takt som krävs" in html
    assert "minst 1,5 procent per år i önskad riktning" in html


def test_methods_page_explains_every_status_label(client):
    from millennium.web.about import STATUS_EXPLANATIONS
    from millennium.web.statuses import STATUS_LABELS

    html = client.get("/metoder/").content.decode()

    assert set(STATUS_EXPLANATIONS) == set(STATUS_LABELS)
    for code, label in STATUS_LABELS.items():
        row = html[html.index(f'<tr id="status-{code}">'):]
        row = row[:row.index("</tr>")]
        assert f">{label}</span>" in row
        assert f"<td>{STATUS_EXPLANATIONS[code]}</td>" in row


def test_methods_page_lists_the_peer_figures(client):
    from millennium.statistics.peers import read_peer_figures

    html = client.get("/metoder/").content.decode()

    for figure in read_peer_figures():
        assert f'<tr><th scope="row">{figure.name}</th><td>{figure.kpi}</td>' in html


def test_accessibility_statement_has_contact_supervisor_and_date(client, settings):
    settings.CONTACT_EMAIL = "tillganglighet@kommun.example"

    html = client.get("/tillganglighet/").content.decode()

    assert '<a href="mailto:tillganglighet@kommun.example">tillganglighet@kommun.example</a>' in html
    assert '<a href="https://www.digg.se/tdosanmalan" hreflang="sv">' in html
    assert "lagen (2018:1937) om tillgänglighet till digital offentlig service" in html
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [a-z]+ \d{4}</time>', html)
    assert "axe-core" in html and "WCAG 2.1" in html


@pytest.mark.parametrize(("path", "heading"), [
    ("/en/om/", "Om Millennium"),
    ("/en/metoder/", "Metoder"),
    ("/en/tillganglighet/", "Tillgänglighetsredogörelse för Millennium"),
])
def test_english_pages_have_english_headings(client, path, heading):
    with translation.override("en"):
        english = translation.gettext(heading)

    html = client.get(path).content.decode()

    assert '<html lang="en">' in html
    assert english != heading, f"the English catalogue has no translation of {heading!r} yet"
    assert f"<h1>{english}</h1>" in html
