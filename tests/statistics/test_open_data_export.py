"""The bulk open-data export: every table as Parquet or CSV with a frictionless data package; row counts equal
to the store, values equal to the Kolada files, a package that validates."""

import csv
import json

import frictionless
import pyarrow.parquet as pq
import pytest

from millennium.cli import main
from millennium.places.models import Area
from millennium.statistics.models import Assessment, ImportBatch, Measure, Observation, Source
from millennium.statistics.open_data_export import export_open_data
from tests.web.kolada_values import kolada

pytestmark = pytest.mark.django_db


def test_parquet_export_of_everything_has_the_stores_rows_and_kolada_values(tmp_path):
    counts = export_open_data(tmp_path, "parquet", chunk_rows=500_000)
    expected = {"observations": Observation.objects.count(), "assessments": Assessment.objects.count(),
                "measures": Measure.objects.count(), "areas": Area.objects.count(),
                "sources": Source.objects.count(), "import_batches": ImportBatch.objects.count()}
    assert counts == expected and expected["observations"] > 3_000_000
    for name, rows in expected.items():
        assert pq.ParquetFile(tmp_path / f"{name}.parquet").metadata.num_rows == rows
    # Several row groups: written in chunks, not all at once.
    assert pq.ParquetFile(tmp_path / "observations.parquet").metadata.num_row_groups >= 6
    table = pq.read_table(tmp_path / "observations.parquet", filters=[("measure", "=", "N00945")]).to_pandas()
    got = {(r.area, r.year, r.sex): r.value for r in table.itertuples()}
    assert got == pytest.approx(kolada("N00945"))
    assert set(table["source"]) == {"kolada"}
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert [r["path"] for r in package["resources"]] == [f"{n}.parquet" for n in
                                                         ("sources", "import_batches", "areas", "measures",
                                                          "observations", "assessments")]


def test_csv_package_validates_with_frictionless_and_credits_its_sources(tmp_path):
    assert main(["export", "--all", "--format", "csv", "-o", str(tmp_path), "--measure", "n00945,N00090",
                 "--quiet"]) == 0
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:5]
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["created"] and package["profile"] == "tabular-data-package"
    kolada_terms = [licence for licence in package["licenses"] if "Kolada" in licence["title"]]
    assert kolada_terms and "Källa: Kolada (RKA)" in kolada_terms[0]["title"]
    assert "AGPL" in package["description"] and "Kolada" in [s["title"] for s in package["sources"]]
    observations = package["resources"][4]
    assert observations["schema"]["primaryKey"] == ["measure", "area", "year", "sex"]
    with (tmp_path / "observations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    stored = Observation.objects.filter(measure__code__in=["N00945", "N00090"])
    assert len(rows) == stored.count()
    malmo = {(r["area"], int(r["year"]), r["sex"]): float(r["value"]) for r in rows
             if r["measure"] == "N00090" and r["area"] == "1280"}
    assert malmo == pytest.approx({k: v for k, v in kolada("N00090").items() if k[0] == "1280"})
    assert {r["measure"] for r in rows} == {"N00945", "N00090"}


def test_export_errors_and_usage(tmp_path, capsys):
    assert main(["export", "--all", "--format", "csv", "-o", str(tmp_path), "--measure", "X99999", "--quiet"]) == 1
    assert "unknown key figure 'X99999'" in capsys.readouterr().err
    for argv in (["export", "--all", "--format", "json", "-o", str(tmp_path)], ["export", "--all"],
                 ["export", "--measure", "N00945", "--format", "parquet"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
