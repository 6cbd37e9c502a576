"""Provenance: each import batch records exactly the values it changed (old → new) and its page shows what it
added and changed, with links to the key-figure pages."""

import re

import pytest

from millennium.statistics.kolada_import import import_kolada_ddf
from millennium.statistics.models import ImportBatch, Observation, ObservationChange
from millennium.statistics.spreadsheet_import import import_spreadsheet

pytestmark = pytest.mark.django_db


def kolada_with_one_change(kolada_subset, value="99.5"):
    folder = kolada_subset("n00945")
    path = folder / "datapoints--by--geo--year/ddf--datapoints--n00945--by--geo--year.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("1280,2020,"))
    lines[index] = f"1280,2020,{value}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return folder


def test_reimport_with_one_changed_value_records_exactly_that_change(kolada_subset):
    before = Observation.objects.get(measure__code="N00945", area__code="1280", year=2020, sex="T")

    summary = import_kolada_ddf(kolada_with_one_change(kolada_subset))

    changes = list(ObservationChange.objects.filter(batch_id=summary.batch_id))
    assert summary.changed == 1 and len(changes) == 1
    assert (changes[0].observation_id, changes[0].old_value, changes[0].new_value) == (before.id, before.value, 99.5)
    assert changes[0].previous_batch_id == before.batch_id
    assert ObservationChange.objects.count() == 1  # nothing recorded for unchanged or new rows


def test_unchanged_reimport_records_nothing(kolada_subset):
    summary = import_kolada_ddf(kolada_subset("n00945"))

    assert summary.changed == 0 and summary.unchanged > 0
    assert not ObservationChange.objects.exists()


def test_batch_page_shows_the_change_with_old_and_new_value_and_link(client, kolada_subset):
    before = Observation.objects.get(measure__code="N00945", area__code="1280", year=2020, sex="T")
    summary = import_kolada_ddf(kolada_with_one_change(kolada_subset, "99.125"))

    page = client.get(f"/import/{summary.batch_id}/")

    html = page.content.decode()
    changed = html[html.index('id="changed"'):html.index("</table>", html.index('id="changed"'))]
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert re.search(r'<dd id="rows-changed">1</dd>', html)
    assert '<a href="/kommun/1280/nyckeltal/N00945/">N00945</a>' in changed
    assert "99,125" in changed
    old_text = f"{before.value:.10g}".replace(".", ",")
    assert old_text in changed
    assert f'href="/import/{before.batch_id}/"' in changed
    assert "1 värde som importen ändrade" in changed
    assert "Importen lade inte till några värden" in html  # the subset adds nothing new


def test_batch_page_lists_added_values_and_those_later_changed(client, tmp_path):
    path = tmp_path / "egna.csv"
    path.write_text("nyckeltal;nyckeltalsnamn;område;år;kön;värde\n"
                    "trygg;Trygghet (%);1280;2020;T;41,5\ntrygg;Trygghet (%);1280R001;2020;T;40\n", encoding="utf-8")
    first = import_spreadsheet(path)
    path.write_text("nyckeltal;område;år;kön;värde\ntrygg;1280;2020;T;42\n", encoding="utf-8")
    second = import_spreadsheet(path)

    first_page = client.get(f"/import/{first.batch_id}/").content.decode()
    second_page = client.get(f"/import/{second.batch_id}/").content.decode()

    assert (first.new, second.changed) == (2, 1)
    added = first_page[first_page.index('id="added"'):first_page.index('id="later"')]
    later = first_page[first_page.index('id="later"'):]
    assert "1 värde som importen lade till" in added and "1280R001" in added
    assert '<a href="/kommun/1280/omraden/local:1280:trygg/">local:1280:trygg</a>' in added
    assert "41,5" in later and f'href="/import/{second.batch_id}/"' in later
    assert "41,5" in second_page and "42" in second_page


def test_batch_index_lists_batches_newest_first(client):
    response = client.get("/import/")

    html = response.content.decode()
    newest = ImportBatch.objects.latest("finished_at")
    assert response.status_code == 200
    assert html.index(f'href="/import/{newest.id}/"') < html.index('href="/import/1/"')


def test_key_figure_page_links_to_its_import_batch(client):
    batch = Observation.objects.filter(measure__code="N00945", area__code="1280").latest("year").batch

    html = client.get("/kommun/1280/nyckeltal/N00945/").content.decode()

    assert f'<a href="/import/{batch.id}/">' in html


def test_unknown_batch_is_404(client):
    assert client.get("/import/999999/").status_code == 404
