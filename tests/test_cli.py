"""The `millennium` command: outputs, errors and exit codes (0 ok, 1 bad input, 2 usage)."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from millennium.cli import main
from millennium.statistics.models import Observation

pytestmark = pytest.mark.django_db


def test_frameworks_show_sdg_targets_as_json(capsys):
    code = main(["frameworks", "show", "sdg", "--level", "target", "--format", "json"])

    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(rows) == 169
    assert rows[0] == {"code": "1.1", "title_en": rows[0]["title_en"], "title_sv": rows[0]["title_sv"],
                       "parent": "1"}
    assert rows[0]["title_en"].startswith("By 2030, eradicate extreme poverty")


def test_frameworks_show_mdg_indicators_as_csv(capsys):
    code = main(["frameworks", "show", "mdg", "--level", "indicator", "--format", "csv"])

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    assert [r["code"] for r in rows][:3] == ["1.1", "1.2", "1.3"]
    assert len(rows) == 60
    assert next(r for r in rows if r["code"] == "7.1")["parent"] == "7.A;7.B"


def test_export_one_measure_for_malmo(capsys):
    code = main(["export", "--measure", "N00945", "--area", "1280", "--format", "csv"])

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    stored = Observation.objects.filter(measure__code="N00945", area__code="1280")
    assert code == 0
    assert list(rows[0]) == ["measure", "area", "year", "sex", "value"]
    assert len(rows) == stored.count() > 0
    assert {(r["area"], int(r["year"]), r["sex"], float(r["value"])) for r in rows} == {
        ("1280", o.year, o.sex, o.value) for o in stored}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "--measure", "X99999"], "unknown key figure 'X99999'"),
        (["export", "--measure", "N00945", "--area", "9999"], "unknown area '9999'"),
    ],
)
def test_bad_input_exits_1_with_message(capsys, argv, message):
    assert main(argv) == 1
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["frameworks", "show", "xdg"], ["export"], ["import", "kolada-ddf"]])
def test_wrong_usage_exits_2(argv):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_import_of_corrupted_folder_exits_1_with_file_and_line(capsys, kolada_subset):
    folder = kolada_subset("n00945")
    path = folder / "datapoints--by--geo--year/ddf--datapoints--n00945--by--geo--year.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = "1280,2015,tolv\n"
    path.write_text("".join(lines), encoding="utf-8")
    before = Observation.objects.count()

    code = main(["import", "kolada-ddf", str(folder), "--quiet"])

    assert code == 1
    assert f"error: {path}:3:n00945: 'tolv' is not a number" in capsys.readouterr().err
    assert Observation.objects.count() == before


def test_import_reports_summary(capsys, kolada_subset):
    code = main(["import", "kolada-ddf", str(kolada_subset("n00945")), "--quiet"])

    n = Observation.objects.filter(measure__code="N00945").count()
    assert code == 0
    assert f"rows 0 new, 0 changed, {n} unchanged, 0 rejected" in capsys.readouterr().err


def test_commands_refuse_an_uninitialised_database(tmp_path):
    env = {**os.environ, "MILLENNIUM_HOME": str(tmp_path), "DATABASE_URL": ""}

    done = subprocess.run([sys.executable, "-m", "millennium.cli", "export", "--measure", "N00945"],
                          env=env, capture_output=True, text=True)

    assert done.returncode == 1
    assert done.stderr == (f"error: the database {tmp_path / 'millennium.sqlite3'} is not initialised; "
                           "run `millennium init` first\n")


def test_import_open_sdg_from_the_command_line(capsys):
    from tests.conftest import DATA

    code = main(["import", "open-sdg", str(DATA / "open-sdg-canada"), "--country", "CAN"])

    assert code == 0
    assert "rows 1471 new, 0 changed, 0 unchanged" in capsys.readouterr().err
    assert main(["import", "open-sdg", str(DATA / "open-sdg-canada"), "--country", "canada"]) == 1
    assert "error:" in capsys.readouterr().err


def test_peers_lists_seven_municipalities_with_reasons(capsys):
    code = main(["peers", "1280", "--format", "json"])

    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(rows) == 7
    assert "1280" not in {r["code"] for r in rows}
    assert all(r["similar_on"] and r["differs_on"] for r in rows)
    assert [r["distance"] for r in rows] == sorted(r["distance"] for r in rows)
    assert main(["peers", "9999"]) == 1


def test_import_areas_csv_example_and_a_bad_file(capsys, tmp_path):

    example = "millennium/statistics/data/omradesdata-exempel-FIKTIVA-VARDEN.csv"
    assert main(["import", "areas-csv", example]) == 0
    assert "rows 728 new, 0 changed, 0 unchanged" in capsys.readouterr().err

    bad = tmp_path / "fel.csv"
    bad.write_text("kommun;omradeskod;omradesnamn;nivå;nyckeltal;år;kön;värde\n"
                   "1280;1280R001;Test;regso;N00945;2020;T;tolv\n", encoding="utf-8")
    assert main(["import", "areas-csv", str(bad)]) == 1
    assert f"error: {bad}:2:" in capsys.readouterr().err
