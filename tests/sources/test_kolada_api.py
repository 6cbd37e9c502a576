"""`millennium import kolada`: Kolada's API v3, served from the real extract by a real HTTP server on 127.0.0.1.

The test store already holds the whole DDF extract, so an import of the same figures finds them unchanged;
tests that need new rows delete some first (rolled back with the test).
"""

import csv

import pytest
from django.db.models import Count, Max, Sum

from millennium.cli import main
from millennium.readers.http import SourceUnavailable
from millennium.readers.kolada_api import CREDIT, KoladaClient, area_code
from millennium.sources.models import MunicipalityGroup
from millennium.statistics.kolada_api_import import (KoladaRequest, KoladaRequestError, import_kolada_api,
                                                     kolada_client)
from millennium.statistics.models import ImportBatch, Measure, Observation
from tests.conftest import DATA, KOLADA
from tests.sources.kolada_server import KoladaServer

pytestmark = pytest.mark.django_db

KPIS = ["N00945", "N01951"]
PLACES = ["1280", "0180"]


@pytest.fixture
def server():
    s = KoladaServer(DATA, KPIS).start()
    yield s
    s.stop()


@pytest.fixture
def client(server, tmp_path):
    def make(**kw):
        options = {"per_page": 5000, "retries": 2, "backoff": 0.01, "timeout": 2.0, "min_interval": 0} | kw
        return kolada_client(server.base_url, tmp_path / "cache", **options)

    return make


def stored(kpis=KPIS, places=PLACES, years=(2010, 2022)) -> dict:
    rows = Observation.objects.filter(measure__code__in=kpis, area__code__in=places,
                                      year__range=years)
    return {(m, a, y, s): v for m, a, y, s, v in rows.values_list("measure__code", "area__code", "year", "sex",
                                                                   "value")}


def store_fingerprint():
    return (sorted(Observation.objects.values_list("batch").annotate(n=Count("id"))),
            Observation.objects.aggregate(m=Max("id"))["m"],
            pytest.approx(Observation.objects.aggregate(s=Sum("value"))["s"], rel=1e-12),
            sorted(Measure.objects.values_list("code", "title_sv", "description_sv")),
            ImportBatch.objects.count())


def ddf_value(kpi: str, geo: str, year: int) -> float:
    path = KOLADA / "datapoints--by--geo--year" / f"ddf--datapoints--{kpi.lower()}--by--geo--year.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return next(float(r[kpi.lower()]) for r in csv.DictReader(f) if r["geo"] == geo and r["year"] == str(year))


def test_import_brings_back_exactly_the_values_of_the_ddf_files_following_every_page(server, client):
    before = stored()
    Observation.objects.filter(measure__code__in=KPIS, area__code__in=PLACES, year__range=(2010, 2022)).delete()

    summary = import_kolada_api(KoladaRequest(KPIS, PLACES, (2010, 2022)), client(per_page=10))

    assert len(before) > 100
    assert stored() == before
    assert stored()[("N00945", "1280", 2020, "T")] == ddf_value("N00945", "1280", 2020)
    assert (summary.new, summary.changed, summary.measures) == (len(before), 0, 2)
    pages = [path for path, *_ in server.log if "/data/" in path]
    # 2 key figures × 2 municipalities × 13 years = 52 values, 10 a page: 6 pages (plus the one /kpi request)
    assert len(pages) == summary.files - 1 == 6
    assert any("page=2&per_page=10" in p for p in pages)
    batch = ImportBatch.objects.get(id=summary.batch_id)
    assert batch.source.code == "kolada" and batch.source.credit.startswith(CREDIT)
    assert batch.location.startswith(f"{server.base_url} kpi=N00945,N01951 municipality=1280,0180 years=2010-2022")
    assert pages[0].split("?")[0] in batch.location


def test_reimport_changes_nothing_and_revalidates_from_the_cache(server, client):
    first = import_kolada_api(KoladaRequest(KPIS, PLACES, (2010, 2022)), client())
    server.log.clear()

    second = import_kolada_api(KoladaRequest(KPIS, PLACES, (2010, 2022)), client())

    assert (first.new, first.changed) == (0, 0)  # the store already holds the extract
    assert (second.new, second.changed, second.unchanged) == (0, 0, first.unchanged)
    assert server.log and all(inm is not None and status == 304 for _, inm, _, status in server.log)


def test_revised_figure_is_updated_and_counted(server, client):
    server.set_value("N01951", "1280", 2020, "K", 12345.0)

    summary = import_kolada_api(KoladaRequest(["N01951"], ["1280"], (2020, 2020)), client())

    assert (summary.new, summary.changed) == (0, 1)
    obs = Observation.objects.get(measure__code="N01951", area__code="1280", year=2020, sex="K")
    assert obs.value == 12345.0 and obs.batch_id == summary.batch_id


def test_metadata_updates_the_key_figures_title_and_description(server, client):
    server.kpis["N00945"] = server.kpis["N00945"] | {"title": "VAB-dagar som tas ut av män, andel (%)",
                                                     "description": "Ny beskrivning. Källa: Försäkringskassan."}

    import_kolada_api(KoladaRequest(["N00945"], ["1280"], (2020, 2020)), client())

    m = Measure.objects.get(code="N00945")
    assert (m.title_sv, m.description_sv, m.unit) == ("VAB-dagar som tas ut av män, andel (%)",
                                                      "Ny beskrivning. Källa: Försäkringskassan.", "andel (%)")


def test_null_and_withdrawn_figures_are_skipped(server, client):
    server.set_value("N00945", "1280", 2020, "T", None)
    before = stored(["N00945"], ["1280"], (2020, 2020))

    summary = import_kolada_api(KoladaRequest(["N00945"], ["1280"], (2019, 2021)), client())

    assert summary.rejected == 1
    assert stored(["N00945"], ["1280"], (2020, 2020)) == before  # a missing figure does not delete ours


def test_all_areas_for_some_years(server, client):
    summary = import_kolada_api(KoladaRequest(["N00945"], None, (2020, 2020)), client(per_page=100))

    expected = Observation.objects.filter(measure__code="N00945", year=2020).count()
    assert summary.unchanged == expected > 300
    assert any("/data/kpi/N00945/year/2020" in p for p, *_ in server.log)


def test_id_lists_are_split_to_the_per_call_limit(server, client):
    places = sorted({p for (_, p, _) in server.values} - {"0000"})[:60]

    data = client().data(["N01951"], places, [2020])

    assert set(data.observations["area"]) == {area_code(p) for p in places}
    calls = [p for p, *_ in server.log if "/data/" in p]
    assert len(calls) == 3 and 422 not in server.statuses()


def test_more_than_25_ids_in_one_call_is_refused_by_the_server(server, client):
    c = KoladaClient(client().session, server.base_url, max_ids=30)
    places = sorted({p for (_, p, _) in server.values} - {"0000"})[:30]

    with pytest.raises(SourceUnavailable, match="HTTP 422"):
        c.data(["N01951"], places, [2020])


def test_429_and_500_are_retried_and_the_import_succeeds(server, client):
    server.fail(match="/data/", status=429, retry_after=0, times=1)
    server.fail(match="/data/", status=500, times=1)
    Observation.objects.filter(measure__code="N00945", area__code="1280").delete()

    summary = import_kolada_api(KoladaRequest(["N00945"], ["1280"], None), client())

    assert summary.new > 5
    assert server.statuses("/data/") == [429, 500, 200]


@pytest.mark.parametrize(("fault", "message"), [
    ({"status": 500}, "HTTP 500 Internal Server Error, still so after retrying"),
    ({"hang": 6.0}, "no answer in time (timeout)"),
    ({"malformed": True}, "the answer is not valid JSON"),
], ids=["persistent-500", "timeout", "malformed-json"])
def test_failed_import_changes_nothing(server, client, fault, message):
    # A revised title and value that must not be written, and a failure on the second page of values.
    server.kpis["N01951"] = server.kpis["N01951"] | {"title": "Must not be stored, antal"}
    server.set_value("N01951", "0180", 2010, "T", 1.0)
    server.fail(match="page=2", **fault)
    before = store_fingerprint()

    with pytest.raises(SourceUnavailable) as error:
        import_kolada_api(KoladaRequest(KPIS, PLACES, (2010, 2022)), client(per_page=10, timeout=2.0, retries=1))

    assert store_fingerprint() == before
    assert "page=2" in error.value.url
    assert message in str(error.value)


def test_unknown_key_figure_and_municipality_are_refused(server, client):
    with pytest.raises(SourceUnavailable, match="Kolada has no key figure N99999"):
        import_kolada_api(KoladaRequest(["N99999"], ["1280"], None), client())
    with pytest.raises(KoladaRequestError, match="unknown code 9999"):
        import_kolada_api(KoladaRequest(["N00945"], ["9999"], None), client())


def test_cli_import_and_its_exit_codes(server, tmp_path, capsys):
    common = ["--base-url", server.base_url, "--cache-dir", str(tmp_path / "c"), "--retries", "1", "--timeout", "2"]

    ok = main(["import", "kolada", "--kpi", "n00945,N01951", "--municipality", "1280,0012,0", "--years",
               "2018-2020", *common])
    out = capsys.readouterr()
    server.fail(status=500)
    before = store_fingerprint()
    failed = main(["import", "kolada", "--kpi", "N00945", "--municipality", "1280", *common])
    failed_err = capsys.readouterr().err
    bad_years = main(["import", "kolada", "--kpi", "N00945", "--all", "--years", "2020-2010", *common])

    assert ok == 0
    assert "Imported from Kolada: 2 key figures" in out.err and "0 new, 0 changed" in out.err
    assert failed == 1 and "HTTP 500" in failed_err and "Nothing was changed." in failed_err
    assert store_fingerprint() == before
    assert bad_years == 1
    with pytest.raises(SystemExit) as usage:
        main(["import", "kolada", "--kpi", "N00945", "--all", "--municipality", "1280"])
    assert usage.value.code == 2


def test_cli_municipality_groups(server, tmp_path, capsys):
    code = main(["import", "kolada-groups", "--id", "G37411,G35951", "--base-url", server.base_url,
                 "--cache-dir", str(tmp_path / "c")])

    assert code == 0
    group = MunicipalityGroup.objects.get(code="G37411")
    assert group.title == "Liknande kommuner, övergripande, Höör, 2025"
    with (DATA / "kolada-meta" / "munic_g.csv").open(encoding="utf-8", newline="") as f:
        expected = {r["member_id"] for r in csv.DictReader(f) if r["group_id"] == "G37411"}
    assert set(group.members.values_list("code", flat=True)) == expected and len(expected) == 7
    assert "2 groups" in capsys.readouterr().err


def test_a_request_without_figures_imports_nothing_and_says_so(server, client):
    summary = import_kolada_api(KoladaRequest(["N00945"], ["1280"], (1995, 1996)), client())

    assert (summary.new, summary.changed, summary.unchanged, summary.rejected) == (0, 0, 0, 0)
    assert ImportBatch.objects.get(id=summary.batch_id).rows_new == 0
