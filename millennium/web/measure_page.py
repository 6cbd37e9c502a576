"""A key figure in one municipality: chart and table, its assessment explained, source, downloads, gender gap
and who among the similar municipalities improved most.

About ten small queries, none per row: the page must answer well within 150 ms with the whole extract.
"""

from datetime import date

import numpy as np
import pandas as pd
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from millennium.practices.related import for_measure as practices_for_measure
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.gender_gaps import GenderGap, YearGap, compute_gender_gaps
from millennium.statistics.models import Assessment, ImportBatch, Measure, MeasureLink, Observation, Target

from .assessment_explained import direction_text, explain
from .gap_pages import municipality_or_404, trend_status
from .gender import GAP_STATUSES, REASONS
from .improvers import improvers
from .measure_chart import measure_chart, series_labels
from .sparkline import sparkline
from .templatetags.bilingual import localized
from .statuses import status_display

# How closely a key figure measures the goal it is linked to (MeasureLink.relation).
RELATIONS = {"direct": gettext_lazy("direkt"), "proxy": gettext_lazy("närmevärde"),
             "context": gettext_lazy("sammanhang")}


def measure_or_404(code: str) -> Measure:
    return get_object_or_404(Measure.objects.select_related("source"), code=code)


def municipality_measure(request, code, measure):
    area = municipality_or_404(code)
    measure = measure_or_404(measure)
    rows = list(Observation.objects.filter(area=area, measure=measure).order_by("year", "sex")
                .values_list("year", "sex", "value", "batch_id"))
    series: dict[str, list[tuple[int, float]]] = {"T": [], "K": [], "M": []}
    for year, sex, value, _batch in rows:
        series[sex].append((year, value))
    split = bool(series["K"] or series["M"])
    by_year: dict[int, dict] = {}
    for year, sex, value, _batch in rows:
        by_year.setdefault(year, {"year": year})[sex] = value

    assessments = {a.sex: a for a in Assessment.objects.filter(area=area, measure=measure, method=DEFAULT_METHOD)}
    total = assessments.get("T")
    target = measure_target(area, measure)
    labels = series_labels()
    links = list(MeasureLink.objects.filter(measure=measure).select_related("goal__framework", "target", "indicator")
                 .order_by("goal__framework__code", "goal__number"))
    context = {
        "area": area, "measure": measure, "split": split, "table": list(by_year.values()),
        "latest": {s: points[-1] for s, points in series.items() if points},
        "links": [{"link": link, "relation": RELATIONS.get(link.relation, link.relation)} for link in links],
        "direction": direction_text(measure.direction),
        "assessment": explain(total, target, measure),
        "by_sex": [{"label": labels[s], "status": status_display(assessments[s].status)}
                   for s in ("K", "M") if s in assessments],
        "batch": _batch_of_latest(rows),
        "published": _date(measure.publication_date),
        "gap": _gender_gap(measure, rows, area) if split else None,
    }
    if rows:
        context["chart"], context["base_year"], context["path"] = measure_chart_spec(area, measure, series, total,
                                                                                     target)
        context["has_path"] = context["path"] is not None
        changes, names = improvers(area, measure)
        context["improvers"] = changes
        context["peer_rows"] = [{"change": row, "name": names.get(row.code, row.code)} for row in changes.rows]
    # Good practices on this key figure; in the table of who improved most, each similar municipality's; and
    # those of the ones that improved more, recommended (practices/related.py).
    practices = practices_for_measure(area, measure, context.get("improvers"),
                                      {link.goal_id: link.goal for link in links})
    context["practices"] = practices
    for row in context.get("peer_rows", []):
        row["practices"] = practices["peer_links"].get(row["change"].code)
    return render(request, "web/measure.html", context)


def measure_target(area, measure) -> Target | None:
    """The municipality's own target for the key figure, else the one for all areas."""
    targets = sorted(Target.objects.filter(measure=measure).filter(Q(area=area) | Q(area__isnull=True)),
                     key=lambda t: t.area_id is None)
    return targets[0] if targets else None


def _path(assessment, target) -> list[tuple[int, float]]:
    """The values a series would have on its way from the base-year value to the target value, year by year.

    Geometric: the same percentage change every year, which is what Open SDG's required rate (CAGR) means.
    A straight line where the values differ in sign or one is zero, since no constant rate leads there.
    """
    start, end = assessment.base_year, target.target_year
    y0, y1 = assessment.base_value, assessment.target_value
    years = np.arange(start, end + 1)
    share = (years - start) / (end - start)
    if y0 * y1 > 0:
        values = y0 * (y1 / y0) ** share
    else:
        values = y0 + (y1 - y0) * share
    return [(int(y), round(float(v), 6)) for y, v in zip(years, values)]


def measure_chart_spec(area, measure, series, total, target) -> tuple[dict, int | None, list | None]:
    """The chart's spec, the base year it marks (if any) and the path to a target value it shows (if any)."""
    base_year = total.base_year if total and total.base_year is not None else (
        target.base_year if target else None)
    path, goal = None, None
    if (total and target and total.target_value is not None and total.base_value is not None
            and total.base_year is not None and target.target_year > total.base_year):
        path = _path(total, target)
        goal = (target.target_year, total.target_value)
    points = series["T"] or series["K"]
    description = _("%(title)s i %(area)s, %(start)s–%(end)s: från %(first)s till %(last)s. Samma värden finns i "
                    "tabellen.") % {"title": localized(measure, "title"), "area": area.name, "start": points[0][0],
                                   "end": points[-1][0], "first": number_format(points[0][1]),
                                   "last": number_format(points[-1][1])}
    return measure_chart(series, description=description, unit=measure.unit, base_year=base_year, path=path,
                         target=goal), base_year, path


def _batch_of_latest(rows) -> ImportBatch | None:
    """The import that brought the latest year's values (the newest of them, if they came in several)."""
    if not rows:
        return None
    latest = max(year for year, *_rest in rows)
    batch_id = max(batch for year, _sex, _value, batch in rows if year == latest)
    return ImportBatch.objects.select_related("source").filter(id=batch_id).first()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _gender_gap(measure, rows, area) -> dict | None:
    """Women against men in this key figure: parity index and difference per year, and whether the gap closes
    (`statistics.gender_gaps`, the same rules as the gender page)."""
    frame = pd.DataFrame([(measure.id, y, s, v) for y, s, v, _b in rows if s in ("K", "M")],
                         columns=["measure_id", "year", "sex", "value"])
    years, trend = compute_gender_gaps(frame)
    if years.empty:
        return None
    t = trend.iloc[0]
    gap = GenderGap(
        measure=measure,
        years=[YearGap(int(r.year), float(r.women), float(r.men), _number(r.gpi), float(r.difference),
                       _number(r.adjusted_gpi), bool(r.in_parity)) for r in years.itertuples()],
        status=t["status"], reason=t["reason"],
        base_year=None if pd.isna(t["base_year"]) else int(t["base_year"]),
        base_gap=_number(t["base_value"]), current_gap=_number(t["current_value"]), score=_number(t["score"]),
        trend=t.to_dict())
    points = [(y.year, y.gpi) for y in gap.years if y.gpi is not None]
    chart = ""
    if points:
        chart = sparkline(points, _("Könskvot för %(title)s i %(area)s: %(start)s–%(end)s, från %(first)s till "
                                    "%(last)s") % {"title": localized(measure, "title"), "area": area.name,
                                                   "start": points[0][0], "end": points[-1][0],
                                                   "first": number_format(points[0][1], 2),
                                                   "last": number_format(points[-1][1], 2)})
    return {"gap": gap, "status": trend_status(gap, GAP_STATUSES, REASONS), "chart": chart}


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
