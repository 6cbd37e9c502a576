"""The Vega-Lite spec of the reporting status page: one bar per goal, split by the indicators' state.

The table beside it holds the same numbers (the chart is hidden from screen readers); the states are also told
apart by their order and legend, so not by colour alone.
"""

from django.utils.translation import gettext as _

from .reporting_status import STATES

# Dark enough for 3:1 against white (WCAG 1.4.11), and distinct for the common colour-vision deficiencies.
COLOURS = {"data": "#1e7b45", "no_data": "#b06a00", "none": "#767676"}


def reporting_spec(rows: list[dict], label, href=None) -> dict:
    """rows: reporting_status()["goals"]; label(goal) → the axis text; href(goal) → a link per bar, or None."""
    values = []
    for row in rows:
        for rank, part in enumerate(row["parts"]):
            value = {"goal": label(row["goal"]), "state": str(part["label"]), "rank": rank, "n": part["n"],
                     "percent": round(part["percent"], 1)}
            if href:
                value["href"] = href(row["goal"])
            values.append(value)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": _("Andel av FN:s indikatorer per mål efter rapporteringsstatus"),
        "width": "container",
        "height": {"step": 24},
        "data": {"values": values},
        "mark": {"type": "bar", "cursor": "pointer" if href else "default"},
        "encoding": {
            "y": {"field": "goal", "type": "nominal", "title": None, "sort": [label(r["goal"]) for r in rows],
                  "axis": {"labelLimit": 260}},
            "x": {"field": "n", "type": "quantitative", "stack": "normalize", "title": _("Andel av indikatorerna"),
                  "axis": {"format": "%"}},
            "color": {"field": "state", "type": "nominal", "title": None,
                      "scale": {"domain": [str(s) for s in STATES.values()], "range": list(COLOURS.values())}},
            "order": {"field": "rank", "type": "quantitative"},
            "tooltip": [
                {"field": "goal", "type": "nominal", "title": _("Mål")},
                {"field": "state", "type": "nominal", "title": _("Status")},
                {"field": "n", "type": "quantitative", "title": _("Indikatorer")},
                {"field": "percent", "type": "quantitative", "title": _("Procent"), "format": ",.1f"},
            ],
        },
        "config": {"legend": {"orient": "bottom", "direction": "horizontal", "labelLimit": 300, "labelFontSize": 13,
                              "symbolType": "square"},
                   "axis": {"labelFontSize": 12, "titleFontSize": 13}},
    }
