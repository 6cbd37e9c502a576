"""Our Kolada → goals mapping file: every Agenda 2030 KPI, valid codes, a direction and a sound limit."""

import csv

from millennium.frameworks.loading import DATA as FRAMEWORKS
from millennium.statistics.goal_mapping import read_goal_mapping
from tests.conftest import KOLADA


def test_mapping_covers_every_agenda_2030_kpi_once():
    with (KOLADA / "agenda2030_kpis.csv").open(encoding="utf-8", newline="") as f:
        kpis = [r["concept"].upper() for r in csv.DictReader(f)]
    mapped = [r["kpi"] for r in read_goal_mapping()]

    assert len(kpis) == 84
    assert sorted(mapped) == sorted(kpis)


def test_mapping_rows_are_valid():
    with (FRAMEWORKS / "sdg/targets.csv").open(encoding="utf-8", newline="") as f:
        targets = {r["code"] for r in csv.DictReader(f)}

    for row in read_goal_mapping():
        assert row["sdg_target"] in targets, row["kpi"]
        assert row["mdg_goal"] in {"", *map(str, range(1, 9))}, row["kpi"]
        assert row["direction"] in {"up", "down"}, row["kpi"]
        # A share's natural limit is where it is headed: 100 % when more is better, 0 % when less is.
        assert row["limit"] in {"", {"up": "100", "down": "0"}[row["direction"]]}, row["kpi"]
        assert row["note"].strip(), row["kpi"]
