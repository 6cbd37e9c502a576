"""SCB's PxWeb (PxWebApi 2 and API v1) against a real HTTP server on 127.0.0.1 (tests/sources/pxweb_server.py):
splitting under the cell limit, the rate, the mapping into measures and observations, retries, and failures
that leave the store exactly as it was."""

import time

import pandas as pd
import pytest

from millennium.cli import main
from millennium.places.models import Area
from millennium.readers.http import SourceUnavailable, polite_session
from millennium.readers.pxweb import (Limits, PxWebData, PxWebV1, PxWebV2, QueryError, TableMetadata, Variable,
                                      fetch_table, parse_query, resolve_selection, split_selection)
from millennium.statistics.models import ImportBatch, Measure, Observation, Source
from millennium.statistics.scb_import import import_scb, plan_scb
from tests.conftest import DATA
from tests.sources.pxweb_server import TABLE_V1, TABLE_V2, PxWebServer

MAX_CELLS = 20  # small, so that every realistic query is split
QUERY = ["Region=00,0180,1280", "Kon=1,2", "Tid=2018-2022"]


@pytest.fixture(scope="module")
def server():
    s = PxWebServer(DATA, max_cells=MAX_CELLS).start()
    yield s
    s.stop()


@pytest.fixture(autouse=True)
def fresh(server):
    server.clear()
    server.max_cells, server.calls, server.window = MAX_CELLS, 1000, 10
    yield


def session(**options):
    settings = {"min_interval": 0.0, "retries": 2, "backoff": 0.05, "timeout": (5.0, 4.0), **options}
    return polite_session(None, **settings)


def v2(server, **options) -> PxWebV2:
    return PxWebV2(server.v2, session=session(**options))


def v1(server, **options) -> PxWebV1:
    return PxWebV1(server.v1, session=session(**options))


def kolada_values(kpi: str, area: str, sex: str) -> dict[int, float]:
    return dict(Observation.objects.filter(measure__code=kpi, area__code=area, sex=sex).values_list("year", "value"))


def scb_values(code: str, area: str, sex: str) -> dict[int, float]:
    return dict(Observation.objects.filter(measure__code=code, area__code=area, sex=sex).values_list("year", "value"))


def snapshot() -> dict:
    return {
        "counts": (Observation.objects.count(), Measure.objects.count(), ImportBatch.objects.count(),
                   Source.objects.count()),
        # By measure id: the unique key's index, not a join over every observation.
        "scb": sorted(Observation.objects.filter(measure_id__in=list(Measure.objects.filter(
            code__startswith="SCB:").values_list("id", flat=True))).values_list(
            "measure_id", "area_id", "year", "sex", "value", "flags", "batch_id")),
    }


# ----------------------------------------------------------------------------------------------------
# Selections, without a server


@pytest.mark.parametrize("sizes, max_cells", [((5, 2), 4), ((7, 3, 2), 6), ((10, 10, 10), 7), ((3, 1), 100),
                                              ((1, 1, 1), 1), ((290, 2, 13, 2), 1000)])
def test_split_selection_covers_all_cells_under_the_limit(sizes, max_cells):
    selection = {f"v{i}": [str(j) for j in range(n)] for i, n in enumerate(sizes)}

    parts = split_selection(selection, max_cells)

    cells = [tuple(row) for p in parts for row in pd.MultiIndex.from_product(list(p.values()))]
    assert all(pd.Series([len(v) for v in p.values()]).prod() <= max_cells for p in parts)
    assert sorted(cells) == sorted(pd.MultiIndex.from_product(list(selection.values())))


def test_resolve_selection_ranges_stars_and_elimination():
    meta = TableMetadata("T", "t", [
        Variable("Region", "region", ["00", "0180", "1280"], ["Riket", "Stockholm", "Malmö"], elimination=True),
        Variable("Alder", "ålder", ["15-24", "25-34", "tot"], ["15-24 år", "25-34 år", "totalt"], elimination=True),
        Variable("ContentsCode", "tabellinnehåll", ["A", "B"], ["a", "b"]),
        Variable("Tid", "år", ["2019", "2020", "2021", "2022"], ["2019", "2020", "2021", "2022"], time=True),
    ])

    assert resolve_selection(meta, {"Alder": ["15-24"], "Tid": ["2022-2020"], "Region": ["*"]}) == {
        "Region": ["00", "0180", "1280"], "Alder": ["15-24"], "ContentsCode": ["A", "B"],
        "Tid": ["2020", "2021", "2022"]}
    with pytest.raises(QueryError, match=r"variable Region: no value '9999'; values: 00, 0180, 1280"):
        resolve_selection(meta, {"Region": ["9999"]})
    with pytest.raises(QueryError, match=r"table T has no variable Kommun; its variables: Region \(region\)"):
        resolve_selection(meta, {"Kommun": ["1280"]})


@pytest.mark.parametrize("items, message", [
    (["Region"], "--query 'Region': expected VARIABLE=VALUE"),
    (["Region="], "--query 'Region=': expected VARIABLE=VALUE"),
    (["Tid=2020", "Tid=2021"], "--query 'Tid=2021': variable Tid is selected twice"),
])
def test_parse_query_refuses_malformed_items(items, message):
    with pytest.raises(QueryError) as caught:
        parse_query(items)

    assert str(caught.value).startswith(message)


def test_plan_refuses_periods_that_are_not_years():
    meta = TableMetadata("AM0401", "Arbetslöshet", [
        Variable("ContentsCode", "tabellinnehåll", ["X"], ["arbetslösa"]),
        Variable("Tid", "månad", ["2020M01", "2020M02"], ["2020M01", "2020M02"], time=True)])
    rows = pd.DataFrame({"ContentsCode": ["X", "X"], "Tid": ["2020M01", "2020M02"], "value": [1.0, 2.0],
                         "status": ["", ""]})
    data = PxWebData(meta, {"ContentsCode": ["X"], "Tid": ["2020M01", "2020M02"]}, rows, {}, 1)

    with pytest.raises(QueryError, match=r"Tid has periods such as '2020M01', not years; the store keeps one value a "
                                         r"year"):
        plan_scb(data)


# ----------------------------------------------------------------------------------------------------
# The clients against the server


def test_v2_and_v1_answer_the_same_rows_split_under_the_limit(server):
    rows_v2 = fetch_table(v2(server), TABLE_V2, parse_query(QUERY))
    requests_v2 = server.data_requests()
    server.clear()
    rows_v1 = fetch_table(v1(server), TABLE_V1, parse_query(QUERY))
    requests_v1 = server.data_requests()

    # 3 regions × 2 sexes × 2 contents = 12 cells a year: one year per request under a limit of 20.
    assert rows_v2.requests == rows_v1.requests == 5
    assert [b["selection"][-1] for b in requests_v2] == [{"variableCode": "Tid", "valueCodes": [str(y)]}
                                                         for y in range(2018, 2023)]
    assert [b["query"][-1]["selection"]["values"] for b in requests_v1] == [[str(y)] for y in range(2018, 2023)]
    assert requests_v1[0]["response"] == {"format": "json-stat2"}
    pd.testing.assert_frame_equal(rows_v2.rows, rows_v1.rows)
    assert len(rows_v2.rows) == 60
    assert rows_v2.units == {"BE0101N1": "antal", "BE0101N2": "antal"}
    assert rows_v1.metadata.title.startswith("Folkmängden efter region")


def test_client_keeps_the_servers_rate(server):
    server.calls, server.window = 4, 1  # at most 4 calls a second: 0.25 s apart
    client = v2(server)

    fetch_table(client, TABLE_V2, parse_query(QUERY))

    assert client.limits() == Limits(max_cells=MAX_CELLS, calls=4, window=1.0)
    gaps = pd.Series(server.stamps[1:]) - pd.Series(server.stamps[:-1]).to_numpy()
    assert [path.rsplit("/", 1)[-1] for _, path, _, _ in server.log] == ["config", "metadata"] + ["data"] * 5
    # The client spaces its sends 0.25 s apart; arrival times here also carry each request's own delay on a
    # busy machine, so one gap may look a little shorter, never the whole run.
    assert gaps.min() >= 0.2  # the config is asked first, so even the metadata request keeps the pace
    assert server.stamps[-1] - server.stamps[0] >= 6 * 0.25 - 0.05


# ----------------------------------------------------------------------------------------------------
# The import


@pytest.mark.django_db
@pytest.mark.parametrize("api", ["v2", "v1"])
def test_import_scb_stores_scbs_population_equal_to_koladas(server, api):
    client, table = (v2(server), TABLE_V2) if api == "v2" else (v1(server), TABLE_V1)

    summary = import_scb(table, QUERY, client)

    code = f"SCB:{table}:BE0101N1"
    measure = Measure.objects.get(code=code)
    assert (measure.title_sv, measure.unit, measure.divided_by_sex, measure.source.credit) == (
        "Folkmängd", "antal", True, "Källa: SCB")
    for area in ("0", "0180", "1280"):
        for sex in ("K", "M"):
            kolada = {y: v for y, v in kolada_values("N01951", area, sex).items() if 2018 <= y <= 2022}
            assert scb_values(code, area, sex) == kolada
    malmo_women = scb_values(f"SCB:{table}:BE0101N2", "1280", "K")
    assert malmo_women[2022] == 179989 - 177210
    assert (summary.new, summary.changed, summary.unchanged, summary.rejected, summary.measures, summary.files) == (
        60, 0, 0, 0, 2, 5)
    batch = ImportBatch.objects.get(id=summary.batch_id)
    assert batch.location == f"{client.base_url} {table} Region=00,0180,1280 Kon=1,2 Tid=2018-2022"


@pytest.mark.django_db
def test_import_scb_twice_changes_nothing(server):
    import_scb(TABLE_V2, QUERY, v2(server))
    before = snapshot()

    again = import_scb(TABLE_V2, QUERY, v2(server))

    assert (again.new, again.changed, again.unchanged) == (0, 0, 60)
    after = snapshot()
    assert after["scb"] == before["scb"]
    assert after["counts"][0] == before["counts"][0]


@pytest.mark.django_db
def test_import_scb_eliminated_variables_are_totals(server):
    summary = import_scb(TABLE_V2, ["ContentsCode=BE0101N1", "Tid=2020-2022"], v2(server))

    # Region and Kon left out: Sweden, both sexes.
    assert server.data_requests()[0]["selection"] == [
        {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
        {"variableCode": "Tid", "valueCodes": ["2020", "2021", "2022"]}]
    assert scb_values("SCB:TAB638:BE0101N1", "0", "T") == {
        y: kolada_values("N01951", "0", "K")[y] + kolada_values("N01951", "0", "M")[y] for y in (2020, 2021, 2022)}
    assert Measure.objects.get(code="SCB:TAB638:BE0101N1").divided_by_sex is False
    assert summary.new == 3


@pytest.mark.django_db
def test_import_scb_fixed_variable_is_part_of_the_measure(server):
    import_scb(TABLE_V2, ["Region=1280", "Alder=tot", "ContentsCode=BE0101N1", "Tid=2022"], v2(server))

    measure = Measure.objects.get(code="SCB:TAB638:BE0101N1/Alder=tot")
    assert measure.title_sv == "Folkmängd, ålder totalt ålder"
    assert scb_values(measure.code, "1280", "T") == {2022: 179989 + 177388}


@pytest.mark.django_db
def test_import_scb_cells_without_value_are_rejected_not_stored(server):
    summary = import_scb(TABLE_V2, ["Region=1280", "ContentsCode=BE0101N2", "Tid=2010-2011"], v2(server))

    # 2010 is the table's first year: no change from the year before ('..').
    assert summary.rejected == 1
    assert scb_values("SCB:TAB638:BE0101N2", "1280", "T") == {
        2011: kolada_values("N01951", "1280", "K")[2011] + kolada_values("N01951", "1280", "M")[2011]
        - kolada_values("N01951", "1280", "K")[2010] - kolada_values("N01951", "1280", "M")[2010]}


@pytest.mark.django_db
def test_import_scb_retries_429_and_500(server):
    server.fail(match="/data", status=429, retry_after=1, times=1)
    server.fail(match="/data", status=500, times=1, after=2)

    summary = import_scb(TABLE_V2, QUERY, v2(server))

    statuses = [status for method, _, _, status in server.log if method == "POST"]
    assert statuses == [429, 200, 200, 500, 200, 200, 200]
    gap = server.stamps[3] - server.stamps[2]  # the 429 and its retry, after Retry-After: 1
    assert gap >= 0.95
    assert summary.new == 60


@pytest.mark.django_db
def test_import_scb_retries_a_timeout(server):
    server.fail(match="/data", hang=6.0, times=1)

    summary = import_scb(TABLE_V2, QUERY, v2(server, timeout=(2.0, 2.0)))

    assert summary.new == 60


@pytest.mark.django_db
@pytest.mark.parametrize("fault, reason", [
    ({"status": 500}, "HTTP 500"),
    ({"status": 429, "retry_after": 0}, "HTTP 429"),
    ({"hang": 6.0}, "timeout"),
    ({"malformed": True}, "the answer is not valid JSON"),
])
def test_failed_import_changes_nothing(server, fault, reason):
    import_scb(TABLE_V2, QUERY, v2(server))
    before = snapshot()
    server.population[("1280", "2", "2022")] += 1000  # SCB revises a value: a good import would change it
    server.fail(match="/data", after=3, **fault)  # the fourth data request and every one after fails

    try:
        with pytest.raises(SourceUnavailable) as caught:
            import_scb(TABLE_V2, QUERY, v2(server, timeout=(2.0, 2.0)))
    finally:
        server.population[("1280", "2", "2022")] -= 1000

    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"{server.v2}/tables/TAB638/data")
    assert snapshot() == before


@pytest.mark.django_db
def test_refused_selection_changes_nothing(server):
    before = snapshot()

    with pytest.raises(QueryError, match=r"variable Region: no value '9999'"):
        import_scb(TABLE_V2, ["Region=9999", "Tid=2020"], v2(server))

    assert server.data_requests() == []
    assert snapshot() == before


@pytest.mark.django_db
def test_region_unknown_to_the_store_is_refused(server):
    Area.objects.filter(code="1281").update(code="1281-moved")  # rolled back with the test
    before = snapshot()

    with pytest.raises(QueryError, match=r"region code\(s\) 1281 are not areas in the store"):
        import_scb(TABLE_V2, ["Region=1280,1281", "Tid=2020"], v2(server))

    assert snapshot() == before


@pytest.mark.django_db
def test_cli_import_scb(server, tmp_path, capsys):
    code = main(["import", "scb", TABLE_V2, "--base-url", server.v2, "--cache-dir", str(tmp_path),
                 "--query", "Region=1280", "--query", "Tid=2021-2022", "--query", "ContentsCode=BE0101N1"])
    out = capsys.readouterr().err  # the summary goes to stderr (rich console), stdout stays for data
    bad = main(["import", "scb", TABLE_V1, "--api", "v1", "--base-url", server.v1, "--cache-dir", str(tmp_path),
                "--query", "Kommun=1280"])
    err = capsys.readouterr().err

    assert code == 0
    assert "Imported SCB TAB638: 1 key figures, 1 requests; rows 2 new" in out
    assert bad == 1
    assert err.startswith(f"error: table {TABLE_V1} has no variable Kommun")
    assert err.rstrip().endswith("Nothing was changed.")


def test_unreachable_server_is_source_unavailable():
    client = PxWebV2("http://127.0.0.1:9/v2", session=session(retries=0))
    started = time.monotonic()

    with pytest.raises(SourceUnavailable, match=r"^http://127.0.0.1:9/v2/config: could not connect"):
        client.limits()

    assert time.monotonic() - started < 30  # refused at once, not retried with backoff
