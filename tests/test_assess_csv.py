"""`millennium assess csv`: assessments from two CSV files, without a database."""

import csv

import pytest

from millennium.cli import main


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path):
    values = write(tmp_path / "values.csv", "series_id,year,value\n"
                   "fall,2015,20\nfall,2022,17\n"
                   "rise,2015-16,50\nrise,2016,55\nrise,2020,60\n"
                   "alone,2020,3\n")
    config = write(tmp_path / "config.csv", "series_id,base_year,target_year,direction,target,limit\n"
                   "fall,2015,2030,negative,10,\n"
                   "rise,2015,2030,positive,,100\n"
                   "alone,2015,2030,negative,,\n")
    return values, config, tmp_path / "out.csv"


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return {r["series_id"]: r for r in csv.DictReader(f)}


@pytest.mark.parametrize(("method", "progress", "status"), [
    ("opensdg", None, "limited_progress"),
    ("unsd2022", 0.508, "fair_progress"),
    ("unsd2023", 0.588, "moderate_progress"),
])
def test_worked_example_by_method(files, method, progress, status):
    values, config, out = files

    assert main(["assess", "csv", "--values", str(values), "--config", str(config), "--method", method,
                 "--output", str(out)]) == 0

    row = read(out)["fall"]
    assert list(read(out)) == ["fall", "rise", "alone"]
    assert row["status"] == status
    assert (float(row["base_year"]), float(row["base_value"]), float(row["current_year"]),
            float(row["current_value"])) == (2015, 20, 2022, 17)
    if progress is not None:
        assert float(row["progress_value"]) == pytest.approx(progress, abs=5e-4)
    else:
        assert float(row["score"]) == pytest.approx(-0.382, abs=5e-4)


def test_year_labels_are_cut_to_four_characters_and_single_points_not_assessed(files):
    values, config, out = files

    main(["assess", "csv", "--values", str(values), "--config", str(config), "--output", str(out)])

    rows = read(out)
    assert float(rows["rise"]["base_year"]) == 2015
    assert rows["alone"]["status"] == "not_available"
    assert rows["alone"]["score"] == ""


@pytest.mark.parametrize(("which", "text", "message"), [
    ("values", "series_id,year,value\nfall,2015,20\nfall,2022,x\n", "values.csv:3:value: 'x' is not a number"),
    ("values", "series_id,year,value\nfall,2015,20\nnope,2022,1\n", "values.csv:3:series_id: series 'nope' is not "
                                                                    "in config.csv"),
    ("values", "series_id,value\nfall,20\n", "values.csv:1: missing column(s) year"),
    ("values", "series_id,year,value\nfall,20x5,20\n", "values.csv:2:year: year '20x5'"),
    ("config", "series_id,base_year,target_year,direction,target,limit\nfall,2015,2030,down,10,\n",
     "config.csv:2:direction: direction 'down'; expected positive or negative"),
    ("config", "series_id,base_year,target_year,direction,target,limit\nfall,2015,2030,negative,10,\n"
               "fall,2015,2030,negative,10,\n", "config.csv:3:series_id: series 'fall' is configured twice"),
])
def test_bad_input_exits_1_with_file_line_and_column(files, capsys, which, text, message):
    values, config, out = files
    write(values if which == "values" else config, text)

    code = main(["assess", "csv", "--values", str(values), "--config", str(config), "--output", str(out)])

    assert code == 1
    assert message in capsys.readouterr().err
    assert not out.exists()
