"""The Vega-Lite spec of the municipality map: a choropleth coloured by a key figure's value or by its status.

The rows (one per municipality: code, name, region, value, status, level, href) are inline; the boundaries
come from the site's own GeoJSON (maps.map_geometries) and are joined to the rows on the code. Colours are
classes chosen here, each named in the legend (a value range or a status), so the legend reads as text. The
drawing is hidden from screen readers: the table on the page holds the same numbers.
"""

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Light to dark blue (ColorBrewer "Blues"): darker is a higher value. No value: white inside a grey border.
VALUE_FILLS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_VALUE_FILL = "#ffffff"
# A fill per status level (web/statuses.py: 0 best … 4 worst, 5 not assessed), stronger than the pale badge
# colours of site.css so that neighbouring municipalities stay apart; the legend names each one.
STATUS_FILLS = ["#1e7b45", "#7cbf5b", "#f2cc4d", "#ee9445", "#c0392b", "#d4d4d4"]
# Transverse Mercator on 15° E, the central meridian of SWEREF 99 TM: Sweden as Swedish maps draw it.
PROJECTION = {"type": "transverseMercator", "rotate": [-15, 0]}


def value_classes(values: list[float | None]) -> tuple[list[str], list[str], list[str]]:
    """Each value's class label (quintiles: five groups of about equal size), and the legend's labels and fills.

    A label is the range of the values in its group, e.g. "37,2–38,7"; a missing value is "Inget värde".
    """
    present = np.array([v for v in values if v is not None], dtype=float)
    no_value = str(_("Inget värde"))
    if present.size == 0:
        return [no_value] * len(values), [no_value], [NO_VALUE_FILL]
    thresholds = np.unique(np.quantile(present, [0.2, 0.4, 0.6, 0.8]))
    group = np.searchsorted(thresholds, present, side="right")
    ranges = {int(g): (present[group == g].min(), present[group == g].max()) for g in np.unique(group)}
    labels = _range_labels(ranges)
    fills = VALUE_FILLS if len(labels) == len(VALUE_FILLS) else list(np.array(VALUE_FILLS)[
        np.linspace(0, len(VALUE_FILLS) - 1, len(labels)).round().astype(int)])
    it = iter(group)
    classes = [labels[int(next(it))] if v is not None else no_value for v in values]
    domain = [labels[g] for g in sorted(labels)]
    if len(present) < len(values):
        domain, fills = domain + [no_value], list(fills) + [NO_VALUE_FILL]
    return classes, domain, list(fills)


def _range_labels(ranges: dict[int, tuple[float, float]]) -> dict[int, str]:
    """The range "low–high" per group, with the fewest decimals that keep the labels apart (from 0–2 up)."""
    largest = max(abs(v) for pair in ranges.values() for v in pair)
    for digits in range(0 if largest >= 100 else 1 if largest >= 10 else 2, 7):
        labels = {}
        for g, (low, high) in ranges.items():
            low, high = (number_format(round(float(v), digits), digits, use_l10n=True) for v in (low, high))
            labels[g] = low if low == high else f"{low}–{high}"
        if len(set(labels.values())) == len(labels):
            break
    return labels


def map_spec(rows: list[dict], geometries_url: str, *, by_status: bool, description: str) -> dict:
    """rows: [{"code", "name", "region", "value", "status", "level", "href"}, …]."""
    if by_status:
        levels = sorted({(r["level"], r["status"]) for r in rows})
        color = {"field": "status", "type": "nominal", "title": _("Utveckling"),
                 "scale": {"domain": [label for _level, label in levels],
                           "range": [STATUS_FILLS[level] for level, _label in levels]}}
    else:
        classes, domain, fills = value_classes([r["value"] for r in rows])
        rows = [{**r, "class": c} for r, c in zip(rows, classes)]
        color = {"field": "class", "type": "ordinal", "title": _("Värde (fem lika stora grupper)"),
                 "scale": {"domain": domain, "range": fills}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "width": "container",
        "height": 640,
        "projection": PROJECTION,
        "data": {"values": rows},
        "transform": [{
            "lookup": "code",
            "from": {"data": {"url": geometries_url, "format": {"type": "json", "property": "features"}},
                     "key": "properties.code"},
            "as": "geo",
        }, {"filter": "datum.geo != null"}],
        "mark": {"type": "geoshape", "stroke": "#7a7a7a", "strokeWidth": 0.3, "cursor": "pointer"},
        "encoding": {
            "shape": {"field": "geo", "type": "geojson"},
            "color": {**color, "legend": {"orient": "top", "direction": "vertical", "labelLimit": 260,
                                          "titleLimit": 320, "labelFontSize": 13, "titleFontSize": 13,
                                          "symbolType": "square", "symbolSize": 180}},
            "tooltip": [
                {"field": "name", "type": "nominal", "title": _("Kommun")},
                {"field": "region", "type": "nominal", "title": _("Region")},
                {"field": "value", "type": "quantitative", "title": _("Värde"), "format": ",.2~f"},
                {"field": "status", "type": "nominal", "title": _("Utveckling")},
            ],
        },
        "config": {"view": {"stroke": None}},
    }
