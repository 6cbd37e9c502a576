"""Reporting status: per SDG goal, the UN indicators followed with key figures that have data, counted here again
from the frameworks' files, our Kolada mapping and the Kolada CSV files."""

import csv
import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from millennium.frameworks.loading import DATA as FRAMEWORKS
from millennium.statistics.goal_mapping import read_goal_mapping
from tests.web.kolada_values import kolada

pytestmark = pytest.mark.django_db


def expected(has_data) -> dict[str, dict]:
    """Per goal: indicators per state, targets with key figures, key figures with data (of those linked)."""
    from millennium.statistics.models import Measure

    with (FRAMEWORKS / "sdg" / "indicators.csv").open(encoding="utf-8") as f:
        indicators = list(csv.DictReader(f))
    with (FRAMEWORKS / "sdg" / "targets.csv").open(encoding="utf-8") as f:
        targets = list(csv.DictReader(f))
    in_store = set(Measure.objects.filter(source__code="kolada").values_list("code", flat=True))
    figures = defaultdict(set)
    for row in read_goal_mapping():
        if row["kpi"] in in_store:
            figures[row["sdg_target"]].add(row["kpi"])
    goals = {str(n): {"data": 0, "no_data": 0, "none": 0, "targets": 0, "n_targets": 0, "figures": set()}
             for n in range(1, 18)}
    for row in indicators:
        linked = figures[row["target"]]
        state = "data" if any(has_data(kpi) for kpi in linked) else "no_data" if linked else "none"
        goals[row["goal"]][state] += 1
    for row in targets:
        goals[row["goal"]]["n_targets"] += 1
        goals[row["goal"]]["targets"] += bool(figures[row["code"]])
        goals[row["goal"]]["figures"] |= figures[row["code"]]
    for goal in goals.values():
        goal["with_data"] = sum(1 for kpi in goal["figures"] if has_data(kpi))
    return goals


def percent(n: int, total: int) -> str:
    return str(Decimal(100 * n / total).quantize(Decimal(1), ROUND_HALF_UP))


def shown(html: str) -> dict[str, dict]:
    rows = {}
    for goal, row in re.findall(r'<tr data-goal="(\w+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-state="(\w+)">(\d+ <span class="muted">\(\d+ %\))</span>', row))
        columns = dict(re.findall(r'data-column="(\w+)">(\d+ av \d+)</td>', row))
        rows[goal] = {**cells, **columns}
    return rows


def check(html: str, goals: dict[str, dict]) -> None:
    rows = shown(html)
    for code, goal in goals.items():
        total = goal["data"] + goal["no_data"] + goal["none"]
        assert rows[code] == {
            **{state: f'{goal[state]} <span class="muted">({percent(goal[state], total)} %)'
               for state in ("data", "no_data", "none")},
            "targets": f'{goal["targets"]} av {goal["n_targets"]}',
            "figures": f'{goal["with_data"]} av {len(goal["figures"])}',
        }, code
    n = {state: sum(g[state] for g in goals.values()) for state in ("data", "no_data", "none")}
    assert rows["total"]["data"] == f'{n["data"]} <span class="muted">({percent(n["data"], sum(n.values()))} %)'


def municipal_data(kpi: str) -> bool:
    return any(len(geo) == 4 for geo, _, _ in kolada(kpi))


def test_reporting_counts_indicators_per_goal_as_the_files_give_them(client):
    response = client.get("/rapportering/")

    html = response.content.decode()
    assert response.status_code == 200
    goals = expected(municipal_data)
    check(html, goals)
    assert sum(g["data"] for g in goals.values()) > 0
    assert sum(g["data"] + g["no_data"] + g["none"] for g in goals.values()) == 252


def test_reporting_chart_has_the_same_numbers_as_the_table(client):
    html = client.get("/rapportering/").content.decode()

    spec = json.loads(re.search(r'<script id="reporting-spec" type="application/json">(.*?)</script>', html, re.S)[1])
    rows = shown(html)
    states = ["data", "no_data", "none"]
    for value in spec["data"]["values"]:
        code = value["goal"].split()[0]
        assert rows[code][states[value["rank"]]].startswith(f'{value["n"]} <span')
    assert len(spec["data"]["values"]) == 17 * 3
    assert '<figure data-chart="reporting-spec">' in html


def test_reporting_for_one_municipality_counts_its_own_data(client):
    response = client.get("/kommun/1280/rapportering/")

    html = response.content.decode()
    assert response.status_code == 200
    check(html, expected(lambda kpi: any(geo == "1280" for geo, _, _ in kolada(kpi))))
    assert '<a href="/kommun/1280/mal/11/">11 Hållbara städer och samhällen</a>' in html


def test_reporting_in_english(client):
    response = client.get("/en/rapportering/")

    assert response.status_code == 200
    assert "Sustainable cities and communities" in response.content.decode()


def test_reporting_for_a_non_municipality_is_404(client):
    assert client.get("/kommun/12/rapportering/").status_code == 404
