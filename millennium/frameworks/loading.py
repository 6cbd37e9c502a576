"""Load the goal frameworks from the project's own data files (millennium/frameworks/data/).

Idempotent: a second load changes nothing. Codes are the official ones; English titles are the UN's;
Swedish titles are official where `sv_official` is 1, otherwise our own translation.
"""

import csv
from pathlib import Path

from django.db import transaction

from .models import Crosswalk, Framework, Goal, Indicator, Target

DATA = Path(__file__).resolve().parent / "data"

FRAMEWORKS = {
    "mdg": ("Millenniemålen", "Millennium Development Goals"),
    "sdg": ("Globala målen för hållbar utveckling", "Sustainable Development Goals"),
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _titles(row: dict[str, str]) -> dict:
    return {"title_en": row["title_en"], "title_sv": row["title_sv"], "sv_official": row["sv_official"] == "1"}


@transaction.atomic
def load_frameworks() -> dict[str, int]:
    """Create or update MDG and SDG with goals, targets, indicators and the crosswalk; return counts."""
    counts: dict[str, int] = {}
    indicators_by_fw: dict[str, dict[str, Indicator]] = {}
    for code, (name_sv, name_en) in FRAMEWORKS.items():
        framework, _ = Framework.objects.update_or_create(
            code=code, defaults={"kind": code, "name_sv": name_sv, "name_en": name_en}
        )
        folder = DATA / code
        goals = {}
        for row in read_rows(folder / "goals.csv"):
            goals[row["code"]], _ = Goal.objects.update_or_create(
                framework=framework,
                code=row["code"],
                defaults={"number": int(row["code"]), "short_en": row["short_en"],
                          "short_sv": row["short_sv"], **_titles(row)},
            )
        targets = {}
        for position, row in enumerate(read_rows(folder / "targets.csv")):
            targets[row["code"]], _ = Target.objects.update_or_create(
                goal=goals[row["goal"]], code=row["code"], defaults={"position": position, **_titles(row)}
            )
        indicators = {}
        for position, row in enumerate(read_rows(folder / "indicators.csv")):
            indicator, _ = Indicator.objects.update_or_create(
                goal=goals[row["goal"]], code=row["code"], defaults={"position": position, **_titles(row)}
            )
            # SDG files name one target per row, MDG files a ';'-joined list.
            codes = row.get("targets") or row["target"]
            indicator.targets.set([targets[t] for t in codes.split(";")])
            indicators[row["code"]] = indicator
        indicators_by_fw[code] = indicators
        counts[code] = len(goals), len(targets), len(indicators)

    mdg, sdg = indicators_by_fw["mdg"], indicators_by_fw["sdg"]
    kept = []
    for row in read_rows(DATA / "crosswalk_mdg_sdg.csv"):
        link, _ = Crosswalk.objects.update_or_create(
            mdg_indicator=mdg[row["mdg_indicator"]],
            sdg_indicator=sdg[row["sdg_indicator"]] if row["sdg_indicator"] else None,
            defaults={"relation": row["relation"], "note": row["note"]},
        )
        kept.append(link.pk)
    Crosswalk.objects.exclude(pk__in=kept).delete()
    counts["crosswalk"] = len(kept)
    return counts
