"""A municipality's report in the style of a Voluntary Local Review (VLR): what the site shows about it, in
one document, as HTML or as a tagged PDF.

Everything is gathered by the site's own modules, so the report and the pages cannot disagree: the goal grid,
dimensions and largest changes as the overview computes them (web/municipality.py's helpers), each goal's key
figures as the goal page (web/goal_page.py), the charts as a key figure's page specifies them
(web/measure_page.py, drawn to SVG by `charts`), gender gaps (statistics/gender_gaps.py), the spread across
districts (statistics/area_gaps.py, where the municipality has imported district figures), similar
municipalities (statistics/peers.py, web/improvers.py) and the municipality's published practices.

To keep it readable, each goal lists its key figures with their assessment and charts only the
`CHARTS_PER_GOAL` most telling ones (those with a target value first, then the largest annual change, better
or worse), over their last `CHART_YEARS` years.
"""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from millennium.places.models import Area
from millennium.practices.models import Practice
from millennium.statistics.area_gaps import district_levels, district_overview, sub_areas
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.gender_gaps import BASE_YEAR as GENDER_BASE_YEAR
from millennium.statistics.gender_gaps import TARGET_YEAR as GENDER_TARGET_YEAR
from millennium.statistics.gender_gaps import gender_gaps
from millennium.statistics.models import ImportBatch, Observation, Source
from millennium.statistics.peers import UnknownMunicipality, similar_municipalities
from millennium.web import dimensions
from millennium.web.about import METHOD_SHORT_NAMES, STATUS_EXPLANATIONS
from millennium.web.area_spread_pages import overview_context
from millennium.web.changes import annual_change
from millennium.web.comparison import comparison_rows, coverage
from millennium.web.districts import DISTRICT_REASONS, DISTRICT_STATUSES, LEVEL_NAMES
from millennium.web.gap_pages import municipality_or_404, status_summary, trend_status
from millennium.web.gender import GAP_STATUSES, REASONS as GENDER_REASONS
from millennium.web.goal_page import goal_figure
from millennium.web.improvers import improvers
from millennium.web.measure_page import measure_chart_spec, measure_target
from millennium.web.municipality import overview
from millennium.web.statuses import METHOD_NAMES, STATUS_LABELS, status_display

from . import charts
from .pdf import LocalFetcher, html_to_pdf

CHARTS_PER_GOAL = 2
CHART_YEARS = 12
TEMPLATE = "reports/municipality_report.html"
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "millennium" / "report.css"
#: The only folder the PDF renderer may read from.
STATIC_ROOT = Path(__file__).resolve().parents[1] / "static"

# The methods' sources, as the methods page (/metoder/) cites them.
CITATIONS = {
    "opensdg": "Statistics Canada / Open SDG (2025), “Progress Measurement Methodology for the Sustainable "
               "Development Goals”, Open SDG documentation; sdg-build 2.4.0.",
    "gaps": "World Health Organization (2024), Health Equity Assessment Toolkit (HEAT and HEAT Plus): technical "
            "notes, version 6.0, Geneva; UNESCO Institute for Statistics, “Gender parity index (GPI)”.",
    "dimensions": dimensions.SOURCE + ".",
}


def municipality(code: str) -> Area:
    """The municipality with code `code`; `UnknownMunicipality` (a LookupError) for anything else."""
    try:
        return municipality_or_404(code)
    except Http404:
        raise UnknownMunicipality(f"unknown municipality code {code!r}: expected one of the 290 four-digit "
                                  "municipality codes, e.g. 1280 for Malmö") from None


def report_context(area: Area, site_url: str) -> dict:
    """Everything the report shows, in the active language; links are absolute, under `site_url`."""
    site_url = site_url.rstrip("/")
    # The overview's figures and statuses, computed by the overview page's own function.
    o = overview(area)
    region, country, links, values, with_data, batches = (o.region, o.country, o.links, o.values, o.with_data,
                                                          o.batches)
    found, figures, goals, in_dimension, status = o.found, o.figures, o.goals, o.in_dimension, o.status
    improved, worsened = o.improved, o.worsened
    compared = {row["measure"].id: row for row in comparison_rows(figures, area, region, country, values)}

    # Each goal's key figures, as the goal page reads them (every year, both sexes and each).
    series: dict[int, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for measure_id, year, sex, value in (Observation.objects.filter(area=area, measure__in=[link.measure_id
                                                                                              for link in links])
                                         .order_by("year").values_list("measure_id", "year", "sex", "value")):
        series[measure_id][sex].append((year, value))
    language = translation.get_language() or settings.LANGUAGE_CODE
    goal_sections, charted = [], []
    for goal in goals:
        rows = []
        for link in (link for link in links if link.goal_id == goal.id):
            row = goal_figure(link, series.get(link.measure_id, {}), found.get(link.measure_id), area)
            row["compared"] = compared.get(link.measure_id)
            row["method"] = METHOD_SHORT_NAMES.get(row["assessment"].method, "") if row["assessment"] else ""
            row["url"] = site_url + reverse("municipality_measure", args=[area.code, link.measure.code])
            rows.append(row)
        chosen = _most_telling(rows)
        for row in chosen:
            row["figure"] = _chart(area, row, series[row["measure"].id], language)
        charted += chosen
        goal_sections.append({"goal": goal, "rollup": status[f"goal {goal.id}"], "figures": rows,
                              "charted": chosen,
                              "url": site_url + reverse("municipality_goal", args=[area.code, goal.code])})

    latest_batch = (ImportBatch.objects.filter(id__in=batches).select_related("source")
                    .order_by("-finished_at").first())
    return {
        "area": area, "region": region, "country": country, "site_url": site_url,
        "language": language, "today": timezone.localdate(), "latest_batch": latest_batch,
        "page_url": site_url + reverse("municipality_report", args=[area.code]),
        "pdf_url": site_url + reverse("municipality_report_pdf", args=[area.code]),
        "overview_url": site_url + reverse("municipality", args=[area.code]),
        "n_figures": len(figures), "n_charted": len(charted),
        "tiles": [{"goal": goal, **status[f"goal {goal.id}"]} for goal in goals],
        "dimensions": [{"key": key, **dimensions.DIMENSIONS[key], "goals": members, **status[f"dimension {key}"]}
                       for key, members in in_dimension.items()],
        "changes": [{"key": "improved", "title": _("Förbättrats mest"), "rows": improved},
                    {"key": "worsened", "title": _("Försämrats mest"), "rows": worsened}],
        "coverage": coverage(figures, area, values, with_data),
        "goals": goal_sections,
        "method": METHOD_NAMES[DEFAULT_METHOD], "method_short": METHOD_SHORT_NAMES[DEFAULT_METHOD],
        "gender": _gender(area, {link.measure_id for link in links}),
        "districts": _districts(area, site_url),
        "peers": _peers(area, charted),
        "practices": _practices(area, site_url),
        "sources": _sources(area),
        "statuses": [{**status_display(code), "explanation": STATUS_EXPLANATIONS[code]}
                     for code in STATUS_LABELS if code in ("target_achieved", "substantial_progress",
                                                           "moderate_progress", "limited_progress",
                                                           "deterioration", "not_available")],
        "methods_url": site_url + reverse("methods"),
        "citations": CITATIONS,
        "stylesheet": STYLESHEET.read_text(encoding="utf-8"),
    }


def _most_telling(rows: list[dict]) -> list[dict]:
    """The goal's key figures worth a chart: assessed, with a target value first, then by the size of their
    annual change since the base year (web/changes.py), better or worse."""
    def size(row) -> float:
        change = annual_change(row["assessment"], row["measure"].direction)
        return abs(change) if change is not None else -1.0

    assessed = [row for row in rows if row["assessment"] and row["assessment"].status != "not_available"
                and row["table"]]
    assessed.sort(key=lambda row: (row["assessment"].target_value is None, -size(row)))
    return assessed[:CHARTS_PER_GOAL]


def _chart(area: Area, row: dict, by_sex: dict, language: str) -> dict:
    """The key figure's chart as its own page draws it (base year, path to a target value), over the last
    `CHART_YEARS` years, as SVG; and the table with the same numbers (years across)."""
    last = max(year for points in by_sex.values() for year, _value in points)
    recent = {sex: [(y, v) for y, v in points if y > last - CHART_YEARS] for sex, points in by_sex.items()}
    recent = {"T": recent.get("T", []), "K": recent.get("K", []), "M": recent.get("M", [])}
    measure = row["measure"]
    spec, _base_year, path = measure_chart_spec(area, measure, recent, row["assessment"],
                                                measure_target(area, measure))
    years = sorted({year for points in recent.values() for year, _value in points})
    lookup = {sex: dict(points) for sex, points in recent.items()}
    sexes = [sex for sex in ("T", "K", "M") if recent[sex]]
    return {"image": charts.data_uri(charts.chart_svg(spec, language)), "alt": spec["description"],
            "years": years, "rows": [{"sex": sex, "values": [lookup[sex].get(y) for y in years]} for sex in sexes],
            "path": path is not None}


def _gender(area: Area, goal_measures: set[int]) -> dict:
    """Women and men: the count of key figures per trend of the gap (all key figures split by sex), and the
    goal-linked ones in a table."""
    gaps = gender_gaps(area.code)
    rows = [{"gap": gap, "measure": gap.measure, "latest": gap.latest,
             "status": trend_status(gap, GAP_STATUSES, GENDER_REASONS)} for gap in gaps]
    return {"n": len(rows), "summary": status_summary(rows, GAP_STATUSES),
            "n_parity": sum(row["latest"].in_parity for row in rows),
            "rows": [row for row in rows if row["measure"].id in goal_measures],
            "base_year": GENDER_BASE_YEAR, "target_year": GENDER_TARGET_YEAR}


def _districts(area: Area, site_url: str) -> list[dict]:
    """Per level of districts with the municipality's own figures: the spread of each key figure and its trend."""
    sections = []
    for level in district_levels(area.code):
        rows = district_overview(area.code, level)
        url = site_url + reverse("municipality_districts", args=[area.code])
        sections.append({"level": level, "name": LEVEL_NAMES[level], "n_areas": sub_areas(area, level).count(),
                         **overview_context(rows, DISTRICT_STATUSES, DISTRICT_REASONS, lambda row, url=url: url)})
    return sections


def _peers(area: Area, charted: list[dict]) -> dict:
    """The similar municipalities, and for each charted key figure who among them improved most."""
    peers = similar_municipalities(area.code)
    rows = []
    for figure in charted:
        changes, names = improvers(area, figure["measure"])
        own = next((row for row in changes.rows if row.code == area.code), None)
        ranked = [row for row in changes.rows if row.rank is not None]
        best = ranked[0] if ranked else None
        rows.append({"measure": figure["measure"], "changes": changes, "own": own, "n_ranked": len(ranked),
                     "best": best, "best_name": names.get(best.code, best.code) if best else ""})
    return {"rows": [{"code": p.code, "name": p.name, "distance": p.distance, "similar_on": p.similar_on}
                     for p in peers.itertuples()], "figures": rows}


def _practices(area: Area, site_url: str) -> list[dict]:
    practices = (Practice.objects.published().filter(municipality=area).prefetch_related("goals")
                 .order_by("is_example", "-published_at", "-id"))
    return [{"practice": p, "goals": sorted(p.goals.all(), key=lambda g: (g.framework_id, g.number)),
             "url": site_url + reverse("practice", args=[p.pk])} for p in practices]


def _sources(area: Area) -> dict:
    """The import batches the municipality's (and its districts') values came from, and their sources."""
    # Area ids rather than a join: the observations' index leads with the area.
    ids = [area.id, *Area.objects.filter(Q(parent=area) | Q(parent__parent=area)).values_list("id", flat=True)]
    batch_ids = Observation.objects.filter(area__in=ids).values_list("batch_id", flat=True).order_by().distinct()
    batches = list(ImportBatch.objects.filter(id__in=set(batch_ids)).select_related("source").order_by("finished_at"))
    sources = (Source.objects.filter(batches__in=batches).distinct()
               .annotate(imported=Max("batches__finished_at")).order_by("name"))
    return {"batches": batches, "sources": list(sources)}


def render_html(code: str, language: str, site_url: str | None = None) -> str:
    """The report as one standalone HTML document (stylesheet inline, charts as data: URIs)."""
    area = municipality(code)
    with translation.override(language):
        return render_to_string(TEMPLATE, report_context(area, site_url or settings.SITE_URL))


def render_pdf(code: str, language: str, site_url: str | None = None, *,
               fetcher: LocalFetcher | None = None) -> bytes:
    """The report as a tagged PDF (PDF/UA-1), fetching nothing outside the static folder."""
    html = render_html(code, language, site_url)
    return html_to_pdf(html, STATIC_ROOT, fetcher=fetcher)
