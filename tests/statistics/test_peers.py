"""Similar municipalities from the store: the figures file, the latest values, the peers and their reasons."""

import csv

import pandas as pd
import pytest

from millennium.analysis.peers import TRANSFORMS
from millennium.statistics.peers import (
    COLUMNS,
    FIGURES,
    MissingFigures,
    PeerFigure,
    UnknownMunicipality,
    all_similar_municipalities,
    read_peer_figures,
    similar_municipalities,
    structural_table,
)
from tests.conftest import DATA, KOLADA

pytestmark = pytest.mark.django_db


def kolada_overall_group(name: str) -> set[str]:
    """Kolada's own 'Liknande kommuner, övergripande, <name>, 2025' members."""
    with (DATA / "kolada-meta" / "munic_g.csv").open(encoding="utf-8", newline="") as f:
        return {r["member_id"] for r in csv.DictReader(f)
                if r["group_title"] == f"Liknande kommuner, övergripande, {name}, 2025"}


# --- The figures file.


def test_peer_figures_file_every_figure_in_the_kolada_extract():
    figures = read_peer_figures()

    with (KOLADA / "ddf--concepts.csv").open(encoding="utf-8", newline="") as f:
        concepts = {r["concept"] for r in csv.DictReader(f)}
    for figure in figures:
        assert figure.kpi.lower() in concepts, figure.kpi
        assert list(KOLADA.glob(f"datapoints--*/ddf--datapoints--{figure.kpi.lower()}--*.csv")), figure.kpi
        assert figure.transform in TRANSFORMS and figure.weight > 0 and figure.why
    assert len({f.name for f in figures}) == len(figures)
    # The four structural figures the extract carries for comparing municipalities, or their stated
    # replacement (N01958, five-year change, for the noisier one-year N01963), and population.
    assert {"N01951", "N00954", "N00903", "N03009", "N01958"} <= {f.kpi for f in figures}


@pytest.mark.parametrize(("row", "message"), [
    ("N01951,Invånare,sqrt,1,x", "line 2: transform must be one of"),
    ("N01951,Invånare,log,-1,x", "line 2: weight must be > 0, got -1.0"),
    ("N01951,Invånare,log,much,x", "line 2: weight must be a number, got 'much'"),
    ("N01951,Invånare,log,1,", "line 2: every figure needs a name and a reason"),
])
def test_read_peer_figures_bad_row_refused_naming_the_line(tmp_path, row, message):
    path = tmp_path / "figures.csv"
    path.write_text("kpi,name,transform,weight,why\n" + row + "\n", encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        read_peer_figures(path)


def test_read_peer_figures_repeated_figure_refused(tmp_path):
    path = tmp_path / "figures.csv"
    path.write_text(FIGURES.read_text(encoding="utf-8") + "N01951,Igen,log,1,twice\n", encoding="utf-8")

    with pytest.raises(ValueError, match="key figure 'N01951' listed twice"):
        read_peer_figures(path)


# --- Latest values.


def test_structural_table_latest_value_of_every_municipality():
    table = structural_table()

    assert table.shape == (290, len(read_peer_figures()))
    assert not table.isna().any().any()
    assert table.attrs["years"]["N01951"] == 2022
    # ddf--datapoints--n01951--by--geo--year.csv: 1280,2022,357377.0
    assert table.loc["1280", "N01951"] == 357377.0


def test_structural_table_figure_not_in_store_refused():
    missing = [PeerFigure("N99999", "Finns inte", "none", 1.0, "test")]

    with pytest.raises(MissingFigures, match="no municipality values of N99999"):
        structural_table(missing)


# --- Similar municipalities.


def test_similar_municipalities_malmo_seven_peers_with_reasons():
    peers = similar_municipalities("1280")

    names = {f.name for f in read_peer_figures()}
    assert peers.columns.tolist() == COLUMNS
    assert len(peers) == 7 and peers["code"].is_unique
    assert "1280" not in set(peers["code"])
    assert peers["distance"].is_monotonic_increasing
    for similar, differs in zip(peers["similar_on"], peers["differs_on"]):
        assert len(similar) == 3 and len(differs) == 3
        assert set(similar) <= names and set(differs) <= names and not set(similar) & set(differs)


def test_similar_municipalities_malmo_peers_are_the_large_regional_cities():
    peers = similar_municipalities("1280")

    # Malmö (357,000 inhabitants, tax base and equalisation close to the national average) is alike the other
    # large regional centres, not Stockholm and Göteborg, whose tax base is far higher: all peers have more
    # than 100,000 inhabitants, and at least 5 of 7 are in Kolada's own group for Malmö (which has Uppsala,
    # Norrköping, Helsingborg, Halmstad, Borås, Örebro, Västerås).
    population = structural_table()["N01951"]
    assert (population[peers["code"]] > 100_000).all()
    assert len(set(peers["code"]) & kolada_overall_group("Malmö")) >= 5
    assert {"0180", "1480"}.isdisjoint(peers["code"])


def test_similar_municipalities_stockholm_nearest_is_goteborg():
    peers = similar_municipalities("0180")

    # Size weighs most, and Göteborg (597,000) is the only other municipality above 500,000 inhabitants.
    assert (peers.loc[0, "code"], peers.loc[0, "name"]) == ("1480", "Göteborg")


@pytest.mark.parametrize(("code", "what"), [
    ("9999", "no area"),
    ("12", "Region Skåne, a region, not a municipality"),
    ("", "no area"),
])
def test_similar_municipalities_unknown_code_refused(code, what):
    with pytest.raises(UnknownMunicipality, match=f"unknown municipality code '{code}' \\({what}\\)"):
        similar_municipalities(code)


def test_all_similar_municipalities_seven_for_each_of_the_290():
    every = all_similar_municipalities()

    assert every.columns.tolist() == ["municipality", "rank", *COLUMNS]
    assert every.groupby("municipality").size().eq(7).all() and every["municipality"].nunique() == 290
    assert (every["municipality"] != every["code"]).all()
    malmo = every[every["municipality"] == "1280"].reset_index(drop=True)
    pd.testing.assert_frame_equal(malmo[COLUMNS], similar_municipalities("1280"))
