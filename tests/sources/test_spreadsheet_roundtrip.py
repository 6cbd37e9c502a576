"""The spreadsheet template round-trips: export a municipality's figures, import them back, nothing changes;
a corrupted copy is refused with the exact row and column, and nothing is written."""

import csv
import io

import pytest
from openpyxl import load_workbook

from millennium.cli import main
from millennium.places.models import Area
from millennium.readers.cells import InputErrors
from millennium.statistics.models import ImportBatch, Observation, ObservationChange
from millennium.statistics.spreadsheet_export import municipality_rows, write
from millennium.statistics.spreadsheet_import import import_spreadsheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def malmo():
    return Area.objects.get(code="1280")


def store_state():
    return (Observation.objects.count(), ImportBatch.objects.count(), ObservationChange.objects.count(),
            sorted(Observation.objects.filter(area__code="1280", measure__code="N00945")
                   .values_list("year", "sex", "value", "batch_id")))


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(tmp_path, malmo, suffix):
    path = tmp_path / f"malmo.{suffix}"
    rows = municipality_rows(malmo)
    write(rows, path)
    before = store_state()

    summary = import_spreadsheet(path, malmo)

    assert len(rows) == Observation.objects.filter(area=malmo).count() > 10_000
    assert (summary.new, summary.changed, summary.unchanged, summary.rejected) == (0, 0, len(rows), 0)
    batch = ImportBatch.objects.get(id=summary.batch_id)
    assert (batch.rows_new, batch.rows_changed, batch.source.code) == (0, 0, "egen-data")
    observations, batches, changes, values = store_state()
    assert (observations, changes, values) == (before[0], before[2], before[3])
    assert batches == before[1] + 1


def test_cli_export_of_some_measures_then_import_changes_nothing(tmp_path, capsys):
    path = tmp_path / "malmo.xlsx"

    assert main(["spreadsheet", "export", "--municipality", "1280", "--measure", "n00945,N01951",
                 "-o", str(path)]) == 0
    assert main(["import", "spreadsheet", str(path)]) == 0

    sheet = load_workbook(path)["Data"]
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"N00945", "N01951"}
    assert "Instruktioner" in load_workbook(path).sheetnames
    assert "rows 0 new, 0 changed" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_corrupted_copy_refused_with_row_and_column_and_nothing_written(tmp_path, malmo, suffix):
    rows = municipality_rows(malmo, ["N00945"])
    rows.loc[0, "värde"] = rows.loc[0, "värde"] + 1  # a real change: would be written if the file were valid
    rows["värde"] = rows["värde"].astype(object)
    rows.loc[4, "värde"] = "tolv"  # file row 6: header on row 1, rows from 2
    rows.loc[7, "kön"] = "X"  # file row 9
    path = tmp_path / f"corrupt.{suffix}"
    write(rows, path)
    before = store_state()

    with pytest.raises(InputErrors) as e:
        import_spreadsheet(path, malmo)

    assert [(p.line, p.column, p.value) for p in e.value.problems] == [(6, "värde", "tolv"), (9, "kön", "X")]
    if suffix == "xlsx":
        assert [p.cell for p in e.value.problems] == ["G6", "F9"]
    assert store_state() == before


def test_cli_corrupted_copy_exit_1_names_row_and_column(tmp_path, capsys):
    path = tmp_path / "malmo.csv"
    assert main(["spreadsheet", "export", "--municipality", "1280", "--measure", "N00945", "-o", str(path)]) == 0
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = next(csv.reader(io.StringIO(lines[2])))
    cells[2] = "1281"  # Lund's code in Malmö's file
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[2] = out.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store_state()
    capsys.readouterr()

    assert main(["import", "spreadsheet", str(path), "--municipality", "1280"]) == 1

    assert capsys.readouterr().err.strip() == (
        f"error: {path}:3:område: '1281' is not an area of municipality 1280; expected 1280 or one of its "
        "districts (RegSO, DeSO or own), e.g. 1280R001")
    assert store_state() == before


def test_changed_value_in_export_is_imported_and_recorded(tmp_path, malmo):
    rows = municipality_rows(malmo, ["N00945"])
    rows.loc[0, "värde"] = 99.25
    path = tmp_path / "malmo.csv"
    write(rows, path)
    observation = Observation.objects.get(measure__code="N00945", area=malmo, year=rows.loc[0, "år"],
                                          sex=rows.loc[0, "kön"])

    summary = import_spreadsheet(path, malmo)

    assert (summary.new, summary.changed) == (0, 1)
    change = ObservationChange.objects.get(batch_id=summary.batch_id)
    assert (change.observation_id, change.old_value, change.new_value) == (observation.id, observation.value, 99.25)
    assert change.previous_batch_id == observation.batch_id
