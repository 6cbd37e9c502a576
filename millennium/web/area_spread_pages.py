"""What the spread pages share: a region across its municipalities (`regions`) and a municipality across its
districts (`districts`). Both show, per key figure, the spread across the parts and whether it shrinks
(`statistics.area_gaps`); they differ in their words and links, which the callers pass in.

The templates share their tables too: web/spread_overview_table.html, spread_trend.html,
spread_years_table.html and spread_parts_table.html.
"""

from collections.abc import Callable

from django.utils.formats import number_format

from millennium.statistics.area_gaps import AreaSpread, OverviewRow

from .gap_pages import status_summary, trend_status
from .templatetags.bilingual import localized
from .sparkline import sparkline


def overview_context(rows: list[OverviewRow], statuses: dict, reasons: dict,
                     url: Callable[[OverviewRow], str]) -> dict:
    """The overview table's rows (each with its trend status and the link to its key-figure page) and the
    count of key figures per status."""
    figures = [{"row": row, "status": trend_status(row, statuses, reasons), "url": url(row)} for row in rows]
    return {"rows": figures, "summary": status_summary(figures, statuses)}


def measure_context(spread: AreaSpread, statuses: dict, reasons: dict, chart_label: str, *,
                    label_values: dict | None = None, part_url: Callable | None = None) -> dict:
    """One key figure's spread page: the trend status, the COV sparkline (the years table is its accessible
    copy), and the parts' latest values with their links (`part_url(area)`, or none).

    `chart_label` is a %-format with measure, first, last, start and end (years and COV at either end) and
    the keys of `label_values`.
    """
    points = [(y.year, y.cov) for y in spread.years if y.cov is not None]
    chart = ""
    if points:
        chart = sparkline(points, chart_label % {
            **(label_values or {}), "measure": localized(spread.measure, "title"), "first": points[0][0],
            "last": points[-1][0],
            # Rounded first: number_format cuts decimals off (33.87 would read 33,8).
            "start": number_format(round(points[0][1], 1), 1), "end": number_format(round(points[-1][1], 1), 1)})
    parts = [{"area": c.area, "value": c.value, "of_mean": c.of_mean, "url": part_url(c.area) if part_url else ""}
             for c in spread.latest]
    return {"spread": spread, "measure": spread.measure, "chart": chart, "parts": parts,
            "status": trend_status(spread, statuses, reasons), "latest": spread.latest_year,
            "any_unweighted": any(not y.weighted for y in spread.years)}
