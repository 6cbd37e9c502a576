"""`millennium import sdmx`: the UN SDG Global Database's series (real values, tests/readers/data/unsd_sdg_*)
into measures linked to SDG indicators, observations by country and sex; re-imports, areas, failures."""

import csv
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from millennium.cli import main
from millennium.places.models import Area
from millennium.readers import InputError
from millennium.statistics.models import ImportBatch, Measure, MeasureLink, Observation, Source
from millennium.statistics.sdmx_import import import_sdmx
from tests.conftest import DATA

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "readers" / "data"
SS = FIXTURES / "unsd_sdg_structure_specific.xml"
GENERIC = FIXTURES / "unsd_sdg_generic.xml"
CSV = FIXTURES / "unsd_sdg.csv"
STRUCTURE = FIXTURES / "unsd_sdg_structure.xml"
UNSD = DATA / "unsd-sdg"


def unsd(series: str, file: str, area: str, sex: str | None = None) -> dict[int, float]:
    """Values straight from the UN extract's CSV."""
    column = series.lower()
    with (UNSD / file).open(encoding="utf-8", newline="") as f:
        return {int(r["year"]): float(r[column]) for r in csv.DictReader(f)
                if r["geo_area"] == area and (sex is None or r["sex"] == sex) and r[column] != ""}


def stored(code: str, area: str, sex: str) -> dict[int, float]:
    return dict(Observation.objects.filter(measure__code=code, area__code=area, sex=sex).values_list("year", "value"))


def snapshot() -> tuple:
    ids = list(Measure.objects.filter(code__startswith="SDMX:").values_list("id", flat=True))
    return (Observation.objects.count(), Measure.objects.count(), ImportBatch.objects.count(), Area.objects.count(),
            Source.objects.count(), MeasureLink.objects.count(),
            sorted(Observation.objects.filter(measure_id__in=ids).values_list("measure_id", "area_id", "year", "sex",
                                                                             "value", "batch_id")))


def test_import_sdmx_stores_the_un_series_by_country_and_sex():
    summary = import_sdmx(SS, structure=STRUCTURE)

    poverty = Measure.objects.get(code="SDMX:IAEG-SDGs:SI_POV_DAY1")
    assert (poverty.title_sv, poverty.unit, poverty.divided_by_sex, poverty.source.code) == (
        "Proportion of population below international poverty line (%)", "Percent", False, "unsd-sdg")
    assert poverty.source.credit == "Källa: FN:s statistikavdelning (UNSD), Global SDG Indicators Database"
    pov_file = "ddf--datapoints--si_pov_day1--by--geo_area--nature--units--year.csv"
    for m49, country in [("752", "SWE"), ("578", "NOR"), ("76", "BRA"), ("404", "KEN")]:
        expected = {y: v for y, v in unsd("SI_POV_DAY1", pov_file, m49).items() if 2010 <= y <= 2018}
        assert stored(poverty.code, country, "T") == expected
    infant = "ddf--datapoints--sh_dyn_imrt--by--age--geo_area--nature--sex--units--year.csv"
    for sex, ddf_sex in [("T", "bothsex"), ("K", "female"), ("M", "male")]:
        expected = {y: v for y, v in unsd("SH_DYN_IMRT", infant, "752", ddf_sex).items() if 2016 <= y <= 2019}
        assert stored("SDMX:IAEG-SDGs:SH_DYN_IMRT", "SWE", sex) == expected
    assert Measure.objects.get(code="SDMX:IAEG-SDGs:SH_DYN_IMRT").divided_by_sex is True
    # Seats held by women: every row is F, so the series is of women and stored as T.
    parliament = "ddf--datapoints--sg_gen_parl--by--geo_area--nature--sex--units--year.csv"
    assert stored("SDMX:IAEG-SDGs:SG_GEN_PARL", "SWE", "T") == {
        y: v for y, v in unsd("SG_GEN_PARL", parliament, "752", "female").items() if 2018 <= y <= 2020}
    world_rows = len(unsd("SI_POV_DAY1", pov_file, "1").keys() & set(range(2010, 2019)))
    assert summary.unknown_areas == ["1"]
    assert summary.left_out == {"area not in the store": world_rows}
    assert (summary.new, summary.rejected, summary.measures) == (60 - world_rows, world_rows, 3)


def test_import_sdmx_links_series_to_their_sdg_indicators():
    import_sdmx(CSV, structure=STRUCTURE)

    links = {(link.measure.code, link.goal.code, link.target.code if link.target else None,
              link.indicator.code, link.relation)
             for link in MeasureLink.objects.filter(measure__code__startswith="SDMX:").select_related(
                 "measure", "goal", "target", "indicator")}
    assert links == {
        ("SDMX:IAEG-SDGs:SI_POV_DAY1", "1", "1.1", "1.1.1", "direct"),
        ("SDMX:IAEG-SDGs:SH_DYN_IMRT", "3", "3.2", "3.2.1", "direct"),
        ("SDMX:IAEG-SDGs:SG_GEN_PARL", "5", "5.5", "5.5.1", "direct"),
    }


@pytest.mark.parametrize("again", [SS, GENERIC, CSV])
def test_import_sdmx_again_in_any_format_changes_nothing(again):
    import_sdmx(SS, structure=STRUCTURE)
    before = snapshot()

    summary = import_sdmx(again, structure=STRUCTURE)

    after = snapshot()
    assert (summary.new, summary.changed) == (0, 0)
    assert after[6] == before[6]
    assert after[0] == before[0]


def test_import_sdmx_without_structure_names_series_by_code():
    import_sdmx(GENERIC)

    measure = Measure.objects.get(code="SDMX:IAEG-SDGs:SI_POV_DAY1")
    assert (measure.title_sv, measure.unit) == ("SI_POV_DAY1", "PT")
    assert not MeasureLink.objects.filter(measure=measure).exists()


def test_import_sdmx_creates_a_missing_country():
    Area.objects.filter(code="NOR").update(code="NOR-old")  # rolled back with the test

    import_sdmx(SS, structure=STRUCTURE)

    norway = Area.objects.get(code="NOR")
    assert (norway.name, norway.level) == ("Norway", "country")
    assert stored("SDMX:IAEG-SDGs:SH_DYN_IMRT", "NOR", "K")[2019] == 1.8


def test_import_sdmx_area_map_wins(tmp_path):
    area_map = tmp_path / "areas.csv"
    area_map.write_text("code,area\n752,0\n", encoding="utf-8")

    summary = import_sdmx(SS, structure=STRUCTURE, area_map=area_map)

    assert stored("SDMX:IAEG-SDGs:SG_GEN_PARL", "0", "T")[2020] == 46.99  # Sweden as Kolada's Riket
    assert stored("SDMX:IAEG-SDGs:SG_GEN_PARL", "SWE", "T") == {}
    assert summary.unknown_areas == ["1"]


def test_import_sdmx_two_file_areas_onto_one_store_area_are_refused(tmp_path):
    area_map = tmp_path / "areas.csv"
    area_map.write_text("code,area\n1,NOR\n", encoding="utf-8")  # World, and Norway (578) by its M49 code
    before = snapshot()

    with pytest.raises(InputError) as caught:
        import_sdmx(SS, structure=STRUCTURE, area_map=area_map)

    assert caught.value.path == area_map
    assert caught.value.message == ("areas 1, 578 of the file become the same area NOR of the store; expected one "
                                    "file area per store area")
    assert snapshot() == before


def test_import_sdmx_area_map_to_an_unknown_area_is_refused(tmp_path):
    area_map = tmp_path / "areas.csv"
    area_map.write_text("code,area\n752,Sverige\n", encoding="utf-8")
    before = snapshot()

    with pytest.raises(InputError) as caught:
        import_sdmx(SS, structure=STRUCTURE, area_map=area_map)

    assert caught.value.message == "area code(s) Sverige of the area map are not areas in the store"
    assert snapshot() == before


def test_import_sdmx_corrupted_copy_changes_nothing(tmp_path):
    import_sdmx(CSV, structure=STRUCTURE)
    before = snapshot()
    lines = CSV.read_text(encoding="utf-8").splitlines()
    fields = lines[40].split(",")
    fields[17] = "4x"  # OBS_VALUE, the 18th column, of the file's 41st line
    lines[40] = ",".join(fields)
    corrupted = tmp_path / "unsd_sdg.csv"
    corrupted.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        import_sdmx(corrupted, structure=STRUCTURE)

    assert (caught.value.line, caught.value.column, caught.value.message) == (41, 18, "OBS_VALUE '4x' is not a number")
    assert snapshot() == before


def test_cli_import_sdmx(tmp_path, capsys):
    ok = main(["import", "sdmx", str(SS), "--structure", str(STRUCTURE)])
    out = capsys.readouterr().err
    broken = tmp_path / "broken.csv"
    shutil.copy(CSV, broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace("DATAFLOW", "FLOW", 1), encoding="utf-8")
    bad = main(["import", "sdmx", str(broken)])
    err = capsys.readouterr().err

    assert ok == 0
    assert out.startswith(f"Imported {SS}: 3 series; rows 55 new, 0 changed, 0 unchanged, 5 left out")
    assert bad == 1
    assert err.startswith(f"error: {broken}:1:1: expected SDMX-CSV")


def test_plan_sdmx_keeps_totals_global_figures_and_years(tmp_path):
    """The row rules on a hand-made file (values fictional, marked so): a varying breakdown keeps its total, a
    national figure beside the global one is left out, unknown sex, quarters and empty cells are left out."""
    from millennium.readers.sdmx_files import read_sdmx_file
    from millennium.statistics.sdmx_import import plan_sdmx

    path = tmp_path / "fictional.csv"
    path.write_text(
        "DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,COMMENT_OBS\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,_T,_T,2020,10,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,_T,Y15T24,2020,11,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,N,X_TEST,752,_T,_T,2021,12,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,_T,_T,2021,13,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,F,_T,2021,14,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,_U,_T,2021,15,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),Q,G,X_TEST,752,_T,_T,2021-Q1,16,PT,fictional\n"
        "IAEG-SDGs:DF_SDG_GLH(1.8),A,G,X_TEST,752,M,_T,2022,,PT,fictional\n", encoding="utf-8")

    plan = plan_sdmx(read_sdmx_file(path), source=path)

    assert plan.observations[["code", "area", "year", "sex", "value"]].values.tolist() == [
        ["SDMX:IAEG-SDGs:X_TEST", "752", 2020, "T", 10.0],
        ["SDMX:IAEG-SDGs:X_TEST", "752", 2021, "T", 13.0],
        ["SDMX:IAEG-SDGs:X_TEST", "752", 2021, "K", 14.0],
    ]
    assert plan.left_out == {"no value": 1, "period not a year": 1, "breakdown by AGE": 1,
                             "sex other than total, women, men": 1, "national figure beside the global one": 1}
    assert plan.measures["divided_by_sex"].tolist() == [True]


class _SdmxApi(BaseHTTPRequestHandler):
    """An SDMX REST API on 127.0.0.1: the fixture as the answer to a data request, or HTTP 500."""

    failing = False

    def do_GET(self):
        if self.failing or not self.path.startswith("/ws/rest/data/"):
            self.send_error(500 if self.failing else 404)
            return
        body = SS.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.sdmx.structurespecificdata+xml; version=2.1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def sdmx_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SdmxApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    _SdmxApi.failing = False
    server.shutdown()
    server.server_close()


def test_cli_import_sdmx_from_an_sdmx_api_url(sdmx_api, capsys):
    url = (f"http://127.0.0.1:{sdmx_api.server_port}/ws/rest/data/IAEG-SDGs,DF_SDG_GLH,1.8/"
           "A..SI_POV_DAY1+SH_DYN_IMRT+SG_GEN_PARL........./ALL/?detail=full")

    assert main(["import", "sdmx", url, "--structure", str(STRUCTURE)]) == 0

    assert "rows 55 new, 0 changed" in capsys.readouterr().err
    assert ImportBatch.objects.latest("id").location == url  # the request, not a temporary file
    pov_file = "ddf--datapoints--si_pov_day1--by--geo_area--nature--units--year.csv"
    expected = {y: v for y, v in unsd("SI_POV_DAY1", pov_file, "752").items() if 2010 <= y <= 2018}
    assert stored("SDMX:IAEG-SDGs:SI_POV_DAY1", "SWE", "T") == expected


def test_cli_import_sdmx_from_a_failing_url_changes_nothing(sdmx_api, capsys):
    _SdmxApi.failing = True
    before = snapshot()

    assert main(["import", "sdmx", f"http://127.0.0.1:{sdmx_api.server_port}/ws/rest/data/x/ALL/",
                 "--retries", "1", "--timeout", "5"]) == 1

    assert "HTTP 500" in capsys.readouterr().err
    assert snapshot() == before
