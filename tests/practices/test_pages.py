"""The library's pages, and practices on the goal and key-figure pages: published only, examples labelled,
similar municipalities' practices linked from the table of who improved most and recommended where the
municipality lags behind."""

import re

import pytest

from millennium.places.models import Area
from millennium.practices.models import Practice
from millennium.statistics.models import Measure
from millennium.web import page_cache
from millennium.web.improvers import improvers

pytestmark = pytest.mark.django_db

MALMO = "1280"
# Tillfälliga föräldrapenningdagar (VAB) som tas ut av män: goal 5 (and MDG 3), higher is better.
VAB = "N00945"


def section(html: str, heading_id: str) -> str:
    part = html[html.index(f'<h2 id="{heading_id}">'):]
    return part[:part.index("</section>")]


def test_list_shows_published_practices_with_their_municipality(client, make_practice):
    make_practice(title="Läxhjälp på biblioteket", municipality="0180", summary="Volontärer hjälper elever.")
    html = client.get("/praktiker/").content.decode()
    assert '<h2 id="results">1 publicerat arbetssätt</h2>' in html
    card = html[html.index('<article class="practice-card">'):]
    assert "Läxhjälp på biblioteket" in card and "Stockholm" in card and "Volontärer hjälper elever." in card


def test_list_filters_by_goal_municipality_and_key_figure(client, make_practice):
    make_practice(title="Vab-kampanj", goals=[5], measures=[VAB])
    make_practice(title="Skolmat", goals=[2], municipality="0180")

    def titles(url):
        return re.findall(r'<h3><a href="/praktiker/\d+/">([^<]+)</a></h3>', client.get(url).content.decode())

    assert titles("/praktiker/?mal=5") == ["Vab-kampanj"]
    assert titles("/praktiker/?mal=2") == ["Skolmat"]
    assert titles("/praktiker/?mal=mdg-3") == []
    assert titles("/praktiker/?kommun=0180") == ["Skolmat"]
    assert titles(f"/praktiker/?nyckeltal={VAB}") == ["Vab-kampanj"]
    assert titles("/praktiker/?mal=5&q=skolmat") == []
    assert sorted(titles("/praktiker/?mal=okänt")) == ["Skolmat", "Vab-kampanj"]  # an unknown filter is ignored
    assert "Visar bara arbetssätt från Stockholm" in client.get("/praktiker/?kommun=0180").content.decode()


def test_search_results_page_names_the_query_and_escapes_it(client, make_practice):
    make_practice(title="Pappor och vab", body="Jämställdhet på arbetsplatsen.")
    html = client.get("/praktiker/", {"q": "jämställd <i>"}).content.decode()
    assert "<title>Sökresultat för ”jämställd &lt;i&gt;”" in html
    assert "1 träff för ”jämställd &lt;i&gt;”" in html and "Pappor och vab" in html


def test_detail_shows_the_practice_and_links_its_tags_to_the_municipalitys_pages(client, make_practice):
    from millennium.frameworks.models import Target

    practice = make_practice(title="Pappor och vab", municipality="0581", summary="Sammanfattningen.",
                             body="## Så gjorde vi\n\n- Samtal på BVC", results="Fler pappor vabbar.\n\nBra.",
                             period_start=2017, period_end=2022, contact_role="HR-strateg", goals=[5],
                             measures=[VAB], targets=[Target.objects.get(goal__framework__code="sdg", code="5.4")])
    html = client.get(f"/praktiker/{practice.pk}/").content.decode()

    assert "<h1>Pappor och vab</h1>" in html and '<p class="lead">Sammanfattningen.</p>' in html
    assert "<h4>Så gjorde vi</h4>\n<ul>\n<li>Samtal på BVC</li>" in html
    assert "<p>Fler pappor vabbar.</p>\n\n<p>Bra.</p>" in html
    assert "<dd>2017–2022</dd>" in html and "<dd>HR-strateg, Norrköping</dd>" in html
    assert '<a href="/kommun/0581/mal/5/">Mål 5: Jämställdhet</a>' in html
    assert f'<a href="/kommun/0581/nyckeltal/{VAB}/">Tillfälliga föräldrapenningdagar (VAB)' in html
    assert '<span class="code">5.4</span> Erkänna och värdesätta obetalt omsorgs- och hushållsarbete' in html
    assert "Exempel" not in html


def test_an_example_is_labelled_on_every_page_it_shows(client, make_practice):
    practice = make_practice(title="Exempel: Pappor och vab", goals=[5], measures=[VAB], is_example=True)
    label = '<span class="example-label">Exempel</span>'
    pages = [f"/praktiker/{practice.pk}/", "/praktiker/", "/praktiker/?q=pappor", f"/kommun/{MALMO}/mal/5/",
             f"/kommun/{MALMO}/nyckeltal/{VAB}/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Exempel: Pappor och vab" in html, url
        assert label in html, url
    assert "Påhittat av Millennium" in client.get(f"/praktiker/{practice.pk}/").content.decode()


def test_goal_page_shows_published_practices_on_the_goal_own_municipality_first(client, make_practice):
    make_practice(title="Norrköpings vab-arbete", municipality="0581", goals=[5])
    make_practice(title="Malmös vab-arbete", goals=[5])
    make_practice(title="Ett utkast om vab", goals=[5], published=False)
    make_practice(title="Om skolmat", goals=[2])

    part = section(client.get(f"/kommun/{MALMO}/mal/5/").content.decode(), "practices")

    assert re.findall(r'<h3><a href="/praktiker/\d+/">([^<]+)</a>', part) == ["Malmös vab-arbete",
                                                                               "Norrköpings vab-arbete"]
    assert 'href="/praktiker/?mal=5"' in part


def test_goal_page_without_practices_says_so(client):
    part = section(client.get(f"/kommun/{MALMO}/mal/5/").content.decode(), "practices")
    assert "Ingen kommun har ännu berättat om sitt arbete för det här målet." in part


def test_key_figure_page_links_peers_practices_and_recommends_those_of_better_improvers(client, make_practice):
    area, measure = Area.objects.get(code=MALMO), Measure.objects.get(code=VAB)
    changes, names = improvers(area, measure)
    own = next(row for row in changes.rows if row.code == MALMO)
    above = [row for row in changes.rows if row.rank is not None and row.rank < own.rank]
    below = [row for row in changes.rows if row.rank is not None and row.rank > own.rank]
    assert changes.ranked and above and len(below) >= 2, "the test needs Malmö in the middle of its peers"
    better, worse, goal_only = above[0], below[0], below[1]
    make_practice(title="Det som fungerade bättre", municipality=better.code, measures=[VAB])
    make_practice(title="Det som fungerade sämre", municipality=worse.code, measures=[VAB])
    make_practice(title="Om jämställdhet i stort", municipality=goal_only.code, goals=[5])
    make_practice(title="Malmös eget", measures=[VAB])

    html = client.get(f"/kommun/{MALMO}/nyckeltal/{VAB}/").content.decode()

    table = section(html, "peers")
    assert (f'<a class="practice-link" href="/praktiker/?kommun={better.code}&amp;nyckeltal={VAB}">'
            f'<span class="visually-hidden">{names[better.code]}: </span>1 arbetssätt om nyckeltalet</a>') in table
    assert f'href="/praktiker/?kommun={worse.code}&amp;nyckeltal={VAB}"' in table
    # No practice on the key figure, one on its goal: the link says so and leads there.
    assert (f'href="/praktiker/?kommun={goal_only.code}&amp;mal=5"><span class="visually-hidden">'
            f'{names[goal_only.code]}: </span>1 arbetssätt om mål 5</a>') in table

    recommended = section(html, "learn-from-peers")
    assert "<h2 id=\"learn-from-peers\">Lär av liknande kommuner</h2>" in recommended
    assert "Det som fungerade bättre" in recommended and f"plats {better.rank} bland liknande kommuner" in recommended
    assert "Det som fungerade sämre" not in recommended and "Malmös eget" not in recommended

    listed = re.findall(r'<h3><a href="/praktiker/\d+/">([^<]+)</a>', section(html, "practices"))
    assert listed[0] == "Malmös eget"  # the municipality's own first
    assert sorted(listed[1:]) == ["Det som fungerade bättre", "Det som fungerade sämre"]


def test_the_best_improver_gets_no_recommendation(client, make_practice):
    area, measure = Area.objects.get(code=MALMO), Measure.objects.get(code=VAB)
    changes, _names = improvers(area, measure)
    best = changes.rows[0]
    make_practice(title="Fungerade sämre", municipality=changes.rows[-1].code, measures=[VAB])

    html = client.get(f"/kommun/{best.code}/nyckeltal/{VAB}/").content.decode()
    assert best.rank == 1 and 'id="learn-from-peers"' not in html


def test_key_figure_page_without_practices_says_so(client):
    html = client.get(f"/kommun/{MALMO}/nyckeltal/{VAB}/").content.decode()
    assert "Ingen kommun har ännu berättat om sitt arbete med det som nyckeltalet mäter." in section(html, "practices")
    assert 'class="practice-link"' not in html and 'id="learn-from-peers"' not in html


def test_publishing_gives_the_cached_pages_a_new_version(client, make_practice, editor, approver):
    url = f"/kommun/{MALMO}/mal/5/"
    draft = make_practice(title="Snart publicerad", goals=[5], published=False, created_by=editor)
    before, version = client.get(url), page_cache.data_version()
    assert "Snart publicerad" not in before.content.decode()

    client.force_login(approver)
    client.post(f"/praktiker/{draft.pk}/publicera/")
    client.logout()

    assert page_cache.data_version() != version
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and "Snart publicerad" in after.content.decode()


def test_a_changed_published_practice_changes_the_version_and_a_draft_does_not(make_practice):
    published = make_practice(title="Publicerad")
    version = page_cache.data_version()
    make_practice(title="Utkast", published=False)
    assert page_cache.data_version() == version

    published.summary = "Ny sammanfattning"
    published.save()
    changed = page_cache.data_version()
    assert changed != version
    Practice.objects.filter(pk=published.pk).delete()
    assert page_cache.data_version() not in (version, changed)


def test_english_pages_render(client, make_practice):
    practice = make_practice()
    for url in ("/en/praktiker/", f"/en/praktiker/{practice.pk}/", "/en/praktiker/?q=cykel", "/en/konto/logga-in/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.content.decode()


def test_sign_in_and_out(client, editor):
    html = client.get("/konto/logga-in/?next=/praktiker/ny/").content.decode()
    assert "<h1>Logga in</h1>" in html and 'name="next" value="/praktiker/ny/"' in html

    wrong = client.post("/konto/logga-in/", {"username": "redaktor", "password": "fel"})
    assert wrong.status_code == 200 and "Användarnamnet eller lösenordet stämmer inte" in wrong.content.decode()

    response = client.post("/konto/logga-in/", {"username": "redaktor", "password": "ett långt lösenord 42",
                                                "next": "/praktiker/ny/"})
    assert response.status_code == 302 and response["Location"] == "/praktiker/ny/"
    assert "Inloggad som redaktor." in client.get("/praktiker/").content.decode()

    assert client.post("/konto/logga-ut/").status_code == 302
    assert "Logga in som redaktör" in client.get("/praktiker/").content.decode()
