"""JSON-stat 2.0 into a tidy table: a real-shaped SCB answer (values from Kolada's N01951, whose source is SCB)
and every form the format allows for index, value and status; bad documents name the field."""

import copy
import csv
import json
from pathlib import Path

import numpy as np
import pytest

from millennium.readers import InputError
from millennium.readers.jsonstat import parse_jsonstat, read_jsonstat
from tests.conftest import KOLADA

FIXTURE = Path(__file__).parent / "data" / "scb_tab638_folkmangd.json"


def kolada_population() -> dict[tuple[str, str, str], float]:
    """(SCB region, Kon, year) → N01951 read straight from the Kolada CSV."""
    kon = {"m": "1", "k": "2"}
    path = KOLADA / "datapoints--by--geo--gender--year" / "ddf--datapoints--n01951--by--geo--gender--year.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {("00" if r["geo"] == "0" else r["geo"], kon[r["gender"]], r["year"]): float(r["n01951"])
                for r in csv.DictReader(f)}


def small(**changes) -> dict:
    doc = {"version": "2.0", "class": "dataset", "id": ["Region", "Tid"], "size": [2, 3],
           "dimension": {"Region": {"label": "region", "category": {"index": {"1280": 0, "0180": 1}}},
                         "Tid": {"label": "år", "category": {"index": ["2020", "2021", "2022"]}}},
           "value": [1, 2, 3, 4, 5, 6]}
    doc.update(changes)
    return doc


def test_read_jsonstat_scb_answer_matches_kolada():
    ds = read_jsonstat(FIXTURE)

    assert list(ds.dimensions) == ["Region", "Kon", "ContentsCode", "Tid"]
    assert len(ds.table) == 3 * 2 * 2 * 3
    assert ds.dimensions["ContentsCode"].units == {"BE0101N1": {"base": "antal", "decimals": 0},
                                                   "BE0101N2": {"base": "antal", "decimals": 0}}
    assert ds.dimensions["Region"].labels["1280"] == "Malmö"
    assert ds.role["time"] == ["Tid"]
    population = kolada_population()
    folkmangd = ds.table[ds.table["ContentsCode"] == "BE0101N1"]
    expected = [population[(r, k, t)] for r, k, t in zip(folkmangd["Region"], folkmangd["Kon"], folkmangd["Tid"])]
    assert folkmangd["value"].tolist() == expected
    assert (folkmangd["status"] == "").all()


def test_read_jsonstat_missing_values_keep_their_symbol():
    ds = read_jsonstat(FIXTURE)

    change = ds.table[ds.table["ContentsCode"] == "BE0101N2"]
    first_year = change[change["Tid"] == "2010"]
    later = change[change["Tid"] != "2010"]
    assert first_year["value"].isna().all()
    assert first_year["status"].tolist() == [".."] * 6
    assert later["value"].notna().all()
    malmo_women = later[(later["Region"] == "1280") & (later["Kon"] == "2")]
    population = kolada_population()
    assert malmo_women["value"].tolist() == [population[("1280", "2", y)] - population[("1280", "2", str(int(y) - 1))]
                                             for y in ("2011", "2012")]


def test_parse_jsonstat_last_dimension_varies_fastest():
    ds = parse_jsonstat(small())

    assert ds.table["Region"].astype(str).tolist() == ["1280", "1280", "1280", "0180", "0180", "0180"]
    assert ds.table["Tid"].astype(str).tolist() == ["2020", "2021", "2022"] * 2
    assert ds.table["value"].tolist() == [1, 2, 3, 4, 5, 6]


def test_parse_jsonstat_sparse_values_and_status_forms():
    sparse = parse_jsonstat(small(value={"0": 10, "5": 60}, status={"1": "..", "2": "."}))
    one_for_all = parse_jsonstat(small(status="p"))
    one_each = parse_jsonstat(small(status=["", "", "b", "", "", "e"]))
    single = parse_jsonstat(small(status=["f"]))

    assert np.isnan(sparse.table["value"].to_numpy()[[1, 2, 3, 4]]).all()
    assert sparse.table["value"].to_numpy()[[0, 5]].tolist() == [10.0, 60.0]
    assert sparse.table["status"].tolist() == ["", "..", ".", "", "", ""]
    assert one_for_all.table["status"].tolist() == ["p"] * 6
    assert one_each.table["status"].tolist() == ["", "", "b", "", "", "e"]
    assert single.table["status"].tolist() == ["f"] * 6


def test_parse_jsonstat_single_category_without_index():
    doc = small()
    doc["id"], doc["size"] = ["ContentsCode", "Region", "Tid"], [1, 2, 3]
    doc["dimension"]["ContentsCode"] = {"label": "tabellinnehåll", "category": {"label": {"BE0101N1": "Folkmängd"}}}

    ds = parse_jsonstat(doc)

    assert ds.table["ContentsCode"].astype(str).tolist() == ["BE0101N1"] * 6
    assert ds.dimensions["ContentsCode"].labels == {"BE0101N1": "Folkmängd"}


def test_parse_jsonstat_empty_dimension_gives_empty_table():
    doc = small(size=[2, 0], value=[])
    doc["dimension"]["Tid"]["category"]["index"] = []

    assert parse_jsonstat(doc).table.empty


def broken(path: str, value) -> dict:
    doc = copy.deepcopy(small())
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[p]
    target[last] = value
    return doc


@pytest.mark.parametrize("doc, column, message", [
    (broken("class", "collection"), "class", 'expected "class": "dataset", got \'collection\''),
    (broken("version", "1.0"), "version", "expected JSON-stat version 2.0, got '1.0'"),
    (broken("size", [2]), "size", "`id` has 2 dimensions but `size` 1"),
    (broken("value", [1, 2, 3]), "value", "3 values for a cube of 6 cells"),
    (broken("value", [1, 2, "x", 4, 5, 6]), "value[2]", "value 'x' at position 2 is not a number"),
    (broken("dimension.Tid.category.index", ["2020", "2021"]), "dimension.Tid.category.index",
     "2 categories but `size` says 3"),
    (broken("dimension.Region.category.index", {"1280": 0, "0180": 0}), "dimension.Region.category.index",
     "position 0 of category '0180' is not one of 0…1 or is used twice"),
    (broken("status", {"9": ".."}), "status", "key '9' is not a cell position 0…5"),
    (broken("dimension.Tid", None), "dimension.Tid", "dimension 'Tid' is listed in `id` but not described"),
])
def test_parse_jsonstat_bad_document_names_the_field(doc, column, message):
    with pytest.raises(InputError) as caught:
        parse_jsonstat(doc, source="https://example.test/data")

    assert caught.value.column == column
    assert caught.value.message == message


def test_read_jsonstat_invalid_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"version": "2.0",\n "class": "dataset",\n "value": [1, 2', encoding="utf-8")

    with pytest.raises(InputError) as caught:
        read_jsonstat(path)

    assert (caught.value.line, caught.value.column) == (3, 16)  # just after "2", where more was expected
    assert caught.value.message.startswith("not valid JSON")


def test_fixture_is_what_the_test_server_sends():
    """The file is the test server's answer for its selection, so the reader and the client see one shape."""
    from tests.sources.pxweb_server import PxWebServer

    from tests.conftest import DATA

    status, body = PxWebServer(DATA).dataset({"Region": ["00", "0180", "1280"], "Kon": ["1", "2"],
                                              "ContentsCode": ["BE0101N1", "BE0101N2"],
                                              "Tid": ["2010", "2011", "2012"]})
    assert status == 200
    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == body
