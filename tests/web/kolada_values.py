"""Values read straight from the Kolada CSV files, to check the pages against the source, not the store."""

import csv
from functools import cache

from tests.conftest import KOLADA


@cache
def kolada(kpi: str) -> dict[tuple[str, int, str], float]:
    """{(geo, year, sex): value} of one key figure; sex T (both together), K (women) or M (men)."""
    values = {}
    total = KOLADA / "datapoints--by--geo--year" / f"ddf--datapoints--{kpi.lower()}--by--geo--year.csv"
    split = KOLADA / "datapoints--by--geo--gender--year" / f"ddf--datapoints--{kpi.lower()}--by--geo--gender--year.csv"
    if total.exists():
        with total.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row[kpi.lower()] != "":
                    values[row["geo"], int(row["year"]), "T"] = float(row[kpi.lower()])
    if split.exists():
        with split.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row[kpi.lower()] != "":
                    values[row["geo"], int(row["year"]), row["gender"].upper()] = float(row[kpi.lower()])
    return values


def series(kpi: str, geo: str, sex: str = "T") -> dict[int, float]:
    return {year: value for (g, year, s), value in kolada(kpi).items() if g == geo and s == sex}


def swedish(value: float) -> str:
    """A value as the Swedish pages should show it, written out here rather than by the site's own filter:
    at most two decimals without trailing zeros, a decimal comma, thousands grouped with a no-break space."""
    text = f"{round(value, 2):,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")
